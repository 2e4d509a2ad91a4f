/**
 * The daily plan: loads the day's technicians and the requests waiting for planning, asks the
 * optimizer for a plan (heartbeating its progress, stopping on cancellation), and stores the plan
 * once per workflow run. A dispatcher's override re-solves the latest version incrementally and
 * stores the next version. Publishing the plan's assignments to the interventions is a separate step.
 */
import { Context } from '@temporalio/activity';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { DateTime } from 'luxon';
import {
  anyOf,
  maxIterations,
  maxRuntime,
  noImprovement,
  resolve,
  solve,
  type CurrentPlan,
  type Problem,
  type Result,
  type StartedVisit,
  type UnassignedReasonCode,
} from '../../optimizer/index.js';
import { buildDayProblem, dayClock, PLAN_TIMEZONE, wallClock, type DayClock, type OpenRequest, type TechnicianDay } from './day-problem.js';
import {
  applicableOverrides,
  applyOverrides,
  missingQualifications,
  OverrideInputError,
  overrideRefusal,
  type DayOverride,
} from '../../optimizer/index.js';

export interface DispatchDeps {
  db: Kysely<DB>;
  /** The current instant (injectable so tests of "today" are deterministic). */
  now?: () => Date;
}

export interface PlanDayInput {
  /** ISO date of the day to plan (Europe/Paris). */
  date: string;
  /** Time budget of the search. */
  seconds: number;
  seed: number;
  /**
   * Re-apply the dispatcher's overrides of the day's latest plan (default true): locks and moves
   * as pins, absences, removals. false: a clean run from the day's data alone.
   */
  keepOverrides?: boolean;
}

export interface PlanDaySummary {
  planId: string;
  date: string;
  visits: number;
  technicians: number;
  assigned: number;
  unassigned: number;
  feasible: boolean;
  allP1Placed: boolean;
  travelMinutes: number;
  solveMs: number;
  /** Earlier overrides of the day re-applied to this run. */
  keptOverrides: number;
  /** Visits under way or done, kept as they are. */
  started: number;
}

/** What a visit needs of its request, client and site; both loaders select it. */
const REQUEST_COLUMNS = [
  'r.id as requestId',
  'r.ticketNumber',
  'r.title',
  'c.companyName',
  'l.name as siteName',
  'r.serviceType',
  'r.priority',
  'r.supportLevel',
  'l.latitude',
  'l.longitude',
  'r.responseDueAt',
  'r.resolutionDueAt',
] as const;

/** The part of an OpenRequest both loaders fill the same way (coordinates are filtered non-null). */
function visitOf(r: {
  requestId: string;
  ticketNumber: string;
  title: string;
  companyName: string;
  siteName: string;
  serviceType: OpenRequest['serviceType'];
  priority: OpenRequest['priority'];
  supportLevel: OpenRequest['supportLevel'];
  latitude: number | null;
  longitude: number | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
}) {
  return {
    requestId: r.requestId,
    ticketNumber: r.ticketNumber,
    title: r.title,
    companyName: r.companyName,
    siteName: r.siteName,
    serviceType: r.serviceType,
    priority: r.priority,
    supportLevel: r.supportLevel,
    latitude: r.latitude!,
    longitude: r.longitude!,
    responseDueAt: r.responseDueAt,
    resolutionDueAt: r.resolutionDueAt,
  };
}

/** Progress reported in heartbeats, read by the API to show a progress bar. */
export interface PlanProgress {
  phase: 'loading' | 'solving' | 'saving';
  elapsedMs: number;
  budgetMs: number;
  iteration: number;
  bestCost: number | null;
  unassigned: number | null;
}

