import { useEffect, useRef, useState } from 'preact/hooks';
import { call, client } from '../../api.js';
import type { Part } from '../../api-schema.js';
import type { T } from '../../session.js';
import { ActionError, useAction, valueOf, type PanelProps } from './shared.js';

const KINDS = ['diagnosis', 'action', 'part', 'test'] as const;
type Kind = (typeof KINDS)[number];

/** Whether the technician panel has anything now: the visit's actions, or "not yours" to another technician. */
export const technicianPanelShows = ({ state }: Pick<PanelProps, 'me' | 'state'>): boolean =>
  state.assignment !== null && ['scheduled', 'in_progress'].includes(state.status);

/**
 * The assigned technician's visit: check in, log the work while checked in, check out, then the
 * report (or escalate). Other technicians see the request but do not work on it.
 */
export function TechnicianPanel({ t, me, ticket, state, onDone }: PanelProps) {
  if (!state.assignment || !technicianPanelShows({ me, state })) return null;
  if (me.technicianId !== state.assignment.technicianId) return <p class="muted">{t('requestDetail:tech.notYours')}</p>;
  const open = state.openVisitId !== null;
  return (
    <div data-testid="technician-panel">
      {!open && <CheckInForm t={t} ticket={ticket} onDone={onDone} />}
      {open && (
        <>
          <div class="success">{t('requestDetail:tech.visitOpen')}</div>
          <LogForm t={t} ticket={ticket} onDone={onDone} />
          <CheckOut t={t} ticket={ticket} onDone={onDone} />
        </>
      )}
      {!open && state.status === 'in_progress' && <ReportForm t={t} ticket={ticket} onDone={onDone} />}
      {state.status === 'in_progress' && <EscalateForm t={t} ticket={ticket} onDone={onDone} />}
    </div>
  );
}

type FormProps = { t: T; ticket: string; onDone: (ok: boolean) => void };

function CheckInForm({ t, ticket, onDone }: FormProps) {
  const { send, error, busy } = useAction(ticket, onDone);
  const [mode, setMode] = useState<'on_site' | 'remote'>('on_site');
  return (
    <form class="panel" onSubmit={(e) => (e.preventDefault(), void send('check-in', { mode }))}>
      <h2>{t('requestDetail:tech.checkIn')}</h2>
      <ActionError t={t} error={error} />
      <fieldset class="choices">
        <legend>{t('requestDetail:tech.mode')}</legend>
        {(['on_site', 'remote'] as const).map((m) => (
          <label key={m} class="choice">
            <input type="radio" name="mode" checked={mode === m} onChange={() => setMode(m)} />
            {t(`requestDetail:tech.${m}`)}
          </label>
        ))}
      </fieldset>
      <button class="primary" type="submit" disabled={busy}>
        {t('requestDetail:tech.checkInSubmit')}
      </button>
    </form>
  );
}

/** The body the API expects for each kind of entry; a part is the SKU picked from the catalogue. */
function entryOf(kind: Kind, f: { text: string; sku: string; quantity: string; passed: boolean }) {
  if (kind === 'part') return { kind, sku: f.sku, quantity: Number(f.quantity), ...(f.text.trim() ? { text: f.text } : {}) };
  if (kind === 'test') return { kind, text: f.text, passed: f.passed };
  return { kind, text: f.text };
}

