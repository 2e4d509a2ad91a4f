/**
 * The indicator use cases behind /api/kpis/*: the caller's scope applied to the filters (a
 * client_admin is held to its company, a technician to their own figures; row-level security on
 * kpi_request_facts enforces the same below), then the repositories' queries.
 */
import type { z } from 'zod';
import {
  kpiBacklog,
  kpiDrillDown,
  kpiFinance,
  kpiPlannerSettings,
  kpiRecurring,
  kpiSeries,
  kpiSummary,
  kpiTechnicians,
  type Bucket,
  type DrillMeasure,
  type KpiFilters,
} from '../../db/repositories/kpis.repository.js';
import type { Executor } from '../../db/executor.js';
import { HttpError } from '../errors.js';
import type { Principal } from '../routing.js';
import type { kpiSummarySchema, kpiTechniciansSchema } from '../schemas/kpis.response.js';

export interface KpiQuery {
  from?: string | undefined;
  to?: string | undefined;
  clientId?: string | undefined;
  locationId?: string | undefined;
  serviceType?: string | undefined;
  priority?: string | undefined;
  technicianId?: string | undefined;
}

const DAY = 86_400_000;
/** Nobody's company: what a client account without one is held to (sees nothing). */
const NO_ONE = '00000000-0000-0000-0000-000000000000';

/** The filters of a query under the caller's scope. Default period: the 90 days up to today included. */
export function scopedFilters(principal: Principal | null, q: KpiQuery, now = new Date()): KpiFilters {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const to = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY) : new Date(today + DAY);
  const from = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(to.getTime() - 90 * DAY);
  let { clientId, technicianId } = q;
  if (principal?.role === 'client_admin' || principal?.role === 'client_user') {
    if (clientId && clientId !== principal.clientId) throw new HttpError(403, 'forbidden', 'clientId: not your company');
    clientId = principal.clientId ?? NO_ONE;
  }
  if (principal?.role === 'technician') {
    if (technicianId && technicianId !== principal.technicianId) throw new HttpError(403, 'forbidden', 'technicianId: not you');
    technicianId = principal.technicianId ?? NO_ONE;
  }
  return { from, to, clientId, locationId: q.locationId, serviceType: q.serviceType, priority: q.priority, technicianId };
}

export type KpiSummaryBody = z.output<typeof kpiSummarySchema>;

export async function summaryOf(db: Executor, principal: Principal | null, q: KpiQuery, now = new Date()) {
  const f = scopedFilters(principal, q, now);
  await kpiPlannerSettings(db);
  const [summary, backlog] = await Promise.all([kpiSummary(db, f), kpiBacklog(db, f, now)]);
  return { period: { from: f.from, to: f.to }, ...summary, backlog };
}

export async function seriesOf(db: Executor, principal: Principal | null, q: KpiQuery & { bucket?: Bucket | undefined }) {
  const bucket = q.bucket ?? 'week';
  await kpiPlannerSettings(db);
  return { bucket, items: await kpiSeries(db, scopedFilters(principal, q), bucket) };
}

export type TechnicianFiguresBody = z.output<typeof kpiTechniciansSchema>;

/** Per technician (docs/kpis.md "per technician"): hours, shares and rates from the sums. */
export async function techniciansOf(db: Executor, principal: Principal | null, q: KpiQuery): Promise<TechnicianFiguresBody> {
  const f = scopedFilters(principal, q);
  await kpiPlannerSettings(db);
  const rows = await kpiTechnicians(db, f);
  return {
    items: rows.map((r) => {
      const worked = r.onSiteMinutes + r.travelMinutes;
      return {
        technicianId: r.technicianId,
        name: r.name,
        visits: r.visits,
        onSiteHours: r.onSiteMinutes / 60,
        travelHours: r.travelMinutes / 60,
        travelShare: worked > 0 ? r.travelMinutes / worked : null,
        utilisation: r.shiftMinutes > 0 ? worked / r.shiftMinutes : null,
        resolved: r.resolved,
        firstTimeFixRate: r.resolved > 0 ? r.firstTimeFix / r.resolved : null,
        meanRating: r.meanRating,
        rating: r.rating === null ? null : Number(r.rating),
      };
    }),
  };
}

export async function financeOf(db: Executor, principal: Principal | null, q: KpiQuery) {
  const f = scopedFilters(principal, q);
  await kpiPlannerSettings(db);
  return { items: await kpiFinance(db, f) };
}

export async function recurringOf(db: Executor, principal: Principal | null, q: KpiQuery) {
  const f = scopedFilters(principal, q);
  await kpiPlannerSettings(db);
  return { items: await kpiRecurring(db, f) };
}

export async function drillDownOf(db: Executor, principal: Principal | null, q: KpiQuery & { measure: DrillMeasure }) {
  const f = scopedFilters(principal, q);
  await kpiPlannerSettings(db);
  return { measure: q.measure, items: await kpiDrillDown(db, f, q.measure) };
}
