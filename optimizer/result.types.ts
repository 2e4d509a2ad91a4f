import type { CostBreakdown } from './cost/cost-evaluator.js';
import type { SearchStats } from './search/annealing-search.js';

/** One stop of a planned route. Times in the problem's unit. */
export interface PlannedStop {
  readonly visitId: string;
  readonly arrival: number;
  /** Service start (after waiting for the window, the lunch break or an absence). */
  readonly start: number;
  readonly end: number;
}

export interface PlannedRoute {
  readonly technicianId: string;
  readonly stops: readonly PlannedStop[];
  readonly departure: number;
  readonly returnTime: number;
  /** Start of the lunch break, null if none is needed. */
  readonly breakStart: number | null;
  readonly travelMinutes: number;
  readonly distance: number;
  readonly overtimeMinutes: number;
  readonly latenessMinutes: number;
  readonly load: number;
}

export type UnassignedReasonCode =
  | 'NO_QUALIFIED_TECHNICIAN'
  | 'PINNED_TECHNICIAN_UNAVAILABLE'
  | 'PINNED_TIME_OUTSIDE_WINDOWS'
  /** The visit's time windows are empty: no start is allowed that day (e.g. its site is closed). */
  | 'NO_TIME_WINDOW'
  | 'WINDOW_UNREACHABLE'
  | 'EXCEEDS_CAPACITY'
  | 'QUALIFIED_TECHNICIANS_FULL';

export interface UnassignedVisit {
  readonly visitId: string;
  readonly priority: number;
  readonly reason: UnassignedReasonCode;
  /** Dispatcher-facing explanation. */
  readonly message: { readonly en: string; readonly fr: string };
}

export interface SolveStats extends SearchStats {
  readonly seed: number;
  readonly constructionCost: number;
  readonly constructionMs: number;
  readonly setPartitioning?: {
    readonly routesInPool: number;
    readonly before: number;
    readonly after: number;
    readonly ms: number;
    readonly status: string;
  };
}

/** Outcome of `solve` / `resolve`. Infeasibility and unassigned visits are results, not exceptions. */
export interface Result {
  readonly routes: readonly PlannedRoute[];
  readonly unassigned: readonly UnassignedVisit[];
  readonly cost: CostBreakdown;
  /** True when no planned route breaks a hard rule (verified by re-simulating every route). */
  readonly feasible: boolean;
  /** True when every P1 visit is planned. */
  readonly allP1Placed: boolean;
  readonly stats: SolveStats;
}