async function loadTechnicians(db: Kysely<DB>, date: string): Promise<TechnicianDay[]> {
  const clock = dayClock(date);
  const weekday = clock.midnight.weekday;
  const dayEnd = clock.midnight.plus({ days: 1 }).toJSDate();
  const technicians = await db
    .selectFrom('technicians')
    .select(['id', 'firstName', 'lastName', 'homeLatitude', 'homeLongitude', 'hourlyCostCents', 'maxOvertimeMinutes', 'rating'])
    .where('active', '=', true)
    .orderBy('lastName')
    .execute();
  const [skills, shifts, absences] = await Promise.all([
    db.selectFrom('technicianSkills').selectAll().execute(),
    db.selectFrom('technicianShifts').selectAll().where('weekday', '=', weekday).execute(),
    db
      .selectFrom('technicianAbsences')
      .selectAll()
      .where('startsAt', '<', dayEnd)
      .where('endsAt', '>', clock.midnight.toJSDate())
      .execute(),
  ]);
  return technicians.map((t) => {
    const shift = shifts.find((s) => s.technicianId === t.id);
    return {
      id: t.id,
      name: `${t.firstName} ${t.lastName}`,
      homeLatitude: t.homeLatitude,
      homeLongitude: t.homeLongitude,
      hourlyCostCents: t.hourlyCostCents,
      maxOvertimeMinutes: t.maxOvertimeMinutes,
      rating: t.rating === null ? null : Number(t.rating),
      skills: skills.filter((s) => s.technicianId === t.id).map((s) => ({ skill: s.skill, level: s.level })),
      shift: shift
        ? {
            startsAt: shift.startsAt,
            endsAt: shift.endsAt,
            lunchEarliest: shift.lunchEarliest,
            lunchLatest: shift.lunchLatest,
            lunchMinutes: shift.lunchMinutes,
          }
        : null,
      absences: absences.filter((a) => a.technicianId === t.id).map((a) => ({ startsAt: a.startsAt, endsAt: a.endsAt })),
    };
  });
}

async function loadOpenRequests(db: Kysely<DB>, date: string): Promise<OpenRequest[]> {
  const clock = dayClock(date);
  const dayEnd = clock.midnight.plus({ days: 1 }).toJSDate();
  const rows = await db
    .selectFrom('serviceRequests as r')
    .innerJoin('clients as c', 'c.id', 'r.clientId')
    .innerJoin('clientLocations as l', 'l.id', 'r.locationId')
    .leftJoin('assignments as a', (join) =>
      join
        .onRef('a.requestId', '=', 'r.id')
        .on('a.status', 'in', ['proposed', 'confirmed', 'en_route', 'on_site'])
        .on('a.scheduledStart', '>=', clock.midnight.toJSDate())
        .on('a.scheduledStart', '<', dayEnd),
    )
    .select([...REQUEST_COLUMNS, 'a.technicianId as pinnedTechnicianId', 'a.scheduledStart as pinnedStart', 'a.pinned'])
    .where((eb) =>
      eb.or([eb('r.status', '=', 'awaiting_planning'), eb.and([eb('r.status', '=', 'scheduled'), eb('a.id', 'is not', null)])]),
    )
    .where('l.latitude', 'is not', null)
    .where('l.longitude', 'is not', null)
    .orderBy('r.createdAt')
    .execute();
  return rows.map((r) => ({
    ...visitOf(r),
    // Confirmed visits of the day are kept where they are (dispatcher pins or already booked).
    ...(r.pinnedTechnicianId && r.pinnedStart ? { pinned: { technicianId: r.pinnedTechnicianId, start: r.pinnedStart } } : {}),
  }));
}

/**
 * Visits under way or done that day: an on-site check-in that day (the latest per request), with
 * its technician, check-out if any, and the planned length of its assignment. A remote session
 * does not hold the technician at the client's site, so it is not a started visit here.
 */
async function loadStartedVisits(db: Kysely<DB>, date: string): Promise<OpenRequest[]> {
  const clock = dayClock(date);
  const dayEnd = clock.midnight.plus({ days: 1 }).toJSDate();
  const rows = await db
    .selectFrom('siteVisits as v')
    .innerJoin('serviceRequests as r', 'r.id', 'v.requestId')
    .innerJoin('clients as c', 'c.id', 'r.clientId')
    .innerJoin('clientLocations as l', 'l.id', 'r.locationId')
    .leftJoin('assignments as a', 'a.id', 'v.assignmentId')
    .select([...REQUEST_COLUMNS, 'v.technicianId', 'v.checkedInAt', 'v.checkedOutAt', 'a.scheduledStart', 'a.scheduledEnd'])
    .where('v.mode', '=', 'on_site')
    .where('v.checkedInAt', '>=', clock.midnight.toJSDate())
    .where('v.checkedInAt', '<', dayEnd)
    .where('r.status', '!=', 'cancelled')
    .where('l.latitude', 'is not', null)
    .where('l.longitude', 'is not', null)
    .orderBy('v.checkedInAt', 'desc')
    .execute();
  const seen = new Set<string>();
  return rows.flatMap((r) => {
    if (seen.has(r.requestId)) return [];
    seen.add(r.requestId);
    const plannedMinutes =
      r.scheduledStart && r.scheduledEnd ? Math.round((r.scheduledEnd.getTime() - r.scheduledStart.getTime()) / 60_000) : null;
    return [
      {
        ...visitOf(r),
        started: { technicianId: r.technicianId, checkedInAt: r.checkedInAt, checkedOutAt: r.checkedOutAt, plannedMinutes },
      },
    ];
  });
}

