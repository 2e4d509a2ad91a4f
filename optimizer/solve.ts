import { CostEvaluator } from './cost/cost-evaluator.js';
import { mergeWeights, type CostWeights } from './cost/cost-weights.js';
import { buildResult, DEFAULT_PARAMS, runEngine, type SolverParams } from './engine.js';
import { compileProblem } from './model/compiled-problem.js';
import type { Problem } from './model/problem.types.js';
import { validateProblem } from './model/validate-problem.js';
import type { Result } from './result.types.js';
import type { SearchProgress } from './search/annealing-search.js';
import { anyOf, maxIterations, maxRuntime, type StopCriterion } from './stop/stop-criteria.js';
import { HaversineTravelTimeProvider } from './travel/haversine-travel.provider.js';
import type { TravelTimeProvider } from './travel/travel-time-provider.js';

export interface SolveOptions {
  /** Seed of the single RNG of the run (default 1). Same seed + iteration budget ⇒ same plan. */
  readonly seed?: number;
  /** When to stop (default: 5 s or 1,000,000 iterations). */
  readonly stop?: StopCriterion;
  /** Stop on demand (activity cancellation): the best plan so far is returned. */
  readonly signal?: AbortSignal;
  readonly params?: Partial<SolverParams>;
  /** Objective weights (data); unspecified ones take `DEFAULT_WEIGHTS`. */
  readonly weights?: Partial<CostWeights>;
  /** Base weights the partial `weights` override (default `DEFAULT_WEIGHTS`). */
  readonly baseWeights?: CostWeights;
  /** Travel times (default: haversine, 30 km/h, detour 1.3). */
  readonly travel?: TravelTimeProvider;
  /** Called about every `params.progressEveryMs` (default 500 ms): heartbeat here. */
  readonly onProgress?: (p: SearchProgress) => void;
}

export function resolveParams(p: Partial<SolverParams> | undefined): SolverParams {
  return { ...DEFAULT_PARAMS, ...(p ?? {}), annealing: { ...DEFAULT_PARAMS.annealing, ...(p?.annealing ?? {}) } };
}

/**
 * Plans a day: which technician does which visit, in which order, at what time.
 * Validates the input (throws `ProblemInputError` only for malformed input), never mutates it,
 * and returns the best plan found within the stop criterion. The event loop is yielded to
 * regularly so heartbeats and cancellation (`signal`) are processed.
 */
export async function solve(problem: Problem, options: SolveOptions = {}): Promise<Result> {
  const startedAt = performance.now();
  validateProblem(problem);
  const weights = mergeWeights(options.weights, options.baseWeights);
  const params = resolveParams(options.params);
  const cp = compileProblem(problem, options.travel ?? new HaversineTravelTimeProvider(), weights);
  const ev = new CostEvaluator(cp);
  const seed = options.seed ?? 1;
  const { routes, stats } = await runEngine(cp, ev, {
    seed,
    stop: options.stop ?? anyOf(maxRuntime(5000), maxIterations(1_000_000)),
    signal: options.signal,
    onProgress: options.onProgress,
    params,
    startedAt,
  });
  return buildResult(cp, ev, routes, stats);
}
