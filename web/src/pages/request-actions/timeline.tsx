/**
 * The request's history in the reader's language. Entries written since timeline details exist
 * carry their facts as data (names, the slot, the mode, the rating), said here with Intl and the
 * dictionary; older entries show the workflow's message as it was stored.
 */
import type { ComponentChildren } from 'preact';
import { dynamicLabel, formatDateTime, formatSlot, type Lang } from '../../i18n.js';
import type { T } from '../../session.js';
import type { TimelineDetails, TimelineEntry } from './shared.js';

/** A translated label, or the code when the dictionary has none (a kind added later). */
export function label(t: T, key: string, fallback: string): string {
  return dynamicLabel(t, key, fallback);
}

/** Event kinds are written `log:diagnosis`; in a key `:` separates the namespace, so `.` stands for it. */
const eventKey = (kind: string) => kind.replaceAll(':', '.');

function title(t: T, e: TimelineEntry): string {
  return e.kind === 'status_change' && e.toStatus
    ? label(t, `status.${e.toStatus}`, e.toStatus)
    : label(t, `requestDetail:event.${eventKey(e.kind)}`, e.kind);
}

/** Free text a user typed (a note, a reason) under the entry's facts. */
const note = (text: string | null) => (text ? <div>{text}</div> : null);

/** A 1–5 rating as stars, read out as "Note : 4 sur 5". */
export function Stars({ t, rating }: { t: T; rating: number }) {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return (
    <span class="stars" role="img" aria-label={`${t('requestDetail:timeline.rating')} ${n} ${t('requestDetail:timeline.outOf5')}`}>
      {'★'.repeat(n)}
      <span class="muted">{'☆'.repeat(5 - n)}</span>
    </span>
  );
}

function factsOf(t: T, lang: Lang, d: TimelineDetails): ComponentChildren {
  switch (d.type) {
    case 'assignment':
      return (
        <>
          <div>
            {t(d.reassigned ? 'requestDetail:timeline.reassigned' : 'requestDetail:timeline.assigned')} <strong>{d.technicianName}</strong>
          </div>
          <div>{formatSlot(lang, d.start, d.end)}</div>
        </>
      );
    case 'check_in':
      return (
        <div>
          {t('requestDetail:timeline.mode')} {label(t, `requestDetail:tech.${d.mode}`, d.mode)}
        </div>
      );
    case 'specialist':
      return (
        <>
          <div>
            {t('requestDetail:timeline.group')} {d.group} (N{d.level})
          </div>
          {note(d.note)}
        </>
      );
    case 'escalation':
      return (
        <>
          <div>
            {t('requestDetail:timeline.escalatedTo')} N{d.level}
          </div>
          {note(d.reason)}
        </>
      );
    case 'part':
      return (
        <>
          <div>
            {d.quantity} × {d.label ?? d.sku} <span class="muted">({d.sku})</span>
          </div>
          {note(d.note)}
        </>
      );
    case 'invoice':
      return (
        <div>
          {t('requestDetail:timeline.invoice')} {d.number}
        </div>
      );
    case 'survey':
      return (
        <div>
          <Stars t={t} rating={d.rating} />
        </div>
      );
    case 'survey_unanswered':
      return <div>{t('requestDetail:timeline.surveyUnanswered')}</div>;
    case 'priority':
      return (
        <>
          <div>
            {d.from} → {d.to}
          </div>
          {/* Raised by the SLA watch: its reason is the milestone, said in the reader's language. */}
          {note(d.slaMilestone ? label(t, `requestDetail:event.sla.${d.slaMilestone}`, d.reason) : d.reason)}
        </>
      );
    case 'sla':
      return (
        <>
          <div>
            {t('requestDetail:timeline.slaDue')} {formatDateTime(lang, d.dueAt)}
          </div>
          <div>
            {d.priorityRaisedTo
              ? `${t('requestDetail:timeline.slaPriorityRaised')} ${d.priorityRaisedTo}`
              : d.supportLevelRaisedTo
                ? `${t('requestDetail:timeline.slaLevelRaised')} N${d.supportLevelRaisedTo}`
                : t('requestDetail:timeline.slaSupportAlerted')}
          </div>
        </>
      );
    case 'not_billable':
      return <div>{t(`requestDetail:timeline.notBillable.${d.reason ?? 'other'}`)}</div>;
    case 'cancellation':
      return (
        <>
          <div>{t('requestDetail:timeline.cancelReason')}</div>
          {note(d.reason)}
        </>
      );
    default:
      // A type this page does not know yet (a newer workflow): the caller shows the message.
      return undefined;
  }
}

function Body({ t, lang, e }: { t: T; lang: Lang; e: TimelineEntry }) {
  const facts = e.details ? factsOf(t, lang, e.details) : undefined;
  if (facts !== undefined) return <>{facts}</>;
  if (!e.message) return null;
  return <div>{e.kind === 'check_in' ? label(t, `requestDetail:tech.${e.message}`, e.message) : e.message}</div>;
}

export function Timeline({ t, lang, entries }: { t: T; lang: Lang; entries: TimelineEntry[] }) {
  return (
    <div class="panel">
      <h2>{t('requestDetail:detail.timeline')}</h2>
      <ol class="timeline" data-testid="timeline">
        {entries.map((e) => (
          <li key={e.id}>
            <strong>{title(t, e)}</strong>{' '}
            <span class="muted">
              · {label(t, `requestDetail:actor.${e.actorType}`, e.actorType)} · {formatDateTime(lang, e.createdAt)}
            </span>
            <Body t={t} lang={lang} e={e} />
          </li>
        ))}
      </ol>
    </div>
  );
}