/** The day's technicians and visits: open requests, and those under way or done (never re-planned). */
async function loadDay(db: Kysely<DB>, date: string): Promise<{ technicians: TechnicianDay[]; requests: OpenRequest[] }> {
  const [technicians, open, started] = await Promise.all([
    loadTechnicians(db, date),
    loadOpenRequests(db, date),
    loadStartedVisits(db, date),
  ]);
  const startedIds = new Set(started.map((r) => r.requestId));
  return { technicians, requests: [...open.filter((r) => !startedIds.has(r.requestId)), ...started] };
}

/** The stored plan: the solver's result with names, tickets, coordinates and ISO times. */
export function describePlan(
  date: string,
  technicians: readonly TechnicianDay[],
  requests: readonly OpenRequest[],
  result: Result,
  /** Visits a dispatcher override holds in place (moved there or locked). */
  locked: ReadonlySet<string> = new Set(),
) {
  const clock = dayClock(date);
  const techById = new Map(technicians.map((t) => [t.id, t]));
  const requestById = new Map(requests.map((r) => [r.requestId, r]));
  return {
    date,
    timezone: PLAN_TIMEZONE,
    feasible: result.feasible,
    allP1Placed: result.allP1Placed,
    cost: result.cost,
    stats: { iterations: result.stats.iterations, elapsedMs: result.stats.elapsedMs, seed: result.stats.seed },
    routes: result.routes.map((route) => {
      const t = techById.get(route.technicianId)!;
      return {
        technicianId: t.id,
        technicianName: t.name,
        home: { lat: t.homeLatitude, lon: t.homeLongitude },
        departure: clock.toIso(route.departure),
        returnTime: clock.toIso(route.returnTime),
        breakStart: route.breakStart === null ? null : clock.toIso(route.breakStart),
        travelMinutes: Math.round(route.travelMinutes),
        distanceKm: Math.round(route.distance * 10) / 10,
        overtimeMinutes: Math.round(route.overtimeMinutes),
        latenessMinutes: Math.round(route.latenessMinutes),
        stops: route.stops.map((stop) => {
          const r = requestById.get(stop.visitId)!;
          return {
            requestId: r.requestId,
            ticketNumber: r.ticketNumber,
            title: r.title,
            priority: r.priority,
            companyName: r.companyName,
            siteName: r.siteName,
            lat: r.latitude,
            lon: r.longitude,
            arrival: clock.toIso(stop.arrival),
            start: clock.toIso(stop.start),
            end: clock.toIso(stop.end),
            // The intervention already has this very assignment (publishing skips it); a booked
            // visit that an override moved elsewhere must be published again.
            pinned:
              r.pinned !== undefined &&
              r.pinned.technicianId === route.technicianId &&
              clock.toMinutes(r.pinned.start) === Math.round(stop.start),
            locked: locked.has(r.requestId),
            // Under way (checked in) or done earlier today: frozen, never moved nor published.
            ...(r.started ? { started: r.started.checkedOutAt ? ('done' as const) : ('in_progress' as const) } : {}),
          };
        }),
      };
    }),
    unassigned: result.unassigned.map((u) => {
      const r = requestById.get(u.visitId)!;
      return {
        requestId: r.requestId,
        ticketNumber: r.ticketNumber,
        title: r.title,
        priority: r.priority,
        reason: u.reason,
        message: u.message,
      };
    }),
  };
}

export type DescribedPlan = ReturnType<typeof describePlan>;

