/** What a stop criterion sees. */
export interface SearchStatus {
  readonly iteration: number;
  readonly elapsedMs: number;
  readonly iterationsSinceImprovement: number;
}

/**
 * A stop predicate plus, when it knows one, the fraction of the budget used (0..1), which drives
 * the annealing temperature. Criteria without a budget (noImprovement) report no progress.
 */
export interface StopCriterion {
  shouldStop(s: SearchStatus): boolean;
  progress?(s: SearchStatus): number;
}

export function maxRuntime(ms: number): StopCriterion {
  return { shouldStop: (s) => s.elapsedMs >= ms, progress: (s) => Math.min(1, s.elapsedMs / ms) };
}

export function maxIterations(n: number): StopCriterion {
  return { shouldStop: (s) => s.iteration >= n, progress: (s) => Math.min(1, s.iteration / n) };
}

export function noImprovement(n: number): StopCriterion {
  return { shouldStop: (s) => s.iterationsSinceImprovement >= n };
}

/** Stops as soon as one criterion does; progress is the most advanced known budget. */
export function anyOf(...criteria: StopCriterion[]): StopCriterion {
  return {
    shouldStop: (s) => criteria.some((c) => c.shouldStop(s)),
    progress: (s) => {
      let p = -1;
      for (const c of criteria) if (c.progress) p = Math.max(p, c.progress(s));
      return p < 0 ? Math.min(1, s.iteration / 100_000) : p;
    },
  };
}

/** Stop on demand: true once the signal is aborted (checked between iterations). */
export function aborted(signal: AbortSignal): StopCriterion {
  return { shouldStop: () => signal.aborted };
}

/** Fraction of the budget used, for criteria that may lack `progress`. */
export function progressOf(c: StopCriterion, s: SearchStatus): number {
  return c.progress ? c.progress(s) : Math.min(1, s.iteration / 100_000);
}
