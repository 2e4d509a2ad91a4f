import type { T } from '../session.js';
import { formatDateTime, type Lang } from '../i18n.js';
import { client } from '../api.js';
import { useLocation } from 'preact-iso';
import { useApi } from './use-api.js';

export function RequestsPage({ t, lang }: { t: T; lang: Lang }) {
  const { route } = useLocation();
  // Live follow-up: the list reloads when a request changes (the event stream), not on a timer.
  const { data, error } = useApi(() => client.GET('/api/requests', { params: { query: { limit: 100 } } }), 'requests?limit=100', {
    concerns: (e) => e.kind === 'request' || e.kind === 'assignment',
  });
  return (
    <section>
      <h1>{t('requests:title')}</h1>
      {error && <div class="error">{error}</div>}
      {!data && !error && <p class="muted">{t('common.loading')}</p>}
      {data && data.items.length === 0 && <p class="muted">{t('requests:empty')}</p>}
      {data && data.items.length > 0 && (
        <div class="table-scroll" tabIndex={0}>
          <table data-testid="requests-table">
            <thead>
              <tr>
                <th>{t('col.ticket')}</th>
                <th>{t('col.priority')}</th>
                <th>{t('col.client')}</th>
                <th>{t('col.title')}</th>
                <th>{t('col.type')}</th>
                <th>{t('col.status')}</th>
                <th>{t('col.created')}</th>
                <th>{t('col.due')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.ticketNumber} class="clickable" onClick={() => route(`/requests/${r.ticketNumber}`)}>
                  <td>
                    <a href={`/requests/${r.ticketNumber}`}>{r.ticketNumber}</a>
                  </td>
                  <td>
                    <span class={`chip ${r.priority}`}>{r.priority}</span>
                  </td>
                  <td>
                    {r.companyName}
                    <div class="muted">{r.locationName}</div>
                  </td>
                  <td>{r.title}</td>
                  <td>{t(`service.${r.serviceType}`)}</td>
                  <td>
                    <span class={`status ${r.clientStatus}`}>{t(`clientStatus.${r.clientStatus}`)}</span>
                  </td>
                  <td>{formatDateTime(lang, r.createdAt)}</td>
                  <td>{formatDateTime(lang, r.resolutionDueAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
