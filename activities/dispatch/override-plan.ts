/**
 * A dispatcher's override of a daily plan, as a use case: re-solve the latest version
 * incrementally with the override (and the earlier ones still applicable) and store the next
 * version, or refuse with a reason code (nothing stored). The API maps reasons to HTTP statuses.
 * Also: which overrides of a day's latest plan a fresh run keeps.
 */
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { DB } from '../../db/index.js';
import {
  findLatestPlanOfDay,
  findPlan,
  findPlanOfRun,
  insertOverrideVersion,
  isLatestPlanOfDay,
} from '../../db/repositories/dispatch.repository.js';
import {
  anyOf,
  maxIterations,
  maxRuntime,
  noImprovement,
  resolve,
  type CurrentPlan,
  type Problem,
  type StartedVisit,
  type UnassignedReasonCode,
} from '../../optimizer/index.js';
import type {
  MovedStop,
  PlacementRefusal,
  PlanOverrideInput,
  PlanOverrideOutcome,
  StoredOverride,
} from '../../workflows/dispatch/plan-override.contract.js';
import { loadDay } from './day-loaders.js';
import { dayTravel, type RoutingOptions } from './day-travel.js';
import { buildDayProblem, dayClock, PLAN_TIMEZONE, wallClock, type DayClock } from './day-problem.js';
import { describePlan, type DescribedPlan, type StoredPlanResult } from './plan-presenter.js';
import {
  applicableOverrides,
  applyOverrides,
  missingQualifications,
  OverrideInputError,
  overrideRefusal,
  type DayOverride,
} from '../../optimizer/index.js';

/** The contract's refusal codes name every reason the optimizer can give. */
type Covers<T extends PlacementRefusal> = T;
export type OptimizerReasonsCovered = Covers<UnassignedReasonCode>;

