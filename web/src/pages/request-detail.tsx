import { RequestAlerts } from './monitoring.js';
import type { JSX } from 'preact';
import { RequestKnowledge } from './request-knowledge.js';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, client } from '../api.js';
import type { PageProps, T } from '../session.js';
import { useApi } from './use-api.js';
import { ClientPanel, clientPanelShows } from './request-actions/client-panel.js';
import { DispatcherPanel, dispatcherPanelShows } from './request-actions/dispatcher-panel.js';
import { StateSummary } from './request-actions/state-summary.js';
import { SupportPanel, supportPanelShows } from './request-actions/support-panel.js';
import { TechnicianPanel, technicianPanelShows } from './request-actions/technician-panel.js';
import { Timeline, label } from './request-actions/timeline.js';
import type { Detail, InterventionState, PanelProps, RequestStatus } from './request-actions/shared.js';

/** A role panel, and whether it has anything to show for this user and status. */
interface Panel {
  /** Stable key: a panel keeps its form's state when another one appears or goes. */
  name: string;
  render: (props: PanelProps) => JSX.Element | null;
  shows: (props: Pick<PanelProps, 'me' | 'state'>) => boolean;
}
const SUPPORT: Panel = { name: 'support', render: SupportPanel, shows: supportPanelShows };
const DISPATCH: Panel = { name: 'dispatch', render: DispatcherPanel, shows: dispatcherPanelShows };
const CLIENT: Panel = { name: 'client', render: ClientPanel, shows: clientPanelShows };
const TECHNICIAN: Panel = { name: 'technician', render: TechnicianPanel, shows: technicianPanelShows };

/** The panels each role works with; the API enforces access whatever is shown. */
const PANELS_BY_ROLE: Record<string, Panel[]> = {
  support_agent: [SUPPORT],
  admin: [SUPPORT, DISPATCH],
  dispatcher: [DISPATCH],
  client_user: [CLIENT],
  client_admin: [CLIENT],
  technician: [TECHNICIAN],
};

const CAN_CANCEL = ['client_user', 'client_admin', 'support_agent', 'dispatcher', 'admin'];

/** Who has the request in hand at each status: what the page says when this user has nothing to do. */
const PHASE: Record<RequestStatus, 'analysis' | 'client' | 'planning' | 'scheduled' | 'working' | 'billing' | 'done'> = {
  new: 'analysis',
  analysis: 'analysis',
  specialist_review: 'analysis',
  awaiting_client_info: 'client',
  solution_proposed: 'client',
  awaiting_validation: 'client',
  survey: 'client',
  awaiting_planning: 'planning',
  scheduled: 'scheduled',
  in_progress: 'working',
  validated: 'billing',
  invoiced: 'billing',
  closed: 'done',
  cancelled: 'done',
};

/** "Nothing to do", said from the user's side: clients are told what comes next for them. */
function idleMessage(t: T, role: string, status: RequestStatus): string {
  const audience = role.startsWith('client_') ? 'client' : 'team';
  return t(`requestDetail:idle.${audience}.${PHASE[status] ?? 'client'}`);
}

/**
 * The live workflow state drives the action panels. It is read on opening, after each action, and
 * when the polled request shows another status; when that change did not come from this page, the
 * page says so, since the panel the user was looking at changed under them.
 */
function useLiveState(ticket: string, status: string | undefined) {
  const [state, setState] = useState<InterventionState | null>(null);
  // Whether the state was asked once: until then the page cannot tell "no action" from "loading".
  const [settled, setSettled] = useState(false);
  const [moved, setMoved] = useState(false);
  const current = useRef<InterventionState | null>(null);
  const load = useCallback(
    (ownAction: boolean) => {
      call(client.GET('/api/requests/{ticket}/state', { params: { path: { ticket } } }))
        .then((next) => {
          const before = current.current;
          if (ownAction) setMoved(false);
          else if (before && before.status !== next.status) setMoved(true);
          current.current = next;
          setState(next);
          setSettled(true);
        })
        // A finished workflow can no longer be asked (or this role may not ask): no actions then.
        .catch((err: unknown) => {
          if (!(err instanceof ApiError)) return;
          setState(null);
          setSettled(true);
        });
    },
    [ticket],
  );
  useEffect(() => {
    if (status && status !== current.current?.status) load(false);
  }, [status, load]);
  return { state, settled, moved, reload: load };
}