function LogForm({ t, ticket, onDone }: FormProps) {
  const { send, error, busy } = useAction(ticket, onDone);
  const [kind, setKind] = useState<Kind>('diagnosis');
  const [f, setF] = useState({ text: '', sku: '', quantity: '1', passed: true });
  async function submit(e: Event) {
    e.preventDefault();
    if (await send('log', entryOf(kind, f))) setF({ text: '', sku: '', quantity: '1', passed: true });
  }
  return (
    <form class="panel" onSubmit={(e) => void submit(e)} data-testid="log-form">
      <h2>{t('requestDetail:tech.log')}</h2>
      <ActionError t={t} error={error} />
      <div class="row">
        <label>
          {t('requestDetail:tech.kind')}
          <select value={kind} onChange={(e) => setKind(valueOf(e) as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`requestDetail:tech.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {kind === 'part' && (
          <>
            <PartPicker t={t} sku={f.sku} onPick={(sku) => setF({ ...f, sku })} />
            <label>
              {t('requestDetail:tech.quantity')}
              <input type="number" min={1} step={1} value={f.quantity} onInput={(e) => setF({ ...f, quantity: valueOf(e) })} />
            </label>
          </>
        )}
        {kind === 'test' && (
          <fieldset class="choices">
            <legend>{t('requestDetail:tech.passed')}</legend>
            {([true, false] as const).map((passed) => (
              <label key={String(passed)} class="choice">
                <input type="radio" name="passed" checked={f.passed === passed} onChange={() => setF({ ...f, passed })} />
                {t(passed ? 'requestDetail:tech.pass' : 'requestDetail:tech.fail')}
              </label>
            ))}
          </fieldset>
        )}
      </div>
      <label>
        {t('requestDetail:tech.text')}
        <textarea value={f.text} onInput={(e) => setF({ ...f, text: valueOf(e) })} />
      </label>
      <p>
        <button class="primary" type="submit" disabled={busy}>
          {t('requestDetail:tech.addEntry')}
        </button>
      </p>
    </form>
  );
}

const PAGE = 20;
/** Typing pauses this long before the catalogue is asked, so a word is one request, not one per letter. */
const SEARCH_DELAY_MS = 200;

/**
 * The catalogue, searched as the technician types (reference or name), a page at a time: the list
 * shows names, the form sends the chosen reference.
 */
function PartPicker({ t, sku, onPick }: { t: T; sku: string; onPick: (sku: string) => void }) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<{ items: Part[]; total: number } | null>(null);
  // Answers can come back out of order: only the latest search's answer is shown.
  const latest = useRef(0);

  async function load(offset: number, search: string, into: Part[]) {
    const asked = ++latest.current;
    const query = { limit: PAGE, offset, ...(search.trim() ? { q: search.trim() } : {}) };
    try {
      const page = await call(client.GET('/api/parts', { params: { query } }));
      if (asked === latest.current) setFound({ items: [...into, ...page.items], total: page.total });
    } catch {
      if (asked === latest.current) setFound({ items: into, total: into.length });
    }
  }

  useEffect(() => {
    const timer = setTimeout(() => void load(0, text, []), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const items = found?.items ?? [];
  return (
    <div class="part-picker" data-testid="part-picker">
      <label>
        {t('requestDetail:tech.partSearch')}
        <input type="search" value={text} onInput={(e) => setText(valueOf(e))} autocomplete="off" />
      </label>
      <label>
        {t('requestDetail:tech.part')}
        <select size={6} value={sku} required onChange={(e) => onPick(valueOf(e))}>
          {items.map((p) => (
            <option key={p.sku} value={p.sku}>
              {p.label} — {p.sku}
            </option>
          ))}
        </select>
      </label>
      {found && (
        <p class="muted" aria-live="polite">
          {found.total === 0 ? t('requestDetail:tech.partNone') : t('requestDetail:tech.parts', { count: found.total })}
          {items.length < found.total && (
            <>
              {' '}
              <button type="button" class="secondary" onClick={() => void load(items.length, text, items)}>
                {t('requestDetail:tech.partMore')}
              </button>
            </>
          )}
        </p>
      )}
    </div>
  );
}

function CheckOut({ t, ticket, onDone }: FormProps) {
  const { send, error, busy } = useAction(ticket, onDone);
  return (
    <div class="panel">
      <ActionError t={t} error={error} />
      <button class="primary" type="button" disabled={busy} onClick={() => void send('check-out')}>
        {t('requestDetail:tech.checkOut')}
      </button>
    </div>
  );
}

function ReportForm({ t, ticket, onDone }: FormProps) {
  const { send, error, busy } = useAction(ticket, onDone);
  const [summary, setSummary] = useState('');
  const [recommendations, setRecommendations] = useState('');
  function submit(e: Event) {
    e.preventDefault();
    const lines = recommendations
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    void send('report', { summary, recommendations: lines });
  }
  return (
    <form class="panel" onSubmit={submit} data-testid="report-form">
      <h2>{t('requestDetail:tech.report')}</h2>
      <ActionError t={t} error={error} />
      <label>
        {t('requestDetail:tech.summary')}
        <textarea value={summary} onInput={(e) => setSummary(valueOf(e))} />
      </label>
      <label>
        {t('requestDetail:tech.recommendations')}
        <textarea value={recommendations} onInput={(e) => setRecommendations(valueOf(e))} />
      </label>
      <p>
        <button class="primary" type="submit" disabled={busy}>
          {t('requestDetail:tech.reportSubmit')}
        </button>
      </p>
    </form>
  );
}

function EscalateForm({ t, ticket, onDone }: FormProps) {
  const { send, error, busy } = useAction(ticket, onDone);
  const [reason, setReason] = useState('');
  return (
    <form class="panel" onSubmit={(e) => (e.preventDefault(), void send('escalate', { reason }))}>
      <h2>{t('requestDetail:tech.escalate')}</h2>
      <ActionError t={t} error={error} />
      <label>
        {t('requestDetail:tech.escalateReason')}
        <input value={reason} onInput={(e) => setReason(valueOf(e))} />
      </label>
      <p>
        <button class="secondary" type="submit" disabled={busy}>
          {t('requestDetail:tech.escalateSubmit')}
        </button>
      </p>
    </form>
  );
}
