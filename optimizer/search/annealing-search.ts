import type { Rng } from '../rng.js';
import { progressOf, type SearchStatus, type StopCriterion } from '../stop/stop-criteria.js';
import { recreateGreedy, ruinRoute, ruinStrings, sortForRecreate, type RuinRecreateParams } from './ruin-recreate.js';
import type { SolutionState } from './solution-state.js';

export interface AnnealingParams {
  readonly ruinRecreate: RuinRecreateParams;
  /** Start / end temperature as a fraction of the mean routed arc cost of the initial solution. */
  readonly initialTemperature: number;
  readonly finalTemperature: number;
  /** Run local search on every new best solution. */
  readonly localSearchOnBest: boolean;
}

/** Progress report, also the heartbeat payload of the dispatch activity. */
export interface SearchProgress {
  readonly iteration: number;
  readonly elapsedMs: number;
  readonly bestCost: number;
  readonly currentCost: number;
  readonly unassigned: number;
}

export interface SearchStats {
  readonly iterations: number;
  readonly accepted: number;
  readonly improvements: number;
  readonly elapsedMs: number;
  /** Best cost at every improvement, to check monotonicity and plot convergence. */
  readonly bestTrace: readonly { iteration: number; ms: number; cost: number }[];
}

export interface SearchContext {
  readonly rng: Rng;
  readonly stop: StopCriterion;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: SearchProgress) => void) | undefined;
  readonly progressEveryMs?: number;
  /** Let the event loop run (heartbeats, cancellation) every so many ms; 0 = never yield. */
  readonly yieldEveryMs?: number;
  readonly localSearch?: ((s: SolutionState, visits?: readonly number[]) => void) | undefined;
  /** Called on every candidate within `poolThreshold` of the best, before accept/reject, with the routes it changed. */
  readonly onCandidate?: ((s: SolutionState, changedRoutes: Iterable<number>) => void) | undefined;
  /** Relative gap to the best cost under which candidates are reported to `onCandidate` (default 0.03). */
  readonly poolThreshold?: number;
  readonly now?: () => number;
  /** Time origin of the run's budget (default: when the search starts), so construction counts. */
  readonly startedAt?: number;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Ruin-and-recreate with simulated-annealing acceptance (record-to-record style threshold
 * `cost' < cost - T ln U`). Works in place on `s` and returns the best routes found; `s` ends on
 * the best solution. The best cost never increases (the trace is monotone by construction).
 */
export async function annealingSearch(
  s: SolutionState,
  prm: AnnealingParams,
  ctx: SearchContext,
): Promise<{ best: number[][]; bestCost: number; stats: SearchStats }> {
  const now = ctx.now ?? (() => performance.now());
  const t0 = ctx.startedAt ?? now();
  let routed = 0;
  let arcs = 0;
  for (let r = 0; r < s.p.m; r++)
    if (s.routes[r]!.length > 0) {
      routed += s.cost[r]!;
      arcs += s.routes[r]!.length + 1;
    }
  const scale = arcs > 0 && Number.isFinite(routed) ? Math.max(routed / arcs, 1e-6) : 1;
  const T0 = prm.initialTemperature * scale;
  const Tf = Math.max(prm.finalTemperature * scale, 1e-9);
  let current = s.total;
  let best = s.snapshot();
  let bestCost = current;
  const trace: { iteration: number; ms: number; cost: number }[] = [{ iteration: 0, ms: 0, cost: bestCost }];
  let iteration = 0;
  let accepted = 0;
  let improvements = 0;
  let sinceImprovement = 0;
  let lastYield = t0;
  let lastProgress = t0;
  let elapsed = 0;
  const status = (): SearchStatus => ({ iteration, elapsedMs: elapsed, iterationsSinceImprovement: sinceImprovement });
  let frac = 0;
  if (s.p.n === 0) return { best, bestCost, stats: { iterations: 0, accepted: 0, improvements: 0, elapsedMs: 0, bestTrace: trace } };
  for (;;) {
    {
      const t = now();
      elapsed = t - t0;
      const st = status();
      if (ctx.signal?.aborted || ctx.stop.shouldStop(st)) break;
      frac = progressOf(ctx.stop, st);
      if (ctx.onProgress && t - lastProgress >= (ctx.progressEveryMs ?? 500)) {
        lastProgress = t;
        ctx.onProgress({ iteration, elapsedMs: elapsed, bestCost, currentCost: current, unassigned: s.unassigned.length });
      }
      if ((ctx.yieldEveryMs ?? 0) > 0 && t - lastYield >= ctx.yieldEveryMs!) {
        await yieldToLoop();
        lastYield = now();
      }
    }
    iteration++;
    sinceImprovement++;
    const T = T0 * Math.pow(Tf / T0, frac);
    s.begin();
    const removed = ctx.rng.next() < prm.ruinRecreate.routeRemovalRate ? ruinRoute(s, ctx.rng) : ruinStrings(s, ctx.rng, prm.ruinRecreate);
    // Unassigned visits get a new chance every iteration.
    for (const v of s.unassigned) if (!removed.includes(v)) removed.push(v);
    sortForRecreate(s, removed, ctx.rng);
    recreateGreedy(s, removed, ctx.rng, prm.ruinRecreate.blinkRate);
    const cand = s.total;
    if (ctx.onCandidate && cand <= bestCost * (1 + (ctx.poolThreshold ?? 0.03))) ctx.onCandidate(s, s.touchedRoutes());
    if (cand < current - T * Math.log(ctx.rng.next())) {
      s.commit();
      accepted++;
      current = cand;
      if (cand < bestCost - 1e-9) {
        if (prm.localSearchOnBest && ctx.localSearch) {
          // Descent around the reinserted visits only: O(|removed| · neighbours) per new best.
          ctx.localSearch(s, removed);
          current = s.total;
        }
        bestCost = current;
        best = s.snapshot();
        improvements++;
        sinceImprovement = 0;
        trace.push({ iteration, ms: now() - t0, cost: bestCost });
      }
    } else s.rollback();
  }
  elapsed = now() - t0;
  ctx.onProgress?.({ iteration, elapsedMs: elapsed, bestCost, currentCost: current, unassigned: s.unassigned.length });
  return { best, bestCost, stats: { iterations: iteration, accepted, improvements, elapsedMs: elapsed, bestTrace: trace } };
}
