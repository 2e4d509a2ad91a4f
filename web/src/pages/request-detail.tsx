import type { JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { T } from '../main.js';
import { formatDateTime, type Lang } from '../i18n.js';
import type { Me } from './login.js';
import { useApi } from './use-api.js';
import { ClientPanel } from './request-actions/client-panel.js';
import { DispatcherPanel } from './request-actions/dispatcher-panel.js';
import { StateSummary } from './request-actions/state-summary.js';
import { SupportPanel } from './request-actions/support-panel.js';
import { TechnicianPanel } from './request-actions/technician-panel.js';
import type { Detail, InterventionState, PanelProps, TimelineEntry } from './request-actions/shared.js';

type Panel = (props: PanelProps) => JSX.Element | null;

/** The panels each role works with; the API enforces access whatever is shown. */
const PANELS_BY_ROLE: Record<string, Panel[]> = {
  support_agent: [SupportPanel],
  admin: [SupportPanel, DispatcherPanel],
  dispatcher: [DispatcherPanel],
  client_user: [ClientPanel],
  client_admin: [ClientPanel],
  technician: [TechnicianPanel],
};

const CAN_CANCEL = ['client_user', 'client_admin', 'support_agent', 'dispatcher', 'admin'];

/** A translated label, or the code when the dictionary has none (a kind added later). */
function label(t: T, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}

function timelineTitle(t: T, e: TimelineEntry): string {
  return e.kind === 'status_change' && e.toStatus ? label(t, `status.${e.toStatus}`, e.toStatus) : label(t, `event.${e.kind}`, e.kind);
}

/**
 * The live workflow state drives the action panels. It is read on opening, after each action, and
 * when the polled request shows another status; when that change did not come from this page, the
 * page says so, since the panel the user was looking at changed under them.
 */
function useLiveState(ticket: string, status: string | undefined) {
  const [state, setState] = useState<InterventionState | null>(null);
  const [moved, setMoved] = useState(false);
  const current = useRef<InterventionState | null>(null);
  const load = useCallback(
    (ownAction: boolean) => {
      api<InterventionState>(`/requests/${ticket}/state`)
        .then((next) => {
          const before = current.current;
          if (ownAction) setMoved(false);
          else if (before && before.status !== next.status) setMoved(true);
          current.current = next;
          setState(next);
        })
        // A finished workflow can no longer be asked (or this role may not ask): no actions then.
        .catch((err: unknown) => (err instanceof ApiError ? setState(null) : undefined));
    },
    [ticket],
  );
  useEffect(() => {
    if (status && status !== current.current?.status) load(false);
  }, [status, load]);
  return { state, moved, reload: load };
}

export function RequestDetailPage({ t, lang, me, ticket }: { t: T; lang: Lang; me: Me; ticket: string }) {
  const { data, error, reload } = useApi<Detail>(`/requests/${ticket}`, 5000);
  const live = useLiveState(ticket, data?.request.status);
  const [reason, setReason] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);

  function onDone(ok: boolean) {
    reload();
    live.reload(ok);
  }

  async function cancel(e: Event) {
    e.preventDefault();
    try {
      await api(`/requests/${ticket}/cancel`, { method: 'POST', body: { reason } });
      setActionError(null);
      onDone(true);
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : String(err));
    }
  }

  if (error) return <div class="error">{error}</div>;
  if (!data) return <p class="muted">{t('common.loading')}</p>;
  const r = data.request;
  const state = live.state;
  const panels = state ? (PANELS_BY_ROLE[me.role] ?? []) : [];
  const props = state ? { t, lang, me, ticket, detail: data, state, onDone } : null;
  const rendered = props ? panels.map((Panel, i) => <Panel key={i} {...props} />) : [];
  return (
    <section>
      <p>
        <a href="#/requests">{t('common.back')}</a>
      </p>
      <h1>
        {r.ticketNumber} — {r.title} <span class={`chip ${r.priority}`}>{r.priority}</span>{' '}
        <span class={`status ${r.clientStatus}`} data-testid="client-status">
          {t(`clientStatus.${r.clientStatus}`)}
        </span>{' '}
        {/* Staff work with the detailed status; clients see the five statuses of their journey. */}
        {!me.role.startsWith('client_') && <span class="status">{label(t, `status.${r.status}`, r.status)}</span>}
      </h1>
      {panels.length > 0 && (
        <section class="actions-area" data-testid="actions" aria-label={t('actions.title')}>
          {live.moved && (
            <div class="notice" role="status">
              {t('state.moved')}
            </div>
          )}
          {rendered}
        </section>
      )}
      <div class="grid">
        <div class="panel">
          <h2>{t('detail.problem')}</h2>
          <p>{r.description}</p>
          <dl class="kv">
            <dt>{t('col.type')}</dt>
            <dd>{t(`service.${r.serviceType}`)}</dd>
            <dt>{t('detail.impact')}</dt>
            <dd>{r.businessImpact}</dd>
            {r.attemptedSolutions && (
              <>
                <dt>{t('detail.tried')}</dt>
                <dd>{r.attemptedSolutions}</dd>
              </>
            )}
            <dt>{t('detail.device')}</dt>
            <dd>{[r.deviceDetails.brand, r.deviceDetails.model, r.deviceDetails.operatingSystem].filter(Boolean).join(' · ') || '—'}</dd>
            <dt>{t('detail.contact')}</dt>
            <dd>{[r.contactDetails.name, r.contactDetails.email, r.contactDetails.phone].filter(Boolean).join(' · ')}</dd>
          </dl>
        </div>
        {state && <StateSummary t={t} lang={lang} state={state} />}
        <div class="panel">
          <h2>{t('detail.timeline')}</h2>
          <ol class="timeline" data-testid="timeline">
            {data.timeline.map((e) => (
              <li key={e.id}>
                <strong>{timelineTitle(t, e)}</strong>{' '}
                <span class="muted">
                  · {label(t, `actor.${e.actorType}`, e.actorType)} · {formatDateTime(lang, e.createdAt)}
                </span>
                {e.message && <div>{e.kind === 'check_in' ? label(t, `tech.${e.message}`, e.message) : e.message}</div>}
              </li>
            ))}
          </ol>
        </div>
      </div>
      {CAN_CANCEL.includes(me.role) && !['closed', 'cancelled', 'validated', 'invoiced', 'survey'].includes(r.status) && (
        <form class="panel" onSubmit={cancel}>
          {actionError && <div class="error">{actionError}</div>}
          <div class="row">
            <label>
              {t('detail.cancelReason')}
              <input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} required />
            </label>
          </div>
          <button class="primary" type="submit">
            {t('detail.cancel')}
          </button>
        </form>
      )}
    </section>
  );
}
