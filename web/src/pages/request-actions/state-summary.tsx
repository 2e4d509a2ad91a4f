import { formatDateTime, formatSlot, type Lang } from '../../i18n.js';
import type { T } from '../../session.js';
import type { InterventionState } from './shared.js';

/** The live state's facts everyone asks about: who comes, when, and the SLA deadlines. */
export function StateSummary({ t, lang, state }: { t: T; lang: Lang; state: InterventionState }) {
  const a = state.assignment;
  const { sla } = state;
  return (
    <div class="panel" data-testid="state-summary">
      <h2>{t('state.assignment')}</h2>
      <dl class="kv">
        {a ? (
          <>
            <dt>{t('state.technician')}</dt>
            <dd data-testid="assigned-technician">{a.technicianName}</dd>
            <dt>{t('state.slot')}</dt>
            <dd data-testid="assigned-slot">{formatSlot(lang, a.start, a.end)}</dd>
          </>
        ) : (
          <>
            <dt>{t('state.technician')}</dt>
            <dd class="muted">{t('state.none')}</dd>
            {state.estimatedInterventionAt && (
              <>
                <dt>{t('state.estimated')}</dt>
                <dd>{formatDateTime(lang, state.estimatedInterventionAt)}</dd>
              </>
            )}
          </>
        )}
        {sla.responseDueAt && (
          <>
            <dt>{sla.respondedAt ? t('state.responded') : t('state.responseDue')}</dt>
            <dd>{formatDateTime(lang, sla.respondedAt ?? sla.responseDueAt)}</dd>
          </>
        )}
        {sla.resolutionDueAt && (
          <>
            <dt>{t('state.resolutionDue')}</dt>
            <dd>{formatDateTime(lang, sla.resolutionDueAt)}</dd>
          </>
        )}
        {sla.pausedAt && (
          <>
            <dt>{t('state.paused')}</dt>
            <dd>{formatDateTime(lang, sla.pausedAt)}</dd>
          </>
        )}
        <dt>{t('state.level')}</dt>
        <dd>
          N{state.supportLevel}
          {state.specialistGroup ? ` · ${state.specialistGroup}` : ''}
        </dd>
      </dl>
    </div>
  );
}