/** An override as the dispatcher states it: tickets, technician ids and wall-clock times (HH:MM). */
export type OverrideRequest =
  | { kind: 'move'; ticketNumber: string; technicianId: string; at?: string }
  | { kind: 'lock'; ticketNumber: string }
  | { kind: 'absent'; technicianId: string; from?: string }
  | { kind: 'remove'; ticketNumber: string }
  /** Insert the P1 requests that reached planning since this version was made. */
  | { kind: 'emergency' };

export interface OverrideActor {
  userId: string | null;
  role: string | null;
  name: string | null;
}

export interface PlanOverrideInput {
  /** The plan version the dispatcher was looking at. */
  basePlanId: string;
  override: OverrideRequest;
  actor: OverrideActor;
  /** Budget of the incremental re-solve (default 0.8 s). */
  seconds?: number;
}

export interface MovedStop {
  ticketNumber: string;
  requestId: string;
  from: { technicianId: string; technicianName: string };
  /** null: the re-solve could no longer place it (see the plan's unassigned visits). */
  to: { technicianId: string; technicianName: string } | null;
}

/** An applied override as stored with the version it produced (and re-applied by later ones). */
export interface StoredOverride {
  kind: OverrideRequest['kind'];
  requestId?: string;
  /** emergency: the urgent requests inserted. */
  requestIds?: string[];
  ticketNumbers?: string[];
  ticketNumber?: string;
  technicianId?: string;
  technicianName?: string;
  /** move: the pinned start; lock: the start it was locked at; absent: from (HH:MM, Paris). */
  at?: string;
  by: OverrideActor;
  createdAt: string;
}

export type PlanOverrideOutcome =
  | {
      ok: true;
      planId: string;
      basePlanId: string;
      version: number;
      override: StoredOverride;
      /** Confirmed visits of other requests that changed technician (or dropped out) because of it. */
      moved: MovedStop[];
      unassigned: number;
      solveMs: number;
    }
  | {
      ok: false;
      /** 404: no such plan; 409: the override cannot be honoured, or the plan is no longer the latest. */
      status: 404 | 409;
      code:
        | 'PLAN_NOT_FOUND'
        | 'PLAN_SUPERSEDED'
        | 'NOT_PLANNED'
        | 'VISIT_STARTED'
        | 'NO_EMERGENCY'
        | 'UNKNOWN_VISIT'
        | 'UNKNOWN_TECHNICIAN'
        | UnassignedReasonCode;
      field?: string;
      message: { en: string; fr: string };
    };

interface StoredPlanResult extends DescribedPlan {
  version?: number;
  overrides?: StoredOverride[];
  removed?: Array<{ requestId: string; ticketNumber: string; title: string; priority: string }>;
}

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

