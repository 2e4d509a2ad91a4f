/**
 * A technician's calendar subscription (api/routes/calendar.routes.ts): create a webcal:// link
 * that Google Calendar, Outlook or Apple Calendar subscribe to (their next 14 days), see the
 * existing ones and revoke them. The link holds a secret: it is shown once, when created.
 */
import { useState } from 'preact/hooks';
import { ApiError, call, client } from '../api.js';
import type { CalendarFeedCreated } from '../api-schema.js';
import { formatDateTime, type Lang } from '../i18n.js';
import type { PageProps, T } from '../session.js';
import { useApi } from './use-api.js';

export function CalendarFeedPanel({ t, lang, technicianId }: { t: T; lang: Lang; technicianId: string }) {
  const feeds = useApi(
    () => client.GET('/api/technicians/{technicianId}/calendar-feeds', { params: { path: { technicianId } } }),
    `calendar-feeds/${technicianId}`,
  );
  const [created, setCreated] = useState<CalendarFeedCreated | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(e instanceof ApiError ? `${e.status} — ${e.message}` : String(e));

  async function create() {
    try {
      setCreated(await call(client.POST('/api/technicians/{technicianId}/calendar-feeds', { params: { path: { technicianId } } })));
      setError(null);
      feeds.reload();
    } catch (e) {
      fail(e);
    }
  }
  async function revoke(feedId: string) {
    try {
      await call(client.DELETE('/api/technicians/{technicianId}/calendar-feeds/{feedId}', { params: { path: { technicianId, feedId } } }));
      if (created?.id === feedId) setCreated(null);
      feeds.reload();
    } catch (e) {
      fail(e);
    }
  }

  const urlId = `feed-url-${technicianId}`;
  return (
    <div class="panel" data-testid="calendar-feed">
      <h2>{t('technicians:feed.title')}</h2>
      <p class="muted">{t('technicians:feed.help')}</p>
      {(error ?? feeds.error) && <div class="error">{error ?? feeds.error}</div>}
      <button type="button" class="primary" onClick={() => void create()}>
        {t('technicians:feed.create')}
      </button>
      {created && (
        <div role="status">
          <p>
            <a href={created.webcalUrl}>{t('technicians:feed.subscribe')}</a>
          </p>
          <label for={urlId}>{t('technicians:feed.url')}</label>
          <input id={urlId} type="text" readOnly value={created.url} onFocus={(e) => e.currentTarget.select()} />
          <p class="muted">{t('technicians:feed.once')}</p>
        </div>
      )}
      {feeds.data && feeds.data.items.length > 0 && (
        <div class="table-scroll" tabIndex={0}>
          <table>
            <caption>{t('technicians:feed.list')}</caption>
            <thead>
              <tr>
                <th>{t('technicians:feed.created')}</th>
                <th>{t('technicians:feed.state')}</th>
                <th>{t('technicians:feed.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {feeds.data.items.map((f) => (
                <tr key={f.id}>
                  <td>{formatDateTime(lang, f.createdAt)}</td>
                  <td>
                    {f.revokedAt ? t('technicians:feed.revokedAt', { at: formatDateTime(lang, f.revokedAt) }) : t('technicians:feed.live')}
                  </td>
                  <td>
                    {!f.revokedAt && (
                      <button type="button" onClick={() => void revoke(f.id)}>
                        {t('technicians:feed.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** A row's disclosure on the technicians page: the panel loads only once opened. */
export function CalendarFeedDetails({ t, lang, technicianId, name }: { t: T; lang: Lang; technicianId: string; name: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      {/* The name is in the label only: an absolutely placed screen-reader text would escape the table's scroller. */}
      <summary aria-label={`${t('technicians:feed.title')} — ${name}`}>{t('technicians:feed.title')}</summary>
      {open && <CalendarFeedPanel t={t} lang={lang} technicianId={technicianId} />}
    </details>
  );
}

/** The technician's own page: their calendar subscription. */
export function MyCalendarPage({ t, lang, me }: PageProps) {
  return (
    <section>
      <h1>{t('technicians:feed.pageTitle')}</h1>
      {me.technicianId ? (
        <CalendarFeedPanel t={t} lang={lang} technicianId={me.technicianId} />
      ) : (
        <p>{t('technicians:feed.noTechnician')}</p>
      )}
    </section>
  );
}
