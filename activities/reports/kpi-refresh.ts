/**
 * Refresh of `kpi_request_facts` (migration 0260): the requests changed since their facts were
 * computed get them again (pure `requestFacts`), with their visits (`kpi_visit_facts`, migration
 * 0290), then the open recurrence windows are settled (pure `recurrence`). The daily sums
 * (`kpi_daily`) follow the facts by a trigger: only the days the changed facts touch are
 * recomputed. Idempotent: run it twice and the second run finds nothing to do.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  loadRequestHistories,
  recurrenceCandidates,
  replaceVisitFacts,
  requestsToRefresh,
  setRecurrence,
  upsertFacts,
} from '../../db/repositories/kpis.repository.js';
import type { NewKpiRequestFactsRow } from '../../db/schema/kpi.table.js';
import { isPublicHoliday } from '../sla/french-holidays.js';
import type { SlaCalendar } from '../sla/sla-calendar.js';
import { recurrence, requestFacts, type RequestHistory } from './kpi.js';

const isHoliday = (d: string) => isPublicHoliday(d);

/** The SLA calendar of a request: its contract's coverage and time zone, else business hours in Paris. */
export function calendarOf(contract: { coverage: 'business_hours' | '24_7' | null; timezone: string | null }): SlaCalendar {
  return { coverage: contract.coverage ?? 'business_hours', timezone: contract.timezone ?? 'Europe/Paris', isHoliday };
}

export interface RefreshOutcome {
  refreshed: number;
  recurrenceSettled: number;
}

export async function refreshKpiFacts(db: Kysely<DB>, options: { now?: Date; batch?: number } = {}): Promise<RefreshOutcome> {
  const now = options.now ?? new Date();
  const batch = options.batch ?? 2000;
  let refreshed = 0;
  for (;;) {
    const ids = await requestsToRefresh(db, batch);
    if (ids.length === 0) break;
    const h = await loadRequestHistories(db, ids);
    const group = <T extends { requestId: string }>(rows: readonly T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) m.set(r.requestId, [...(m.get(r.requestId) ?? []), r]);
      return m;
    };
    const transitions = group(h.transitions);
    const visits = group(h.visits);
    const surveys = new Map(h.surveys.map((s) => [s.requestId, s]));
    const rows: NewKpiRequestFactsRow[] = h.requests.map((r) => {
      const history: RequestHistory = {
        requestId: r.id,
        createdAt: r.createdAt,
        firstResponseAt: r.firstResponseAt,
        resolvedAt: r.resolvedAt,
        responseDueAt: r.responseDueAt,
        resolutionDueAt: r.resolutionDueAt,
        transitions: (transitions.get(r.id) ?? []).map((t) => ({
          at: t.createdAt,
          from: t.fromStatus,
          to: t.toStatus,
          detailsType: t.detailsType,
        })),
        visits: (visits.get(r.id) ?? []).map((v) => ({
          technicianId: v.technicianId,
          mode: v.mode,
          checkedInAt: v.checkedInAt,
          checkedOutAt: v.checkedOutAt,
          travelMinutes: v.travelMinutes ?? 0,
        })),
        survey: surveys.get(r.id) ?? null,
        calendar: calendarOf({ coverage: r.coverage, timezone: r.timezone }),
      };
      const { requestId, ...facts } = requestFacts(history);
      return {
        requestId,
        ...facts,
        clientId: r.clientId,
        locationId: r.locationId,
        contractId: r.contractId,
        assetId: r.assetId,
        serviceType: r.serviceType,
        priority: r.priority,
        status: r.status,
        createdAt: r.createdAt,
        resolvedAt: r.resolvedAt,
        closedAt: r.closedAt,
        cancelledAt: r.cancelledAt,
        hasResponseDue: r.responseDueAt !== null,
        hasResolutionDue: r.resolutionDueAt !== null,
        sourceUpdatedAt: r.updatedAt,
        refreshedAt: now,
      };
    });
    // One transaction: the facts, their visits and the daily sums (kept by a trigger on the facts)
    // change together, so a crash in between never leaves a day out of step with its facts.
    await db.transaction().execute(async (trx) => {
      await upsertFacts(trx, rows);
      await replaceVisitFacts(
        trx,
        rows.map((r) => r.requestId),
      );
    });
    refreshed += rows.length;
    if (ids.length < batch) break;
  }
  const { open, followers } = await recurrenceCandidates(db);
  const byId = new Map([...followers, ...open].map((r) => [r.requestId, r]));
  const flags = recurrence([...byId.values()], now);
  const settled = new Map<string, boolean>();
  for (const r of open) {
    const flag = flags.get(r.requestId);
    if (flag !== null && flag !== undefined) settled.set(r.requestId, flag);
  }
  await setRecurrence(db, settled);
  return { refreshed, recurrenceSettled: settled.size };
}
