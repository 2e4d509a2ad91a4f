import { CostEvaluator, type CostBreakdown } from './cost/cost-evaluator.js';
import { regretInsertion } from './construct/regret-insertion.js';
import { explainUnassigned } from './explain-unassigned.js';
import type { CompiledProblem } from './model/compiled-problem.js';
import type { PlannedRoute, Result, SolveStats } from './result.types.js';
import { createRng, shuffle } from './rng.js';
import { annealingSearch, type AnnealingParams, type SearchProgress } from './search/annealing-search.js';
import { localSearch } from './search/local-search.js';
import { DEFAULT_RUIN_RECREATE, recreateGreedy, sortForRecreate } from './search/ruin-recreate.js';
import { SolutionState } from './search/solution-state.js';
import { setPartitioning, RoutePool } from './lp/set-partitioning.js';
import type { StopCriterion } from './stop/stop-criteria.js';

/** Tuning knobs of the search (the objective weights are separate: `CostWeights`). */
export interface SolverParams {
  readonly annealing: AnnealingParams;
  /** Construction heuristic; `auto` = regret-2 up to 400 visits, greedy insertion beyond. */
  readonly construction: 'regret' | 'greedy' | 'auto';
  /** Local search (relocate, swap, 2-opt*, or-opt) after construction and, in fast mode, on each new best. */
  readonly localSearch: boolean;
  /** Final set-partitioning over a pool of good routes with javascript-lp-solver. */
  readonly setPartitioning: boolean;
  /** Share of the budget kept for set partitioning (when enabled). */
  readonly setPartitioningMs: number;
  readonly yieldEveryMs: number;
  readonly progressEveryMs: number;
}

export const DEFAULT_PARAMS: SolverParams = {
  annealing: { ruinRecreate: DEFAULT_RUIN_RECREATE, initialTemperature: 0.5, finalTemperature: 0.005, localSearchOnBest: true },
  construction: 'auto',
  localSearch: true,
  setPartitioning: false,
  setPartitioningMs: 1500,
  yieldEveryMs: 50,
  progressEveryMs: 500,
};

export interface EngineOptions {
  readonly seed: number;
  readonly stop: StopCriterion;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: SearchProgress) => void) | undefined;
  readonly params: SolverParams;
  /** Time origin of the budget (default: now), so compilation counts against it. */
  readonly startedAt?: number;
}

/** Construct (unless an initial plan is given), then search. Returns the best routes. */
export async function runEngine(
  cp: CompiledProblem,
  ev: CostEvaluator,
  opts: EngineOptions,
  initial?: readonly (readonly number[])[],
): Promise<{ routes: number[][]; stats: SolveStats }> {
  const rng = createRng(opts.seed);
  const t0 = opts.startedAt ?? performance.now();
  const s = initial ? SolutionState.fromRoutes(cp, ev, initial) : new SolutionState(cp, ev);
  const todo = shuffle([...s.unassigned], rng);
  const construction = opts.params.construction === 'auto' ? (cp.n <= 400 ? 'regret' : 'greedy') : opts.params.construction;
  if (construction === 'regret') regretInsertion(s, todo);
  else {
    sortForRecreate(s, todo, rng);
    recreateGreedy(s, todo, rng, 0);
  }
  const ls = opts.params.localSearch
    ? (st: SolutionState, visits?: readonly number[]) => localSearch(st, rng, visits ? 3 : 50, 20, visits)
    : undefined;
  ls?.(s);
  const constructionCost = s.total;
  const constructionMs = performance.now() - t0;
  const pool = opts.params.setPartitioning && cp.fast ? new RoutePool() : null;
  const { best, stats } = await annealingSearch(
    s,
    { ...opts.params.annealing, localSearchOnBest: opts.params.annealing.localSearchOnBest && !!ls && cp.fast },
    {
      rng,
      startedAt: t0,
      stop: opts.stop,
      signal: opts.signal,
      onProgress: opts.onProgress,
      progressEveryMs: opts.params.progressEveryMs,
      yieldEveryMs: opts.params.yieldEveryMs,
      localSearch: ls,
      onCandidate: pool ? (st: SolutionState, rs: Iterable<number>) => pool.addRoutes(st, rs) : undefined,
    },
  );
  let routes = best;
  if (ls) {
    // Final full descent on the best solution (cheap; only accepted if it improves).
    const fin = SolutionState.fromRoutes(cp, ev, best);
    const before = fin.total;
    ls(fin);
    if (fin.total < before - 1e-9) routes = fin.snapshot();
  }
  let sp: SolveStats['setPartitioning'];
  if (pool) {
    const res = setPartitioning(cp, ev, pool, routes, opts.params.setPartitioningMs);
    routes = res.routes;
    sp = res.stats;
  }
  return { routes, stats: { ...stats, seed: opts.seed, constructionCost, constructionMs, ...(sp ? { setPartitioning: sp } : {}) } };
}

/** Turns internal routes into the public Result, re-simulating every route to certify feasibility. */
export function buildResult(cp: CompiledProblem, ev: CostEvaluator, routes: readonly (readonly number[])[], stats: SolveStats): Result {
  const planned: PlannedRoute[] = [];
  const assigned = new Uint8Array(cp.n);
  let feasible = true;
  let travel = 0,
    lateness = 0,
    overtime = 0,
    labor = 0,
    fairness = 0,
    assignment = 0;
  let travelMinutes = 0,
    distance = 0,
    latenessMinutes = 0,
    overtimeMinutes = 0;
  routes.forEach((seq, k) => {
    for (const v of seq) {
      if (assigned[v]) feasible = false;
      assigned[v] = 1;
    }
    if (seq.length === 0) return;
    const sc = ev.schedule(k, seq);
    if (!sc.feasible) feasible = false;
    travel += sc.travelCost;
    lateness += sc.lateness;
    overtime += sc.overtime;
    labor += sc.labor;
    fairness += sc.fairness;
    assignment += sc.assignment;
    travelMinutes += sc.travelMinutes;
    distance += sc.distance;
    latenessMinutes += sc.latenessMinutes;
    overtimeMinutes += sc.overtimeMinutes;
    planned.push({
      technicianId: cp.technicians[k]!.id,
      stops: seq.map((v, i) => ({ visitId: cp.visits[v]!.id, arrival: sc.arrival[i]!, start: sc.start[i]!, end: sc.end[i]! })),
      departure: sc.departure,
      returnTime: sc.returnTime,
      breakStart: sc.breakStart,
      travelMinutes: sc.travelMinutes,
      distance: sc.distance,
      overtimeMinutes: sc.overtimeMinutes,
      latenessMinutes: sc.latenessMinutes,
      load: sc.load,
    });
  });
  const un: number[] = [];
  let unassignedPenalty = 0;
  for (let v = 0; v < cp.n; v++)
    if (!assigned[v]) {
      un.push(v);
      unassignedPenalty += cp.penalty[v]!;
    }
  const cost: CostBreakdown = {
    total: unassignedPenalty + travel + lateness + overtime + labor + fairness + assignment,
    unassignedPenalty,
    lateness,
    travel,
    overtime,
    labor,
    fairness,
    assignment,
    travelMinutes,
    distance,
    latenessMinutes,
    overtimeMinutes,
    unassignedCount: un.length,
  };
  return {
    routes: planned,
    unassigned: explainUnassigned(cp, ev, un),
    cost,
    feasible,
    allP1Placed: un.every((v) => cp.visits[v]!.priority !== 1),
    stats,
  };
}

export { CostEvaluator };
