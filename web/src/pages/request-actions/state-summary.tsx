import { formatDateTime, formatSlot, type Lang } from '../../i18n.js';
import type { T } from '../../session.js';
import type { InterventionState } from './shared.js';

/** The live state's facts everyone asks about: who comes, when, and the SLA deadlines. */
export function StateSummary({ t, lang, state }: { t: T; lang: Lang; state: InterventionState }) {
  const a = state.assignment;
  const { sla } = state;
  return (
    <div class="panel" data-testid="state-summary">
      <h2>{t('requestDetail:state.assignment')}</h2>
      <dl class="kv">
        {a ? (
          <>
            <dt>{t('requestDetail:state.technician')}</dt>
            <dd data-testid="assigned-technician">{a.technicianName}</dd>
            <dt>{t('requestDetail:state.slot')}</dt>
            <dd data-testid="assigned-slot">{formatSlot(lang, a.start, a.end)}</dd>
          </>
        ) : (
          <>
            <dt>{t('requestDetail:state.technician')}</dt>
            <dd class="muted">{t('requestDetail:state.none')}</dd>
            {state.estimatedInterventionAt && (
              <>
                <dt>{t('requestDetail:state.estimated')}</dt>
                <dd>{formatDateTime(lang, state.estimatedInterventionAt)}</dd>
              </>
            )}
          </>
        )}
        {sla.responseDueAt && (
          <>
            <dt>{sla.respondedAt ? t('requestDetail:state.responded') : t('requestDetail:state.responseDue')}</dt>
            <dd>{formatDateTime(lang, sla.respondedAt ?? sla.responseDueAt)}</dd>
          </>
        )}
        {sla.resolutionDueAt && (
          <>
            <dt>{t('requestDetail:state.resolutionDue')}</dt>
            <dd>{formatDateTime(lang, sla.resolutionDueAt)}</dd>
          </>
        )}
        {sla.pausedAt && (
          <>
            <dt>{t('requestDetail:state.paused')}</dt>
            <dd>{formatDateTime(lang, sla.pausedAt)}</dd>
          </>
        )}
        <dt>{t('requestDetail:state.level')}</dt>
        <dd>
          N{state.supportLevel}
          {state.specialistGroup ? ` · ${state.specialistGroup}` : ''}
        </dd>
      </dl>
    </div>
  );
}
