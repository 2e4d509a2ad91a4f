/**
 * The notification centre in the header: a bell with the unread count, its list in a panel
 * (newest first, a link to the request), mark one or all as read. Live: a `notification` event on
 * the stream reloads it; while the stream is down it reloads every 30 s.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, client } from './api.js';
import { formatDateTime, type Lang, type T } from './i18n.js';
import { FALLBACK_POLL_MS, useLiveEvents } from './live.js';

interface Item {
  id: string;
  ticketNumber: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export function NotificationBell({ t, lang }: { t: T; lang: Lang }) {
  const [items, setItems] = useState<Item[]>([]);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  const load = () =>
    call(client.GET('/api/notifications', { params: { query: { limit: 30 } } }))
      .then((d) => {
        setItems(d.items);
        setUnread(d.unread);
      })
      .catch(() => undefined);
  const { live } = useLiveEvents(
    (e) => {
      if (e.kind === 'notification') void load();
    },
    () => void load(),
  );
  useEffect(() => {
    void load();
  }, []);
  useEffect(() => {
    if (live) return;
    const id = setInterval(() => void load(), FALLBACK_POLL_MS);
    return () => clearInterval(id);
  }, [live]);
  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('h2')?.focus();
    // Escape closes the panel wherever the focus is (a button that went away leaves it on the page).
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  function close() {
    setOpen(false);
    button.current?.focus();
  }
  async function markRead(id: string) {
    const r = await call(client.POST('/api/notifications/{notificationId}/read', { params: { path: { notificationId: id } } }));
    setUnread(r.unread);
    setItems((list) => list.map((n) => (n.id === id ? { ...n, readAt: n.readAt ?? new Date().toISOString() } : n)));
  }
  async function markAll() {
    await call(client.POST('/api/notifications/read-all'));
    setUnread(0);
    setItems((list) => list.map((n) => ({ ...n, readAt: n.readAt ?? new Date().toISOString() })));
  }

  return (
    <div class="bell">
      <button
        ref={button}
        type="button"
        class="bell-button"
        aria-expanded={open}
        aria-controls="notification-panel"
        aria-label={unread > 0 ? t('notifications:bell_unread', { count: unread }) : t('notifications:bell')}
        data-testid="notification-bell"
        onClick={() => setOpen(!open)}
      >
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span class="bell-count" aria-hidden="true" data-testid="notification-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {!live && (
        <span class="live-off" role="status" title={t('notifications:offline')}>
          <span aria-hidden="true">●</span>
          <span class="sr-only">{t('notifications:offline')}</span>
        </span>
      )}
      {open && (
        <div id="notification-panel" class="bell-panel" ref={panel} role="region" aria-labelledby="notification-title">
          <div class="bell-head">
            <h2 id="notification-title" tabIndex={-1}>
              {t('notifications:title')}
            </h2>
            {unread > 0 && (
              <button type="button" onClick={() => void markAll()}>
                {t('notifications:markAllRead')}
              </button>
            )}
            <button type="button" onClick={close}>
              {t('notifications:close')}
            </button>
          </div>
          {items.length === 0 ? (
            <p class="muted">{t('notifications:empty')}</p>
          ) : (
            <ul data-testid="notification-list">
              {items.map((n) => (
                <li key={n.id} class={n.readAt ? 'read' : 'unread'}>
                  <div class="bell-item-title">
                    {!n.readAt && <span class="sr-only">{t('notifications:unread')} : </span>}
                    {n.ticketNumber ? (
                      <a
                        href={`/requests/${n.ticketNumber}`}
                        aria-label={`${n.title} — ${t('notifications:open', { ticket: n.ticketNumber })}`}
                        onClick={close}
                      >
                        {n.title}
                      </a>
                    ) : (
                      n.title
                    )}
                  </div>
                  <div class="muted">{formatDateTime(lang, n.createdAt)}</div>
                  {!n.readAt && (
                    <button
                      type="button"
                      aria-label={t('notifications:markReadOf', { title: n.title })}
                      onClick={() => void markRead(n.id)}
                    >
                      {t('notifications:markRead')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