const HHMM = (clock: DayClock, iso: string) => {
  const minutes = clock.toMinutes(new Date(iso));
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/** A stored override in the problem's terms (visit ids and minutes of the day). */
function toDayOverride(clock: DayClock, o: StoredOverride): DayOverride {
  switch (o.kind) {
    case 'move':
      return { kind: 'move', visitId: o.requestId!, technicianId: o.technicianId!, ...(o.at ? { start: wallClock(clock, o.at) } : {}) };
    case 'lock':
      return { kind: 'lock', visitId: o.requestId!, technicianId: o.technicianId!, start: wallClock(clock, o.at!) };
    case 'absent':
      return { kind: 'absent', technicianId: o.technicianId!, ...(o.at ? { from: wallClock(clock, o.at) } : {}) };
    case 'remove':
      return { kind: 'remove', visitId: o.requestId! };
    case 'emergency':
      return { kind: 'emergency', visitIds: o.requestIds ?? [] };
  }
}

/** Minutes of the plan's day at `now`, or null when the plan is for another day. */
function nowOnDay(clock: DayClock, now: Date): number | null {
  return DateTime.fromJSDate(now).setZone(PLAN_TIMEZONE).toISODate() === clock.date ? clock.toMinutes(now) : null;
}

export async function overridePlan(
  db: Kysely<DB>,
  workflowId: string,
  runId: string,
  input: PlanOverrideInput,
  now: Date,
  routing?: RoutingOptions,
): Promise<PlanOverrideOutcome> {
  // A retried activity answers what its first attempt stored.
  const done = await findPlanOfRun(db, workflowId, runId);
  if (done) {
    const stored = done.override as StoredOverride & { moved: MovedStop[] };
    const { moved, ...override } = stored;
    return {
      ok: true,
      planId: done.id,
      basePlanId: done.basePlanId!,
      version: done.version,
      override,
      moved,
      unassigned: (done.result as DescribedPlan).unassigned.length,
      solveMs: done.solveMs,
    };
  }
  const base = await findPlan(db, input.basePlanId);
  if (!base) return { ok: false, reason: 'PLAN_NOT_FOUND', message: { en: 'No such plan.', fr: 'Ce plan n’existe pas.' } };
  const superseded = {
    ok: false,
    reason: 'PLAN_SUPERSEDED',
    message: {
      en: 'A newer version of this plan exists: reload it and try again.',
      fr: 'Une version plus récente de ce plan existe : rechargez-la puis réessayez.',
    },
  } as const;
  if (base.status === 'superseded' || !(await isLatestPlanOfDay(db, base.id, base.planDate))) return superseded;

  const date = base.planDate;
  const clock = dayClock(date);
  const previous = base.result as StoredPlanResult;
  const { technicians, requests } = await loadDay(db, date);
  const { problem, started, closed } = buildDayProblem(date, technicians, requests, undefined, { now });
  const startedIds = new Set(started.map((x) => x.visitId));
  const techName = new Map(technicians.map((t) => [t.id, t.name]));
  const o = input.override;
  const byTicket = new Map(requests.map((r) => [r.ticketNumber, r]));
  const request = 'ticketNumber' in o ? byTicket.get(o.ticketNumber) : undefined;
  if ('ticketNumber' in o && !request) {
    return {
      ok: false,
      reason: 'UNKNOWN_VISIT',
      field: 'ticketNumber',
      message: {
        en: `${o.ticketNumber} is not among the open visits of the day.`,
        fr: `${o.ticketNumber} ne fait pas partie des interventions ouvertes du jour.`,
      },
    };
  }
  if (request?.started) {
    return {
      ok: false,
      reason: 'VISIT_STARTED',
      field: 'ticketNumber',
      message: {
        en: `${request.ticketNumber} is already under way or done: it stays where it is.`,
        fr: `${request.ticketNumber} est déjà en cours ou terminée : elle reste où elle est.`,
      },
    };
  }
  const stored: StoredOverride = { kind: o.kind, by: input.actor, createdAt: now.toISOString() };
  if (request) Object.assign(stored, { requestId: request.requestId, ticketNumber: request.ticketNumber });
  if (o.kind === 'move')
    Object.assign(stored, {
      technicianId: o.technicianId,
      technicianName: techName.get(o.technicianId) ?? o.technicianId,
      ...(o.at ? { at: o.at } : {}),
    });
  if (o.kind === 'absent')
    Object.assign(stored, {
      technicianId: o.technicianId,
      technicianName: techName.get(o.technicianId) ?? o.technicianId,
      ...(o.from ? { at: o.from } : {}),
    });
  if (o.kind === 'emergency') {
    // Urgent requests this version has never seen: neither planned, unassigned nor removed.
    const known = new Set([
      ...previous.routes.flatMap((r) => r.stops.map((st) => st.requestId)),
      ...previous.unassigned.map((u) => u.requestId),
      ...(previous.removed ?? []).map((r) => r.requestId),
    ]);
    const urgent = requests.filter((r) => r.priority === 'P1' && !r.started && !r.pinned && !known.has(r.requestId));
    if (!urgent.length) {
      return {
        ok: false,
        reason: 'NO_EMERGENCY',
        message: { en: 'No new P1 request waits for this plan.', fr: 'Aucune nouvelle demande P1 n’attend ce plan.' },
      };
    }
    Object.assign(stored, { requestIds: urgent.map((r) => r.requestId), ticketNumbers: urgent.map((r) => r.ticketNumber) });
  }
  if (o.kind === 'lock') {
    // Locked where the version on the board has it.
    const route = previous.routes.find((r) => r.stops.some((s) => s.requestId === request!.requestId));
    const stop = route?.stops.find((s) => s.requestId === request!.requestId);
    if (!route || !stop) {
      return {
        ok: false,
        reason: 'NOT_PLANNED',
        field: 'ticketNumber',
        message: {
          en: `${o.ticketNumber} is not planned in this version: move it to a technician instead.`,
          fr: `${o.ticketNumber} n’est pas planifiée dans cette version : affectez-la plutôt à un technicien.`,
        },
      };
    }
    Object.assign(stored, { technicianId: route.technicianId, technicianName: route.technicianName, at: HHMM(clock, stop.start) });
  }

  // The plan being overridden, and every override that led to it, then this one.
  const current: CurrentPlan = {
    routes: previous.routes.map((r) => ({ technicianId: r.technicianId, visitIds: r.stops.map((s) => s.requestId) })),
    started,
  };
  // Earlier overrides overtaken by events (their visit started, closed…) no longer apply.
  const earlier = previous.overrides ?? [];
  const kept = applicableOverrides(
    problem,
    earlier.map((x) => toDayOverride(clock, x)),
    { started: startedIds, now: nowOnDay(clock, now) },
  );
  const overrides = [...kept.map((k) => earlier[k.index]!), stored];
  let changed: ReturnType<typeof applyOverrides>;
  try {
    changed = applyOverrides(problem, current, [...kept.map((k) => k.override), toDayOverride(clock, stored)]);
  } catch (err) {
    if (!(err instanceof OverrideInputError)) throw err;
    return { ok: false, reason: err.code, field: err.field, message: err.messages };
  }
  const budgetMs = Math.round((input.seconds ?? 0.8) * 1000);
  // A small day stops as soon as the search stalls: the dispatcher is waiting for the answer.
  // The same travel times as the plan (the road service's cached matrix, or the offline model).
  const travel = await dayTravel(changed.problem, routing);
  const result = await resolve(
    changed.problem,
    { ...changed.plan, started },
    { travel: travel.travel, seed: base.seed, stop: anyOf(maxRuntime(budgetMs), maxIterations(500_000), noImprovement(20_000)) },
  );
  const refusal = overrideRefusal(toDayOverride(clock, stored), result);
  if (refusal) {
    const what = o.kind === 'lock' ? `lock ${stored.ticketNumber}` : `move ${stored.ticketNumber} to ${stored.technicianName}`;
    const quoi =
      o.kind === 'lock'
        ? `Impossible de verrouiller ${stored.ticketNumber}`
        : `Impossible d’affecter ${stored.ticketNumber} à ${stored.technicianName}`;
    const missing =
      o.kind === 'move' && refusal.reason === 'NO_QUALIFIED_TECHNICIAN'
        ? missingQualifications(changed.problem, request!.requestId, o.technicianId)
        : [];
    const why = missing.length
      ? {
          en: `${stored.technicianName} lacks ${missing.join(', ')}.`,
          fr: `${stored.technicianName} n’a pas ${missing.length > 1 ? 'les qualifications' : 'la qualification'} ${missing.join(', ')}.`,
        }
      : refusal.message;
    const field = missing.length || o.kind === 'lock' || !('at' in o && o.at) ? 'technicianId' : 'at';
    return { ok: false, reason: refusal.reason, field, message: { en: `Cannot ${what}: ${why.en}`, fr: `${quoi} : ${why.fr}` } };
  }

  const requestById = new Map(requests.map((r) => [r.requestId, r]));
  const target = 'ticketNumber' in o && o.kind === 'move' ? request!.requestId : null;
  const moved: MovedStop[] = result.moved
    .filter((m) => m.visitId !== target)
    .map((m) => ({
      ticketNumber: requestById.get(m.visitId)!.ticketNumber,
      requestId: m.visitId,
      from: { technicianId: m.from, technicianName: techName.get(m.from) ?? m.from },
      to: m.to === null ? null : { technicianId: m.to, technicianName: techName.get(m.to) ?? m.to },
    }));
  const locked = new Set(
    changed.problem.visits
      .filter((v) => v.pinnedTechnicianId !== undefined && overrides.some((x) => x.requestId === v.id))
      .map((v) => v.id),
  );
  const removedIds = new Set(overrides.filter((x) => x.kind === 'remove').map((x) => x.requestId!));
  const version = base.version + 1;
  const plan: StoredPlanResult = {
    ...describePlan(date, technicians, requests, result, locked, closed),
    version,
    overrides,
    removed: [...removedIds].flatMap((id) => {
      const r = requestById.get(id);
      return r ? [{ requestId: id, ticketNumber: r.ticketNumber, title: r.title, priority: r.priority }] : [];
    }),
  };
  const assigned = result.routes.reduce((n, r) => n + r.stops.length, 0);
  const travelMinutes = Math.round(result.routes.reduce((n, r) => n + r.travelMinutes, 0));
  const solveMs = Math.round(result.stats.elapsedMs);
  // Two dispatchers overriding the same version: the second waits on the base's lock, then sees it is stale.
  const savedId = await insertOverrideVersion(db, base, {
    planDate: date,
    workflowId,
    runId,
    seed: base.seed,
    visits: changed.problem.visits.length,
    technicians: changed.problem.technicians.length,
    assigned,
    feasible: result.feasible,
    allP1Placed: result.allP1Placed,
    travelMinutes,
    solveMs,
    result: JSON.stringify(plan),
    version,
    basePlanId: base.id,
    override: JSON.stringify({ ...stored, moved }),
  });
  if (!savedId) return superseded;
  return {
    ok: true,
    planId: savedId,
    basePlanId: base.id,
    version,
    override: stored,
    moved,
    unassigned: result.unassigned.length,
    solveMs,
  };
}

/** The day's latest stored plan, if any. */
export async function latestPlanOf(db: Kysely<DB>, date: string): Promise<StoredPlanResult | undefined> {
  return (await findLatestPlanOfDay(db, date))?.result as StoredPlanResult | undefined;
}

/**
 * A fresh run of a day keeps the overrides of its latest plan. A dispatcher who moved, locked or
 * removed a visit, or marked a technician absent, made a decision about the world (the client
 * was promised that slot, the technician is ill); re-optimizing the day (new requests, a longer
 * budget) is not a request to forget them, and silently losing them would re-send visits to an
 * absent technician. Those overtaken by events are dropped (see applicableOverrides); the board
 * offers an explicit clean run (keepOverrides: false).
 */
export function keepDayOverrides(
  clock: DayClock,
  problem: Problem,
  overrides: readonly StoredOverride[],
  started: readonly StartedVisit[],
  now: Date,
) {
  const kept = applicableOverrides(
    problem,
    overrides.map((x) => toDayOverride(clock, x)),
    { started: new Set(started.map((s) => s.visitId)), now: nowOnDay(clock, now) },
  );
  const changed = applyOverrides(
    problem,
    { routes: [] },
    kept.map((k) => k.override),
  );
  const keptStored = kept.map((k) => overrides[k.index]!);
  const ids = new Set(keptStored.flatMap((x) => (x.requestId ? [x.requestId] : [])));
  return {
    problem: changed.problem,
    overrides: keptStored,
    locked: new Set(changed.problem.visits.filter((v) => v.pinnedTechnicianId !== undefined && ids.has(v.id)).map((v) => v.id)),
    removed: [...new Set(keptStored.filter((x) => x.kind === 'remove').map((x) => x.requestId!))],
  };
}