export function RequestDetailPage({ t, lang, me, params }: PageProps) {
  const ticket = params.ticket ?? '';
  const {
    data: loaded,
    error,
    reload,
  } = useApi(() => client.GET('/api/requests/{ticket}', { params: { path: { ticket } } }), ticket, {
    concerns: (e) => e.ticketNumber === ticket && e.kind !== 'notification',
  });
  // The timeline's details are the workflow's facts, typed by its contract (see Detail).
  const data = loaded as Detail | null;
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
      await call(client.POST('/api/requests/{ticket}/cancel', { params: { path: { ticket } }, body: { reason } }));
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
  const props = state ? { t, lang, me, ticket, detail: data, state, onDone } : null;
  const panels = props ? (PANELS_BY_ROLE[me.role] ?? []).filter((p) => p.shows(props)) : [];
  const rendered = props ? panels.map((p) => <p.render key={p.name} {...props} />) : [];
  // A finished workflow (or a role that may not read it) has no live state: the read model's status tells.
  const idle = live.settled && rendered.length === 0 ? idleMessage(t, me.role, state?.status ?? r.status) : null;
  return (
    <section>
      <p>
        <a href="/requests">{t('common.back')}</a>
      </p>
      <h1>
        {r.ticketNumber} — {r.title} <span class={`chip ${r.priority}`}>{r.priority}</span>{' '}
        <span class={`status ${r.clientStatus}`} data-testid="client-status">
          {t(`clientStatus.${r.clientStatus}`)}
        </span>{' '}
        {/* Staff work with the detailed status; clients see the five statuses of their journey. */}
        {!me.role.startsWith('client_') && <span class="status">{label(t, `status.${r.status}`, r.status)}</span>}
      </h1>
      {(rendered.length > 0 || idle) && (
        <section class="actions-area" data-testid="actions" aria-label={t('requestDetail:actions.title')}>
          {live.moved && (
            <div class="notice" role="status">
              {t('requestDetail:state.moved')}
            </div>
          )}
          {rendered}
          {idle && (
            <p class="idle" data-testid="nothing-to-do">
              {idle}
            </p>
          )}
        </section>
      )}
      <RequestAlerts t={t} lang={lang} ticket={r.ticketNumber} />
      <div class="grid">
        <div class="panel">
          <h2>{t('requestDetail:detail.problem')}</h2>
          <p>{r.description}</p>
          <dl class="kv">
            <dt>{t('col.type')}</dt>
            <dd>{t(`service.${r.serviceType}`)}</dd>
            <dt>{t('requestDetail:detail.impact')}</dt>
            <dd>{r.businessImpact}</dd>
            {r.attemptedSolutions && (
              <>
                <dt>{t('requestDetail:detail.tried')}</dt>
                <dd>{r.attemptedSolutions}</dd>
              </>
            )}
            <dt>{t('requestDetail:detail.device')}</dt>
            <dd>{[r.deviceDetails.brand, r.deviceDetails.model, r.deviceDetails.operatingSystem].filter(Boolean).join(' · ') || '—'}</dd>
            <dt>{t('requestDetail:detail.contact')}</dt>
            <dd>{[r.contactDetails.name, r.contactDetails.email, r.contactDetails.phone].filter(Boolean).join(' · ')}</dd>
          </dl>
        </div>
        {state && <StateSummary t={t} lang={lang} state={state} />}
        <Timeline t={t} lang={lang} entries={data.timeline} />
        {(me.role.startsWith('client_') || ['support_agent', 'dispatcher', 'admin'].includes(me.role)) && (
          <RequestKnowledge
            t={t}
            ticket={r.ticketNumber}
            staff={!me.role.startsWith('client_')}
            status={r.status}
            text={`${r.title} ${r.description}`}
          />
        )}
      </div>
      {CAN_CANCEL.includes(me.role) && !['closed', 'cancelled', 'validated', 'invoiced', 'survey'].includes(r.status) && (
        <form class="panel" onSubmit={(e) => void cancel(e)}>
          {actionError && <div class="error">{actionError}</div>}
          <div class="row">
            <label>
              {t('requestDetail:detail.cancelReason')}
              <input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} required />
            </label>
          </div>
          <button class="primary" type="submit">
            {t('requestDetail:detail.cancel')}
          </button>
        </form>
      )}
    </section>
  );
}
