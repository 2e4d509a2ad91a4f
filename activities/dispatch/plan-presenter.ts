/**
 * The stored plan as the board reads it: the solver's result with names, tickets, coordinates and
 * ISO times, and the overrides that led to it.
 */
import type { Result } from '../../optimizer/index.js';
import type { StoredOverride } from '../../workflows/dispatch/plan-override.contract.js';
import { dayClock, PLAN_TIMEZONE, wallClock, type ClosedVisit, type OpenRequest, type TechnicianDay } from './day-problem.js';

/** The stored plan: the solver's result with names, tickets, coordinates and ISO times. */
export function describePlan(
  date: string,
  technicians: readonly TechnicianDay[],
  requests: readonly OpenRequest[],
  result: Result,
  /** Visits a dispatcher override holds in place (moved there or locked). */
  locked: ReadonlySet<string> = new Set(),
  /** Visits with no possible start that day (site closed…): their reason replaces the optimizer's generic one. */
  closed: ReadonlyMap<string, ClosedVisit> = new Map(),
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
        // The shift the figures are read against (overtime, idle time); the lunch break's length.
        ...(t.shift
          ? {
              shiftStart: clock.toIso(wallClock(clock, t.shift.startsAt)),
              shiftEnd: clock.toIso(wallClock(clock, t.shift.endsAt)),
              breakMinutes: route.breakStart === null ? 0 : t.shift.lunchMinutes,
            }
          : {}),
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
      const why = u.reason === 'NO_TIME_WINDOW' ? closed.get(u.visitId) : undefined;
      return {
        requestId: r.requestId,
        ticketNumber: r.ticketNumber,
        title: r.title,
        priority: r.priority,
        reason: why?.reason ?? u.reason,
        message: why?.message ?? u.message,
      };
    }),
  };
}

export type DescribedPlan = ReturnType<typeof describePlan>;

/** A stored plan version: the described plan, its version and the overrides it carries. */
export interface StoredPlanResult extends DescribedPlan {
  /** Where the travel times came from (the road service, its cache, the offline zone model). */
  travelSource?: string;
  version?: number;
  overrides?: StoredOverride[];
  removed?: Array<{ requestId: string; ticketNumber: string; title: string; priority: string }>;
}
