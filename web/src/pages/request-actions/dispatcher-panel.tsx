import { useState } from 'preact/hooks';
import { client } from '../../api.js';
import { useApi } from '../use-api.js';
import { PriorityForm } from './priority-form.js';
import { ActionError, useAction, valueOf, type PanelProps } from './shared.js';
import { PRIORITY_STATUSES } from './support-panel.js';

/** Offset of Paris from UTC, in minutes, at an instant (DST included). */
function parisOffsetMinutes(at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = name?.match(/GMT([+-])(\d{2}):(\d{2})/);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** A day and a wall-clock time in Paris (where the visits are) as an ISO instant with its offset. */
export function parisInstant(day: string, time: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{2}:\d{2}$/.test(time)) return '';
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // The offset at the wall time read as UTC may be the other side of a DST change: take it again.
  const offset = parisOffsetMinutes(new Date(wall - parisOffsetMinutes(new Date(wall)) * 60_000));
  const abs = Math.abs(offset);
  return `${day}T${time}:00${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const ASSIGNABLE = ['awaiting_planning', 'scheduled'];
/** Admins already have the priority form in the support panel. */
const ownsPriority = ({ me, state }: Pick<PanelProps, 'me' | 'state'>) =>
  me.role === 'dispatcher' && PRIORITY_STATUSES.includes(state.status);

/** Whether the dispatch panel has anything for this status (else the page says there is nothing to do). */
export const dispatcherPanelShows = (p: Pick<PanelProps, 'me' | 'state'>): boolean =>
  ASSIGNABLE.includes(p.state.status) || ownsPriority(p);

/** Dispatch: assign a technician and a slot by hand, or go to the planning board for the day. */
export function DispatcherPanel({ t, me, ticket, state, onDone }: PanelProps) {
  const assignable = ASSIGNABLE.includes(state.status);
  return (
    <>
      {assignable && <AssignForm {...{ t, ticket, onDone }} current={state.assignment?.technicianId ?? ''} />}
      {ownsPriority({ me, state }) && <PriorityForm t={t} ticket={ticket} current={state.priority} onDone={onDone} />}
    </>
  );
}

function AssignForm({ t, ticket, current, onDone }: Pick<PanelProps, 't' | 'ticket' | 'onDone'> & { current: string }) {
  const { data } = useApi(() => client.GET('/api/technicians'), 'technicians');
  const { send, error, busy } = useAction(ticket, onDone);
  const [f, setF] = useState({ technicianId: current, day: '', start: '09:00', end: '11:00', preparation: '', notes: '' });
  const set = (name: keyof typeof f) => ({ value: f[name], onInput: (e: Event) => setF({ ...f, [name]: valueOf(e) }) });
  function submit(e: Event) {
    e.preventDefault();
    void send('assign', {
      technicianId: f.technicianId,
      start: parisInstant(f.day, f.start),
      end: parisInstant(f.day, f.end),
      ...(f.preparation.trim() ? { preparation: f.preparation } : {}),
      ...(f.notes.trim() ? { notes: f.notes } : {}),
      source: 'dispatcher',
    });
  }
  return (
    <form class="panel" onSubmit={submit} data-testid="assign-form">
      <h2>{t('requestDetail:assign.title')}</h2>
      <ActionError t={t} error={error} />
      <div class="row">
        <label>
          {t('requestDetail:assign.technician')}
          <select {...set('technicianId')} onChange={(e) => setF({ ...f, technicianId: valueOf(e) })}>
            <option value="">—</option>
            {(data?.items ?? [])
              .filter((tech) => tech.active)
              .map((tech) => (
                <option key={tech.id} value={tech.id}>
                  {tech.firstName} {tech.lastName} ({tech.level})
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('requestDetail:assign.day')}
          <input type="date" {...set('day')} />
        </label>
        <label>
          {t('requestDetail:assign.start')}
          <input type="time" {...set('start')} />
        </label>
        <label>
          {t('requestDetail:assign.end')}
          <input type="time" {...set('end')} />
        </label>
      </div>
      <div class="row">
        <label>
          {t('requestDetail:assign.preparation')}
          <textarea {...set('preparation')} />
        </label>
        <label>
          {t('requestDetail:assign.notes')}
          <textarea {...set('notes')} />
        </label>
      </div>
      <button class="primary" type="submit" disabled={busy}>
        {t('requestDetail:assign.submit')}
      </button>{' '}
      <a href="/planning">{t('requestDetail:assign.board')}</a>
    </form>
  );
}
