import { useState } from 'preact/hooks';
import type { T } from '../../session.js';
import { PriorityForm } from './priority-form.js';
import { ActionError, useAction, valueOf, type PanelProps } from './shared.js';

const DECISIONS = ['intervene', 'request_info', 'route_specialist', 'propose_remote'] as const;
type Decision = (typeof DECISIONS)[number];

/** Statuses in which a priority change is still accepted (before the client's acceptance). */
export const PRIORITY_STATUSES = [
  'analysis',
  'specialist_review',
  'awaiting_client_info',
  'solution_proposed',
  'awaiting_planning',
  'scheduled',
  'in_progress',
];

const TRIAGE_STATUSES = ['analysis', 'specialist_review'];

/** Whether the support panel has anything for this status (else the page says there is nothing to do). */
export const supportPanelShows = ({ state }: Pick<PanelProps, 'me' | 'state'>): boolean =>
  TRIAGE_STATUSES.includes(state.status) || PRIORITY_STATUSES.includes(state.status);

/** Support (and admins): the analysis decision while the request is analysed, and the priority. */
export function SupportPanel({ t, ticket, state, onDone }: PanelProps) {
  const triage = TRIAGE_STATUSES.includes(state.status);
  return (
    <>
      {triage && <TriageForm t={t} ticket={ticket} level={state.supportLevel} onDone={onDone} />}
      {PRIORITY_STATUSES.includes(state.status) && <PriorityForm t={t} ticket={ticket} current={state.priority} onDone={onDone} />}
    </>
  );
}

/** Only the fields the API expects for the chosen decision; optional ones left empty are omitted. */
function bodyOf(decision: Decision, f: Record<string, string>) {
  const optional = (v: string | undefined) => (v && v.trim() ? v : undefined);
  const number = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v));
  switch (decision) {
    case 'intervene':
      return { decision, note: optional(f.note) };
    case 'request_info':
      return { decision, question: f.question ?? '' };
    case 'route_specialist':
      return { decision, group: f.group ?? '', level: number(f.level), note: optional(f.note) };
    case 'propose_remote':
      return { decision, solution: f.solution ?? '', minutes: number(f.minutes) };
  }
}

function TriageForm({ t, ticket, level, onDone }: { t: T; ticket: string; level: number; onDone: (ok: boolean) => void }) {
  const { send, error, busy } = useAction(ticket, onDone);
  const [decision, setDecision] = useState<Decision>('intervene');
  const [fields, setFields] = useState<Record<string, string>>({ level: String(Math.min(3, level + 1)) });
  const field = (name: string) => ({ value: fields[name] ?? '', onInput: (e: Event) => setFields({ ...fields, [name]: valueOf(e) }) });
  async function submit(e: Event) {
    e.preventDefault();
    if (await send('triage', bodyOf(decision, fields))) setFields({});
  }
  return (
    <form class="panel" onSubmit={(e) => void submit(e)} data-testid="triage-form">
      <h2>{t('requestDetail:triage.title')}</h2>
      <ActionError t={t} error={error} />
      <fieldset class="choices">
        <legend>{t('requestDetail:triage.decision')}</legend>
        {DECISIONS.map((d) => (
          <label key={d} class="choice">
            <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
            {t(`requestDetail:triage.${d}`)}
          </label>
        ))}
      </fieldset>
      <div class="row">
        {decision === 'request_info' && (
          <label>
            {t('requestDetail:triage.question')}
            <textarea {...field('question')} />
          </label>
        )}
        {decision === 'route_specialist' && (
          <>
            <label>
              {t('requestDetail:triage.group')}
              <input {...field('group')} />
            </label>
            <label>
              {t('requestDetail:triage.level')}
              <select {...field('level')} onChange={(e) => setFields({ ...fields, level: valueOf(e) })}>
                {[1, 2, 3].map((n) => (
                  <option key={n} value={String(n)}>
                    N{n}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {decision === 'propose_remote' && (
          <>
            <label>
              {t('requestDetail:triage.solution')}
              <textarea {...field('solution')} />
            </label>
            <label>
              {t('requestDetail:triage.minutes')}
              <input type="number" min={1} max={480} step={1} {...field('minutes')} />
            </label>
          </>
        )}
        {(decision === 'intervene' || decision === 'route_specialist') && (
          <label>
            {t('requestDetail:triage.note')}
            <textarea {...field('note')} />
          </label>
        )}
      </div>
      <button class="primary" type="submit" disabled={busy}>
        {t('requestDetail:triage.submit')}
      </button>
    </form>
  );
}
