/**
 * Public API of the dispatch optimizer. Other code imports only from here.
 */
export type { GeoPoint, LunchBreak, Priority, Problem, SkillRequirement, Technician, TimeWindow, Visit } from './model/problem.types.js';
export { validateProblem, ProblemInputError } from './model/validate-problem.js';
export type { CostWeights } from './cost/cost-weights.js';
export { DEFAULT_WEIGHTS, DISTANCE_ONLY_WEIGHTS } from './cost/cost-weights.js';
export type { CostBreakdown } from './cost/cost-evaluator.js';
export type { TravelMatrices, TravelTimeProvider } from './travel/travel-time-provider.js';
export { HaversineTravelTimeProvider, type HaversineOptions } from './travel/haversine-travel.provider.js';
export { MatrixTravelTimeProvider, type OsrmTableResponse } from './travel/matrix-travel.provider.js';
export { EuclideanTravelTimeProvider } from './travel/euclidean-travel.provider.js';
export {
  ILE_DE_FRANCE_SPEEDS,
  legTime,
  periodAt,
  zoneOf,
  ZoneSpeedTravelTimeProvider,
  type Period,
  type Zone,
  type ZoneSpeedModel,
  type ZoneSpeedOptions,
} from './travel/zone-speed-travel.provider.js';
export { aborted, anyOf, maxIterations, maxRuntime, noImprovement, type SearchStatus, type StopCriterion } from './stop/stop-criteria.js';
export type { SearchProgress } from './search/annealing-search.js';
export type { SolverParams } from './engine.js';
export { DEFAULT_PARAMS } from './engine.js';
export type { PlannedRoute, PlannedStop, Result, SolveStats, UnassignedReasonCode, UnassignedVisit } from './result.types.js';
export { solve, type SolveOptions } from './solve.js';
export {
  applyChange,
  resolve,
  type CurrentPlan,
  type MovedVisit,
  type PlanChange,
  type ResolveResult,
  type StartedVisit,
} from './resolve.js';
export {
  applicableOverrides,
  applyOverrides,
  missingQualifications,
  OverrideInputError,
  overrideRefusal,
  overrideToChange,
  type DayOverride,
} from './plan-override.js';
