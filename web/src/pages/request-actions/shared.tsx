/**
 * What every role panel shares: the page's data, and one way to send an action and show the API's
 * refusal next to the form that caused it.
 */
import { useState } from 'preact/hooks';
import { ApiError, call, client } from '../../api.js';
import type { InterventionState, paths, RequestDetail, RequestEvent, RequestStatus } from '../../api-schema.js';
import type { Lang } from '../../i18n.js';
import type { Me, T } from '../../session.js';
import type { TimelineDetails } from '../../../../workflows/intervention/intervention.contract.js';

export type { InterventionState, RequestStatus, TimelineDetails };

/** A timeline entry, its `details` typed by the workflow's contract (null on entries written before details existed). */
export type TimelineEntry = Omit<RequestEvent, 'details'> & { details: TimelineDetails | null };

/** GET /api/requests/:ticket, the timeline's details typed as above. */
export type Detail = Omit<RequestDetail, 'timeline'> & { timeline: TimelineEntry[] };

/** The actions of a live intervention: POST /api/requests/{ticket}/<action>. */
export type Action = Extract<keyof paths, `/api/requests/{ticket}/${string}`> extends `/api/requests/{ticket}/${infer A}` ? A : never;

/**
 * Props of every role panel. `onDone` reloads the page's data: `true` after an accepted action,
 * `false` after a conflict (the page then says the request moved on).
 */
export interface PanelProps {
  t: T;
  lang: Lang;
  me: Me;
  ticket: string;
  detail: Detail;
  state: InterventionState;
  onDone: (ok: boolean) => void;
}

/**
 * Sends one action to POST /api/requests/:ticket/<path>. A refusal is kept for the form to show;
 * a 409 (the workflow moved on) also reloads the page, so the panel matches the new status.
 */
export function useAction(ticket: string, onDone: (ok: boolean) => void) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function send(action: Action, body: unknown = {}): Promise<boolean> {
    setBusy(true);
    try {
      // One sender for every action: the path is one of the API's, the body the panel's form (the API names a wrong field).
      const path = `/api/requests/{ticket}/${action}` as '/api/requests/{ticket}/triage';
      await call(client.POST(path, { params: { path: { ticket } }, body: body as never }));
      setError(null);
      onDone(true);
      return true;
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'network_error', String(err));
      setError(e);
      if (e.status === 409) onDone(false);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { send, error, busy };
}

/** The API's refusal, next to its form: the message, and each field it names. */
export function ActionError({ t, error }: { t: T; error: ApiError | null }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <strong>
        {t('requestDetail:actions.failed')} ({error.status || error.code})
      </strong>
      {error.status === 409 && <div>{t('requestDetail:actions.conflict')}</div>}
      {error.fields.length > 0 ? (
        <ul>
          {error.fields.map((f) => (
            <li key={f.field}>
              <code>{f.field}</code> : {f.message}
            </li>
          ))}
        </ul>
      ) : (
        <div>{error.message}</div>
      )}
    </div>
  );
}

/** The value of an input, select or textarea from its event. */
export const valueOf = (e: Event): string => (e.target as HTMLInputElement).value;
