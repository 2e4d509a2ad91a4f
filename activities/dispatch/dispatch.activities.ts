/**
 * The daily plan: loads the day's technicians and the requests waiting for planning, asks the
 * optimizer for a plan (heartbeating its progress, stopping on cancellation), and stores the plan
 * once per workflow run. Publishing the plan's assignments to the interventions is a separate step.
 */
import { Context } from '@temporalio/activity';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { anyOf, maxIterations, maxRuntime, solve, type Result } from '../../optimizer/index.js';
import { buildDayProblem, dayClock, PLAN_TIMEZONE, type OpenRequest, type TechnicianDay } from './day-problem.js';

export interface DispatchDeps {
  db: Kysely<DB>;
}

export interface PlanDayInput {
  /** ISO date of the day to plan (Europe/Paris). */
  date: string;
  /** Time budget of the search. */
  seconds: number;
  seed: number;
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
    .select([
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
      'a.technicianId as pinnedTechnicianId',
      'a.scheduledStart as pinnedStart',
      'a.pinned',
    ])
    .where((eb) =>
      eb.or([eb('r.status', '=', 'awaiting_planning'), eb.and([eb('r.status', '=', 'scheduled'), eb('a.id', 'is not', null)])]),
    )
    .where('l.latitude', 'is not', null)
    .where('l.longitude', 'is not', null)
    .orderBy('r.createdAt')
    .execute();
  return rows.map((r) => ({
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
    // Confirmed visits of the day are kept where they are (dispatcher pins or already booked).
    ...(r.pinnedTechnicianId && r.pinnedStart ? { pinned: { technicianId: r.pinnedTechnicianId, start: r.pinnedStart } } : {}),
  }));
}

/** The stored plan: the solver's result with names, tickets, coordinates and ISO times. */
export function describePlan(date: string, technicians: readonly TechnicianDay[], requests: readonly OpenRequest[], result: Result) {
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
            pinned: r.pinned !== undefined,
          };
        }),
      };
    }),
    unassigned: result.unassigned.map((u) => {
      const r = requestById.get(u.visitId)!;
      return { requestId: r.requestId, ticketNumber: r.ticketNumber, title: r.title, priority: r.priority, reason: u.reason, message: u.message };
    }),
  };
}

export type DescribedPlan = ReturnType<typeof describePlan>;

export function createDispatchActivities({ db }: DispatchDeps) {
  return {
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
        };
      }
      const budgetMs = input.seconds * 1000;
      const progress = (p: Omit<PlanProgress, 'budgetMs'>) => context.heartbeat({ ...p, budgetMs } satisfies PlanProgress);
      progress({ phase: 'loading', elapsedMs: 0, iteration: 0, bestCost: null, unassigned: null });
      const [technicians, requests] = await Promise.all([loadTechnicians(db, input.date), loadOpenRequests(db, input.date)]);
      const { problem } = buildDayProblem(input.date, technicians, requests);

      const result = await solve(problem, {
        seed: input.seed,
        stop: anyOf(maxRuntime(budgetMs), maxIterations(2_000_000)),
        signal: context.cancellationSignal,
        onProgress: (p) =>
          progress({ phase: 'solving', elapsedMs: p.elapsedMs, iteration: p.iteration, bestCost: p.bestCost, unassigned: p.unassigned }),
      });
      progress({ phase: 'saving', elapsedMs: result.stats.elapsedMs, iteration: result.stats.iterations, bestCost: result.cost.total, unassigned: result.unassigned.length });

      const plan = describePlan(input.date, technicians, requests, result);
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
      };
    },
  };
}
