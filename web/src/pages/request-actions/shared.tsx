/**
 * What every role panel shares: the page's data, and one way to send an action and show the API's
 * refusal next to the form that caused it.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api.js';
import type { Lang } from '../../i18n.js';
import type { T } from '../../main.js';
import type { Me } from '../login.js';
import type { InterventionState, RequestStatus, TimelineDetails } from '../../../../workflows/intervention/intervention.contract.js';

export type { InterventionState, RequestStatus, TimelineDetails };

export interface TimelineEntry {
  id: number;
  kind: string;
  toStatus: string | null;
  actorType: string;
  message: string | null;
  /** Null on entries written before details existed: the message is shown instead. */
  details: TimelineDetails | null;
  createdAt: string;
}

export interface Detail {
  request: {
    ticketNumber: string;
    title: string;
    description: string;
    businessImpact: string;
    attemptedSolutions: string | null;
    priority: string;
    clientStatus: string;
    status: RequestStatus;
    serviceType: string;
    deviceDetails: Record<string, string>;
    contactDetails: Record<string, string>;
    createdAt: string;
  };
  timeline: TimelineEntry[];
  report: { summary: string; recommendations: string[]; createdAt: string } | null;
}

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
  async function send(path: string, body: unknown = {}): Promise<boolean> {
    setBusy(true);
    try {
      await api(`/requests/${ticket}/${path}`, { method: 'POST', body });
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
        {t('actions.failed')} ({error.status || error.code})
      </strong>
      {error.status === 409 && <div>{t('actions.conflict')}</div>}
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
