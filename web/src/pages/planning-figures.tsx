import type { Plan, PlanKpis } from '../api-schema.js';
import type { T } from '../session.js';

/** Minutes as hours and minutes: 125 → "2 h 05". */
export function hours(minutes: number): string {
  const sign = minutes < 0 ? '−' : '';
  const m = Math.abs(Math.round(minutes));
  return `${sign}${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}`;
}

const wall = (iso: string) => iso.slice(11, 16);

function Delta({ now, before, format }: { now: number; before: number; format: (n: number) => string }) {
  if (now === before) return null;
  const d = now - before;
  return (
    <span class="muted">
      {' '}
      ({d > 0 ? '+' : '−'}
      {format(Math.abs(d))})
    </span>
  );
}

/**
 * The version's figures beside the timeline: one row per technician (planned hours, travel,
 * distance, break, idle time, overtime against the shift), the totals, and what changed since the
 * version it was made from (computed by the API, api/dispatch/plan-figures.ts).
 */
export function PlanFigures({ plan, colorOf, t }: { plan: Plan; colorOf: (technicianId: string) => string; t: T }) {
  const { technicians, kpis } = plan.figures;
  const before: PlanKpis | undefined = plan.diff?.previousKpis;
  const diff = plan.diff;
  return (
    <>
      <div class="panel" data-testid="plan-figures">
        <h2>{t('planning:figures.title')}</h2>
        <div class="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('planning:figures.technician')}</th>
                <th scope="col">{t('planning:figures.visits')}</th>
                <th scope="col">{t('planning:figures.planned')}</th>
                <th scope="col">{t('planning:figures.travel')}</th>
                <th scope="col">{t('planning:figures.distance')}</th>
                <th scope="col">{t('planning:figures.break')}</th>
                <th scope="col">{t('planning:figures.idle')}</th>
                <th scope="col">{t('planning:figures.overtime')}</th>
                <th scope="col">{t('planning:figures.shift')}</th>
              </tr>
            </thead>
            <tbody>
              {technicians.map((f) => (
                <tr key={f.technicianId} data-testid={`figures-${f.technicianId}`}>
                  <th scope="row" style="text-align:left;white-space:nowrap;text-transform:none">
                    <span style={`display:inline-block;width:10px;height:10px;margin-right:.3rem;background:${colorOf(f.technicianId)}`} />
                    {f.technicianName}
                  </th>
                  <td>{f.visits}</td>
                  <td>{hours(f.plannedMinutes)}</td>
                  <td>{hours(f.travelMinutes)}</td>
                  <td>{f.distanceKm} km</td>
                  <td>{hours(f.breakMinutes)}</td>
                  <td>{hours(f.idleMinutes)}</td>
                  <td style={f.overtimeMinutes > 0 ? 'color:#b91c1c;font-weight:600' : ''}>{hours(f.overtimeMinutes)}</td>
                  <td>{f.shiftMinutes === null ? '—' : hours(f.shiftMinutes)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="figures-total">
                <th scope="row" style="text-align:left;text-transform:none">
                  {t('planning:figures.total')}
                </th>
                <td>
                  {kpis.assigned}
                  {before && <Delta now={kpis.assigned} before={before.assigned} format={String} />}
                </td>
                <td>
                  {hours(kpis.plannedMinutes)}
                  {before && <Delta now={kpis.plannedMinutes} before={before.plannedMinutes} format={hours} />}
                </td>
                <td>
                  {hours(kpis.travelMinutes)}
                  {before && <Delta now={kpis.travelMinutes} before={before.travelMinutes} format={hours} />}
                </td>
                <td>
                  {kpis.distanceKm} km
                  {before && <Delta now={kpis.distanceKm} before={before.distanceKm} format={(n) => `${Math.round(n * 10) / 10} km`} />}
                </td>
                <td />
                <td>
                  {hours(kpis.idleMinutes)}
                  {before && <Delta now={kpis.idleMinutes} before={before.idleMinutes} format={hours} />}
                </td>
                <td>
                  {hours(kpis.overtimeMinutes)}
                  {before && <Delta now={kpis.overtimeMinutes} before={before.overtimeMinutes} format={hours} />}
                </td>
                <td>{kpis.utilisationPercent === null ? '—' : t('planning:figures.utilisation', { percent: kpis.utilisationPercent })}</td>
              </tr>
            </tfoot>
          </table>
        </div>
        <p class="muted" style="font-size:.85rem">
          {t('planning:figures.kpis', { unassigned: kpis.unassigned, removed: kpis.removed, used: kpis.techniciansUsed })}
        </p>
      </div>
      {diff && (
        <div class="panel" data-testid="plan-diff">
          <h2>{t('planning:diff.title', { version: diff.baseVersion })}</h2>
          {diff.moved.length + diff.added.length + diff.removed.length === 0 ? (
            <p class="muted">{t('planning:diff.none')}</p>
          ) : (
            <div class="table-scroll" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('planning:diff.visit')}</th>
                    <th scope="col">{t('planning:diff.change')}</th>
                    <th scope="col">{t('planning:diff.before')}</th>
                    <th scope="col">{t('planning:diff.after')}</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.moved.map((m) => (
                    <tr key={m.ticketNumber} data-testid={`diff-${m.ticketNumber}`}>
                      <td>{m.ticketNumber}</td>
                      <td>{t('planning:diff.moved')}</td>
                      <td>{`${m.from.technicianName} ${wall(m.from.start)}`}</td>
                      <td>{`${m.to.technicianName} ${wall(m.to.start)}`}</td>
                    </tr>
                  ))}
                  {diff.added.map((m) => (
                    <tr key={m.ticketNumber} data-testid={`diff-${m.ticketNumber}`}>
                      <td>{m.ticketNumber}</td>
                      <td>{t('planning:diff.added')}</td>
                      <td>—</td>
                      <td>{`${m.to.technicianName} ${wall(m.to.start)}`}</td>
                    </tr>
                  ))}
                  {diff.removed.map((m) => (
                    <tr key={m.ticketNumber} data-testid={`diff-${m.ticketNumber}`}>
                      <td>{m.ticketNumber}</td>
                      <td>{t(m.now === 'removed' ? 'planning:diff.removed' : 'planning:diff.unassigned')}</td>
                      <td>{`${m.from.technicianName} ${wall(m.from.start)}`}</td>
                      <td>—</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </>
  );
}
