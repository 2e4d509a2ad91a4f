import { useState } from 'preact/hooks';
import type { T } from '../../session.js';
import { ActionError, useAction, valueOf } from './shared.js';

const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;

/** Support and dispatch change the priority, always with a reason (it goes to the timeline). */
export function PriorityForm({ t, ticket, current, onDone }: { t: T; ticket: string; current: string; onDone: (ok: boolean) => void }) {
  const { send, error, busy } = useAction(ticket, onDone);
  const [priority, setPriority] = useState<string>(PRIORITIES.find((p) => p !== current) ?? 'P1');
  const [reason, setReason] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    if (await send('priority', { priority, reason })) setReason('');
  }
  return (
    <form class="panel" onSubmit={(e) => void submit(e)} data-testid="priority-form">
      <h2>{t('requestDetail:priority.title')}</h2>
      <ActionError t={t} error={error} />
      <div class="row">
        <label>
          {t('requestDetail:priority.new')}
          <select value={priority} onChange={(e) => setPriority(valueOf(e))}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('requestDetail:priority.reason')}
          <input value={reason} onInput={(e) => setReason(valueOf(e))} />
        </label>
      </div>
      <button class="primary" type="submit" disabled={busy}>
        {t('requestDetail:priority.submit')}
      </button>
    </form>
  );
}
