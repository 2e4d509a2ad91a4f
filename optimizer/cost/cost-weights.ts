/**
 * Objective weights. They are data: callers override any subset. Their magnitudes encode the
 * lexicographic order of the issue (place P1 ≫ priority-weighted work ≫ SLA lateness ≫ travel,
 * overtime, cost ≫ fairness); hard rules are never traded against them (they are feasibility).
 */
export interface CostWeights {
  /** Penalty per unassigned visit per hour of work, indexed by priority - 1 (P1..P4). */
  readonly unassignedPerHour: readonly [number, number, number, number];
  /** Fixed penalty per unassigned visit, indexed by priority - 1. */
  readonly unassignedFixed: readonly [number, number, number, number];
  /** Multiplier of the unassigned penalty of optional visits. */
  readonly optionalFactor: number;
  /** Per minute after a visit's SLA target, indexed by priority - 1. */
  readonly latenessPerMinute: readonly [number, number, number, number];
  /** Per minute of travel time. */
  readonly travelPerMinute: number;
  /** Per unit of distance (km for geographic providers, instance units for benchmarks). */
  readonly travelPerDistance: number;
  /** Per minute worked after the shift end. */
  readonly overtimePerMinute: number;
  /** Multiplier of `hourlyCost × hours worked` (shift start to return home) of used technicians. */
  readonly laborCostFactor: number;
  /** Per squared hour worked by each used technician: a convex term that spreads work evenly. */
  readonly fairnessPerHourSquared: number;
  /** Per visit done by someone other than its preferred technician. */
  readonly preferenceMismatch: number;
  /** Bonus per rating point of the technician assigned to a P1 or P2 visit. */
  readonly ratingBonusPerPoint: number;
  /**
   * Bonus per rating point above the neutral 3 of the technician assigned to a premium client's
   * visit (a soft preference: a 4.5 technician beats a 3.5 one by this much, against travel).
   */
  readonly premiumRatingBonusPerPoint: number;
  /** Incremental re-solve: per confirmed visit given to another technician. */
  readonly movedVisit: number;
  /** Duration multiplier by the technician's level in the required skill (levels 1..5). */
  readonly durationFactorByLevel: readonly [number, number, number, number, number];
}

export const DEFAULT_WEIGHTS: CostWeights = {
  unassignedPerHour: [1_000_000, 20_000, 5_000, 2_000],
  unassignedFixed: [10_000_000, 50_000, 10_000, 4_000],
  optionalFactor: 0.05,
  latenessPerMinute: [200, 40, 10, 3],
  travelPerMinute: 1,
  travelPerDistance: 0.1,
  overtimePerMinute: 2,
  laborCostFactor: 0.05,
  fairnessPerHourSquared: 0.5,
  preferenceMismatch: 30,
  ratingBonusPerPoint: 2,
  premiumRatingBonusPerPoint: 15,
  movedVisit: 400,
  durationFactorByLevel: [1.3, 1.15, 1, 0.9, 0.85],
};

/** Weights for the academic VRPTW: total distance only. */
export const DISTANCE_ONLY_WEIGHTS: CostWeights = {
  ...DEFAULT_WEIGHTS,
  unassignedPerHour: [0, 0, 0, 0],
  unassignedFixed: [1e7, 1e7, 1e7, 1e7],
  latenessPerMinute: [0, 0, 0, 0],
  travelPerMinute: 0,
  travelPerDistance: 1,
  overtimePerMinute: 0,
  laborCostFactor: 0,
  fairnessPerHourSquared: 0,
  preferenceMismatch: 0,
  ratingBonusPerPoint: 0,
  premiumRatingBonusPerPoint: 0,
  movedVisit: 0,
};

export function mergeWeights(partial: Partial<CostWeights> | undefined, base: CostWeights = DEFAULT_WEIGHTS): CostWeights {
  return { ...base, ...(partial ?? {}) };
}