async function overridePlan(
  db: Kysely<DB>,
  workflowId: string,
  runId: string,
  input: PlanOverrideInput,
  now: Date,
): Promise<PlanOverrideOutcome> {
  // A retried activity answers what its first attempt stored.
  const done = await db
    .selectFrom('dispatchPlans')
    .select(['id', 'version', 'basePlanId', 'override', 'solveMs', 'result'])
    .where('workflowId', '=', workflowId)
    .where('runId', '=', runId)
    .executeTakeFirst();
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
  const base = await db
    .selectFrom('dispatchPlans')
    .select(['id', 'planDate', 'status', 'seed', 'version', 'result'])
    .where('id', '=', input.basePlanId)
    .executeTakeFirst();
  if (!base) return { ok: false, status: 404, code: 'PLAN_NOT_FOUND', message: { en: 'No such plan.', fr: 'Ce plan n’existe pas.' } };
  const superseded = {
    ok: false,
    status: 409,
    code: 'PLAN_SUPERSEDED',
    message: {
      en: 'A newer version of this plan exists: reload it and try again.',
      fr: 'Une version plus récente de ce plan existe : rechargez-la puis réessayez.',
    },
  } as const;
  const latestOf = (q: Kysely<DB>) =>
    q
      .selectFrom('dispatchPlans')
      .select('id')
      .where('planDate', '=', base.planDate)
      .orderBy('createdAt', 'desc')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
  if (base.status === 'superseded' || (await latestOf(db)).id !== base.id) return superseded;

  const date = base.planDate;
  const clock = dayClock(date);
  const previous = base.result as StoredPlanResult;
  const { technicians, requests } = await loadDay(db, date);
  const { problem, started } = buildDayProblem(date, technicians, requests, undefined, { now });
  const startedIds = new Set(started.map((x) => x.visitId));
  const techName = new Map(technicians.map((t) => [t.id, t.name]));
  const o = input.override;
  const byTicket = new Map(requests.map((r) => [r.ticketNumber, r]));
  const request = 'ticketNumber' in o ? byTicket.get(o.ticketNumber) : undefined;
  if ('ticketNumber' in o && !request) {
    return {
      ok: false,
      status: 409,
      code: 'UNKNOWN_VISIT',
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
      status: 409,
      code: 'VISIT_STARTED',
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
        status: 409,
        code: 'NO_EMERGENCY',
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
        status: 409,
        code: 'NOT_PLANNED',
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
    return { ok: false, status: 409, code: err.code, field: err.field, message: err.messages };
  }
  const budgetMs = Math.round((input.seconds ?? 0.8) * 1000);
  // A small day stops as soon as the search stalls: the dispatcher is waiting for the answer.
  const result = await resolve(
    changed.problem,
    { ...changed.plan, started },
    { seed: base.seed, stop: anyOf(maxRuntime(budgetMs), maxIterations(500_000), noImprovement(20_000)) },
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
    return { ok: false, status: 409, code: refusal.reason, field, message: { en: `Cannot ${what}: ${why.en}`, fr: `${quoi} : ${why.fr}` } };
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
    ...describePlan(date, technicians, requests, result, locked),
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
  const saved = await db.transaction().execute(async (trx) => {
    // Two dispatchers overriding the same version: the second waits here, then sees it is stale.
    await trx.selectFrom('dispatchPlans').select('id').where('id', '=', base.id).forUpdate().executeTakeFirstOrThrow();
    if ((await latestOf(trx)).id !== base.id) return null;
    const row = await trx
      .insertInto('dispatchPlans')
      .values({
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
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // A published version stays in force (the interventions carry it) until the new one is published.
    if (base.status === 'proposed')
      await trx.updateTable('dispatchPlans').set({ status: 'superseded' }).where('id', '=', base.id).execute();
    return row;
  });
  if (!saved) return superseded;
  return {
    ok: true,
    planId: saved.id,
    basePlanId: base.id,
    version,
    override: stored,
    moved,
    unassigned: result.unassigned.length,
    solveMs,
  };
}

async function latestPlanOf(db: Kysely<DB>, date: string): Promise<StoredPlanResult | undefined> {
  const row = await db
    .selectFrom('dispatchPlans')
    .select('result')
    .where('planDate', '=', date)
    .orderBy('createdAt', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.result as StoredPlanResult | undefined;
}

/**
 * A fresh run of a day keeps the overrides of its latest plan. A dispatcher who moved, locked or
 * removed a visit, or marked a technician absent, made a decision about the world (the client
 * was promised that slot, the technician is ill); re-optimizing the day (new requests, a longer
 * budget) is not a request to forget them, and silently losing them would re-send visits to an
 * absent technician. Those overtaken by events are dropped (see applicableOverrides); the board
 * offers an explicit clean run (keepOverrides: false).
 */
function keepDayOverrides(
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

export function createDispatchActivities({ db, now = () => new Date() }: DispatchDeps) {
  return {
    /** Applies one dispatcher override to the latest plan version (incremental re-solve) and stores the next version. */
    async overridePlan(input: PlanOverrideInput): Promise<PlanOverrideOutcome> {
      const execution = Context.current().info.workflowExecution;
      if (!execution) throw new Error('overridePlan runs inside the plan-override workflow');
      return overridePlan(db, execution.workflowId, execution.runId, input, now());
    },

    async planDay(input: PlanDayInput): Promise<PlanDaySummary> {
      const context = Context.current();
      const execution = context.info.workflowExecution;
      if (!execution) throw new Error('planDay runs inside the daily-plan workflow');
      const { workflowId, runId } = execution;
      const existing = await db
        .selectFrom('dispatchPlans')
        .selectAll()
        .where('workflowId', '=', workflowId)
        .where('runId', '=', runId)
        .executeTakeFirst();
      if (existing) {
        const result = existing.result as DescribedPlan;
        return {
          planId: existing.id,
          date: input.date,
          visits: existing.visits,
          technicians: existing.technicians,
          assigned: existing.assigned,
          unassigned: result.unassigned.length,
          feasible: existing.feasible,
          allP1Placed: existing.allP1Placed,
          travelMinutes: existing.travelMinutes,
          solveMs: existing.solveMs,
          keptOverrides: (result as StoredPlanResult).overrides?.length ?? 0,
          started: result.routes.reduce((n, r) => n + r.stops.filter((st) => st.started).length, 0),
        };
      }
      const budgetMs = input.seconds * 1000;
      const progress = (p: Omit<PlanProgress, 'budgetMs'>) => context.heartbeat({ ...p, budgetMs } satisfies PlanProgress);
      progress({ phase: 'loading', elapsedMs: 0, iteration: 0, bestCost: null, unassigned: null });
      const at = now();
      const { technicians, requests } = await loadDay(db, input.date);
      const day = buildDayProblem(input.date, technicians, requests, undefined, { now: at });
      const { started, clock } = day;

      // A new run keeps what the dispatcher decided on this day's plan (see keepDayOverrides).
      const previous = input.keepOverrides === false ? undefined : await latestPlanOf(db, input.date);
      const kept = keepDayOverrides(clock, day.problem, previous?.overrides ?? [], started, at);
      const problem = kept.problem;

      const options = {
        seed: input.seed,
        stop: anyOf(maxRuntime(budgetMs), maxIterations(2_000_000)),
        signal: context.cancellationSignal,
        onProgress: (p: { elapsedMs: number; iteration: number; bestCost: number; unassigned: number }) =>
          progress({ phase: 'solving', elapsedMs: p.elapsedMs, iteration: p.iteration, bestCost: p.bestCost, unassigned: p.unassigned }),
      };
      // Visits under way are frozen and their technicians restart from them: that is the
      // incremental re-solve's contract, here with an empty current plan and the full search.
      const result = started.length
        ? await resolve(problem, { routes: [], started }, { ...options, params: { construction: 'auto', localSearch: true } })
        : await solve(problem, options);
      progress({
        phase: 'saving',
        elapsedMs: result.stats.elapsedMs,
        iteration: result.stats.iterations,
        bestCost: result.cost.total,
        unassigned: result.unassigned.length,
      });

      const requestById = new Map(requests.map((r) => [r.requestId, r]));
      const plan: StoredPlanResult = {
        ...describePlan(input.date, technicians, requests, result, kept.locked),
        ...(kept.overrides.length
          ? {
              overrides: kept.overrides,
              removed: kept.removed.flatMap((id) => {
                const r = requestById.get(id);
                return r ? [{ requestId: id, ticketNumber: r.ticketNumber, title: r.title, priority: r.priority }] : [];
              }),
            }
          : {}),
      };
      const assigned = result.routes.reduce((n, r) => n + r.stops.length, 0);
      const travelMinutes = Math.round(result.routes.reduce((n, r) => n + r.travelMinutes, 0));
      const row = await db
        .insertInto('dispatchPlans')
        .values({
          planDate: input.date,
          workflowId,
          runId,
          seed: input.seed,
          visits: problem.visits.length,
          technicians: problem.technicians.length,
          assigned,
          feasible: result.feasible,
          allP1Placed: result.allP1Placed,
          travelMinutes,
          solveMs: Math.round(result.stats.elapsedMs),
          result: JSON.stringify(plan),
        })
        .onConflict((oc) => oc.columns(['workflowId', 'runId']).doUpdateSet({ workflowId: sql`excluded.workflow_id` }))
        .returning('id')
        .executeTakeFirstOrThrow();
      return {
        planId: row.id,
        date: input.date,
        visits: problem.visits.length,
        technicians: problem.technicians.length,
        assigned,
        unassigned: result.unassigned.length,
        feasible: result.feasible,
        allP1Placed: result.allP1Placed,
        travelMinutes,
        solveMs: Math.round(result.stats.elapsedMs),
        keptOverrides: kept.overrides.length,
        started: started.length,
      };
    },
  };
}
