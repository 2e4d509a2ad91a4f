import type { T } from '../session.js';
import { formatDateTime, type Lang } from '../i18n.js';
import { client } from '../api.js';
import { useApi } from './use-api.js';

export function OutboxPage({ t, lang }: { t: T; lang: Lang }) {
  const { data, error } = useApi(() => client.GET('/api/outbox'), 'outbox', 10000);
  return (
    <section>
      <h1>{t('outbox:title')}</h1>
      <p class="muted">{t('outbox:help')}</p>
      {error && <div class="error">{error}</div>}
      {data && (
        <div class="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>{t('col.sent')}</th>
                <th>{t('col.to')}</th>
                <th>{t('col.subject')}</th>
                <th>{t('col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((m) => (
                <tr key={m.id}>
                  <td>{formatDateTime(lang, m.sentAt ?? m.createdAt)}</td>
                  <td>{m.toAddresses.join(', ')}</td>
                  <td>
                    <details>
                      <summary>{m.subject}</summary>
                      <pre style="white-space:pre-wrap">{m.textBody}</pre>
                    </details>
                  </td>
                  <td>
                    {m.status} · {m.transport}
                    {m.icalMethod && (
                      <>
                        {' · '}
                        <a href={`/api/outbox/${m.id}/invite.ics`} download={`invite-${m.id}.ics`}>
                          {t('outbox:invite', { method: m.icalMethod })}
                        </a>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
