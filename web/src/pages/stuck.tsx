import type { T } from '../session.js';
import { client } from '../api.js';
import { formatDateTime, type Lang } from '../i18n.js';
import { useApi } from './use-api.js';

/**
 * Admins: the interventions (and other workflows) whose pending step keeps failing. Temporal
 * retries it on its own; this page is where someone sees it. Refreshes every 30 s and on demand.
 * On a phone the table stacks: each cell carries its column's name (data-label).
 */
export function StuckPage({ t, lang }: { t: T; lang: Lang }) {
  const { data, error, reload } = useApi(() => client.GET('/api/operations/stuck'), 'operations/stuck', 30_000);
  const columns = {
    ticket: t('stuck:col.ticket'),
    step: t('stuck:col.step'),
    attempts: t('stuck:col.attempts'),
    error: t('stuck:col.error'),
    last: t('stuck:col.last'),
    next: t('stuck:col.next'),
  };
  return (
    <section aria-labelledby="stuck-title">
      <div style="display:flex;gap:1rem;align-items:center;flex-wrap:wrap;justify-content:space-between">
        <h1 id="stuck-title">{t('stuck:title')}</h1>
        <button type="button" onClick={reload} data-testid="stuck-refresh">
          {t('stuck:refresh')}
        </button>
      </div>
      <p class="muted">{t('stuck:help')}</p>
      {error && (
        <div class="error" role="alert">
          {error}
        </div>
      )}
      {!data && !error && <p class="muted">{t('common.loading')}</p>}
      {data && (
        <p class="muted" aria-live="polite">
          {t('stuck:checked')} {formatDateTime(lang, data.checkedAt)} · {data.scanned} / {data.running} {t('stuck:scanned')}
        </p>
      )}
      {data && data.items.length === 0 && (
        <p class="panel" data-testid="stuck-empty">
          {t('stuck:empty')}
        </p>
      )}
      {data && data.items.length > 0 && (
        <div class="table-scroll" tabIndex={0}>
          <table class="stack-on-phone" data-testid="stuck-table">
            <caption>{t('stuck:caption')}</caption>
            <thead>
              <tr>
                {Object.values(columns).map((label) => (
                  <th key={label} scope="col">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <tr key={`${item.workflowId}/${item.activityId}`}>
                  <th scope="row" data-label={columns.ticket}>
                    {item.ticketNumber ? <a href={`/requests/${item.ticketNumber}`}>{item.ticketNumber}</a> : item.workflowType}
                    <div class="muted">{item.workflowId}</div>
                  </th>
                  <td data-label={columns.step}>{item.activityType}</td>
                  <td data-label={columns.attempts}>{item.attempt}</td>
                  <td data-label={columns.error}>
                    <code style="white-space:pre-wrap;word-break:break-word">{item.lastFailure?.message ?? '—'}</code>
                  </td>
                  <td data-label={columns.last}>{formatDateTime(lang, item.lastAttemptAt)}</td>
                  <td data-label={columns.next}>{formatDateTime(lang, item.nextRetryAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
