/**
 * The dispatch board's figures, read from a stored plan version (pure: no I/O).
 *
 * Per technician: planned (visit) time, travel time and distance, lunch break, idle time and
 * overtime against the shift. Per version: the totals, and what changed since the version it was
 * made from (visits moved to another technician or time, added to the routes, taken off them).
 * All durations are whole minutes; times are the stored ISO instants (with their offset).
 */

/** A stored route as the figures need it (see activities/dispatch/plan-presenter.ts). */
export interface FigureRoute {
  technicianId: string;
  technicianName: string;
  departure: string;
  returnTime: string;
  travelMinutes: number;
  distanceKm: number;
  overtimeMinutes: number;
  /** Absent from plans stored before the shift was recorded. */
  shiftStart?: string;
  shiftEnd?: string;
  breakMinutes?: number;
  stops: ReadonlyArray<{ ticketNumber: string; start: string; end: string }>;
}

export interface FigurePlan {
  routes: readonly FigureRoute[];
  unassigned: ReadonlyArray<{ ticketNumber: string }>;
  removed?: ReadonlyArray<{ ticketNumber: string }>;
}

export interface TechnicianFigures {
  technicianId: string;
  technicianName: string;
  visits: number;
  /** Time at the visits (start to end). */
  plannedMinutes: number;
  travelMinutes: number;
  distanceKm: number;
  breakMinutes: number;
  /** Shift time (plus overtime) spent neither at a visit, travelling nor on the break. */
  idleMinutes: number;
  /** Return after the shift's end. */
  overtimeMinutes: number;
  /** Length of the shift, null when the stored plan does not say. */
  shiftMinutes: number | null;
}

export interface PlanKpis {
  assigned: number;
  unassigned: number;
  removed: number;
  techniciansUsed: number;
  plannedMinutes: number;
  travelMinutes: number;
  distanceKm: number;
  idleMinutes: number;
  overtimeMinutes: number;
  /** Planned time over shift time, in percent (null without shifts). */
  utilisationPercent: number | null;
}

export interface PlacedVisit {
  technicianId: string;
  technicianName: string;
  start: string;
}

export interface PlanDiff {
  /** Visits on a route in both versions whose technician or start changed. */
  moved: Array<{ ticketNumber: string; from: PlacedVisit; to: PlacedVisit }>;
  /** Visits on a route now that were on none before (newly placed, or inserted). */
  added: Array<{ ticketNumber: string; to: PlacedVisit }>;
  /** Visits on a route before that are on none now: unassigned or removed by the dispatcher. */
  removed: Array<{ ticketNumber: string; from: PlacedVisit; now: 'unassigned' | 'removed' }>;
  /** The previous version's totals, to show the change beside the current ones. */
  previousKpis: PlanKpis;
}

function minutesBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 60_000);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function technicianFigures(route: FigureRoute): TechnicianFigures {
  const plannedMinutes = route.stops.reduce((sum, s) => sum + minutesBetween(s.start, s.end), 0);
  const breakMinutes = route.breakMinutes ?? 0;
  const busy = plannedMinutes + route.travelMinutes + breakMinutes;
  const hasShift = route.shiftStart !== undefined && route.shiftEnd !== undefined;
  const shiftMinutes = hasShift ? minutesBetween(route.shiftStart!, route.shiftEnd!) : null;
  const overtimeMinutes = hasShift ? Math.max(0, minutesBetween(route.shiftEnd!, route.returnTime)) : route.overtimeMinutes;
  // Without a recorded shift, only the waits between leaving and coming back count as idle.
  const available = shiftMinutes !== null ? shiftMinutes + overtimeMinutes : minutesBetween(route.departure, route.returnTime);
  return {
    technicianId: route.technicianId,
    technicianName: route.technicianName,
    visits: route.stops.length,
    plannedMinutes,
    travelMinutes: route.travelMinutes,
    distanceKm: route.distanceKm,
    breakMinutes,
    idleMinutes: Math.max(0, available - busy),
    overtimeMinutes,
    shiftMinutes,
  };
}

export function planKpis(plan: FigurePlan, figures = plan.routes.map(technicianFigures)): PlanKpis {
  const sum = (pick: (f: TechnicianFigures) => number) => figures.reduce((total, f) => total + pick(f), 0);
  const withShift = figures.filter((f) => f.shiftMinutes !== null);
  const shiftTotal = withShift.reduce((total, f) => total + f.shiftMinutes!, 0);
  return {
    assigned: sum((f) => f.visits),
    unassigned: plan.unassigned.length,
    removed: plan.removed?.length ?? 0,
    techniciansUsed: figures.filter((f) => f.visits > 0).length,
    plannedMinutes: sum((f) => f.plannedMinutes),
    travelMinutes: sum((f) => f.travelMinutes),
    distanceKm: round1(sum((f) => f.distanceKm)),
    idleMinutes: sum((f) => f.idleMinutes),
    overtimeMinutes: sum((f) => f.overtimeMinutes),
    utilisationPercent: shiftTotal > 0 ? Math.round((withShift.reduce((t, f) => t + f.plannedMinutes, 0) / shiftTotal) * 100) : null,
  };
}

function placements(plan: FigurePlan): Map<string, PlacedVisit> {
  const placed = new Map<string, PlacedVisit>();
  for (const r of plan.routes) {
    for (const s of r.stops) placed.set(s.ticketNumber, { technicianId: r.technicianId, technicianName: r.technicianName, start: s.start });
  }
  return placed;
}

/** What changed from `previous` to `current`, visit by visit (ordered by ticket number). */
export function planDiff(previous: FigurePlan, current: FigurePlan): PlanDiff {
  const before = placements(previous);
  const after = placements(current);
  const removedNow = new Set((current.removed ?? []).map((r) => r.ticketNumber));
  const byTicket = <T extends { ticketNumber: string }>(a: T, b: T) => a.ticketNumber.localeCompare(b.ticketNumber);
  const moved: PlanDiff['moved'] = [];
  const added: PlanDiff['added'] = [];
  const removed: PlanDiff['removed'] = [];
  for (const [ticketNumber, to] of after) {
    const from = before.get(ticketNumber);
    if (!from) added.push({ ticketNumber, to });
    else if (from.technicianId !== to.technicianId || Date.parse(from.start) !== Date.parse(to.start))
      moved.push({ ticketNumber, from, to });
  }
  for (const [ticketNumber, from] of before) {
    if (!after.has(ticketNumber)) removed.push({ ticketNumber, from, now: removedNow.has(ticketNumber) ? 'removed' : 'unassigned' });
  }
  return { moved: moved.sort(byTicket), added: added.sort(byTicket), removed: removed.sort(byTicket), previousKpis: planKpis(previous) };
}
