import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { T } from '../../session.js';
import { ActionError, useAction, valueOf, type PanelProps, type TimelineEntry } from './shared.js';
import { Stars } from './timeline.js';

/** The message of the latest timeline entry matching `match` (the question asked, the solution proposed). */
function latest(timeline: TimelineEntry[], match: (e: TimelineEntry) => boolean): string | null {
  for (let i = timeline.length - 1; i >= 0; i--) if (match(timeline[i]!)) return timeline[i]!.message;
  return null;
}

const CLIENT_MOMENTS = ['awaiting_client_info', 'solution_proposed', 'awaiting_validation', 'survey'];

/** Whether the client panel has anything now: a key moment, or the thanks for the survey answered. */
export const clientPanelShows = ({ state }: Pick<PanelProps, 'me' | 'state'>): boolean =>
  CLIENT_MOMENTS.includes(state.status) || state.survey !== null;

/**
 * The client's key moments in the journey: answer support's question, accept or reject what is
 * proposed (a remote solution, or the technician's report), and tell us how it went.
 */
export function ClientPanel({ t, ticket, detail, state, onDone }: PanelProps) {
  const { timeline, report } = detail;
  switch (state.status) {
    case 'awaiting_client_info':
      return <AnswerForm t={t} ticket={ticket} onDone={onDone} question={latest(timeline, (e) => e.toStatus === 'awaiting_client_info')} />;
    case 'solution_proposed':
      return (
        <Validation t={t} ticket={ticket} onDone={onDone} title={t('requestDetail:client.solutionTitle')}>
          <p class="proposal">{latest(timeline, (e) => e.kind === 'solution' || e.toStatus === 'solution_proposed')}</p>
        </Validation>
      );
    case 'awaiting_validation':
      return (
        <Validation t={t} ticket={ticket} onDone={onDone} title={t('requestDetail:client.reportTitle')}>
          <p class="proposal">{report?.summary ?? latest(timeline, (e) => e.toStatus === 'awaiting_validation')}</p>
          {report && report.recommendations.length > 0 && (
            <>
              <h3>{t('requestDetail:client.recommendations')}</h3>
              <ul data-testid="recommendations">
                {report.recommendations.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            </>
          )}
        </Validation>
      );
    case 'survey':
      return <SurveyForm t={t} ticket={ticket} onDone={onDone} />;
    default:
      return state.survey ? (
        <div class="success" data-testid="survey-thanks">
          {t('requestDetail:client.thanks')} <Stars t={t} rating={state.survey.rating} />
        </div>
      ) : null;
  }
}

function AnswerForm({ t, ticket, question, onDone }: { t: T; ticket: string; question: string | null; onDone: (ok: boolean) => void }) {
  const { send, error, busy } = useAction(ticket, onDone);
  const [answer, setAnswer] = useState('');
  return (
    <form
      class="panel key-moment"
      data-testid="client-answer"
      onSubmit={(e) => (e.preventDefault(), void send('client-answer', { answer }))}
    >
      <h2>{t('requestDetail:client.infoTitle')}</h2>
      {question && <p class="proposal">{question}</p>}
      <ActionError t={t} error={error} />
      <label>
        {t('requestDetail:client.answer')}
        <textarea value={answer} onInput={(e) => setAnswer(valueOf(e))} />
      </label>
      <p>
        <button class="primary" type="submit" disabled={busy}>
          {t('requestDetail:client.sendAnswer')}
        </button>
      </p>
    </form>
  );
}

/** Accept, or reject with a reason, whatever is proposed (shown first, as `children`). */
function Validation({
  t,
  ticket,
  title,
  onDone,
  children,
}: {
  t: T;
  ticket: string;
  title: string;
  onDone: (ok: boolean) => void;
  children: ComponentChildren;
}) {
  const { send, error, busy } = useAction(ticket, onDone);
  const [reason, setReason] = useState('');
  return (
    <section class="panel key-moment" data-testid="client-validation">
      <h2>{title}</h2>
      {children}
      <p class="muted">{t('requestDetail:client.validateHelp')}</p>
      <ActionError t={t} error={error} />
      <div class="actions">
        <button class="primary ok" type="button" disabled={busy} onClick={() => void send('accept')}>
          {t('requestDetail:client.accept')}
        </button>
        <form class="inline" onSubmit={(e) => (e.preventDefault(), void send('reject', { reason }))}>
          <label>
            {t('requestDetail:client.rejectReason')}
            <input value={reason} onInput={(e) => setReason(valueOf(e))} />
          </label>
          <button class="secondary" type="submit" disabled={busy}>
            {t('requestDetail:client.reject')}
          </button>
        </form>
      </div>
    </section>
  );
}

function SurveyForm({ t, ticket, onDone }: { t: T; ticket: string; onDone: (ok: boolean) => void }) {
  const { send, error, busy } = useAction(ticket, onDone);
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  function submit(e: Event) {
    e.preventDefault();
    // No rating chosen: sent as such, and the API names the field.
    void send('survey', { rating: rating ?? undefined, comment: comment.trim() ? comment : undefined });
  }
  return (
    <form class="panel key-moment" data-testid="client-survey" onSubmit={submit}>
      <h2>{t('requestDetail:client.surveyTitle')}</h2>
      <ActionError t={t} error={error} />
      <fieldset class="choices rating">
        <legend>{t('requestDetail:client.rating')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} class="choice">
            <input type="radio" name="rating" value={String(n)} checked={rating === n} onChange={() => setRating(n)} />
            {n} ★
          </label>
        ))}
      </fieldset>
      <label>
        {t('requestDetail:client.comment')}
        <textarea value={comment} onInput={(e) => setComment(valueOf(e))} />
      </label>
      <p>
        <button class="primary" type="submit" disabled={busy}>
          {t('requestDetail:client.sendSurvey')}
        </button>
      </p>
    </form>
  );
}
