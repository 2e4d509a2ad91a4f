import { CostEvaluator } from '../cost/cost-evaluator.js';
import { DISTANCE_ONLY_WEIGHTS } from '../cost/cost-weights.js';
import { compileProblem, type CompiledProblem } from '../model/compiled-problem.js';
import type { Problem, Technician, Visit } from '../model/problem.types.js';
import { createRng } from '../rng.js';
import { SolutionState } from '../search/solution-state.js';
import { EuclideanTravelTimeProvider } from '../travel/euclidean-travel.provider.js';

export const at = (x: number, y: number) => ({ lat: y, lon: x });

/** Euclidean VRPTW-like problem; `general` adds a harmless vehicle difference so the general (simulation) mode is used. */
export function euclidProblem(
  points: readonly [number, number][],
  opts: {
    vehicles?: number;
    horizon?: number;
    general?: boolean;
    windows?: readonly [number, number][];
    service?: number;
    capacity?: number;
    demand?: number;
  } = {},
): Problem {
  const vehicles = opts.vehicles ?? 3;
  const horizon = opts.horizon ?? 1000;
  const technicians: Technician[] = Array.from({ length: vehicles }, (_, k) => ({
    id: `t${k}`,
    home: at(0, 0),
    shiftStart: 0,
    // A different end (never binding) breaks homogeneity → general mode.
    shiftEnd: opts.general && k === 0 ? horizon + 1 : horizon,
    ...(opts.capacity !== undefined ? { capacity: opts.capacity } : {}),
  }));
  const visits: Visit[] = points.map(([x, y], i) => ({
    id: `c${i + 1}`,
    location: at(x, y),
    duration: opts.service ?? 0,
    priority: 1,
    ...(opts.windows?.[i] ? { timeWindows: [{ start: opts.windows[i][0], end: opts.windows[i][1] }] } : {}),
    ...(opts.demand !== undefined ? { demand: opts.demand } : {}),
  }));
  return { technicians, visits };
}

export function compileEuclid(problem: Problem): { cp: CompiledProblem; ev: CostEvaluator } {
  const cp = compileProblem(problem, new EuclideanTravelTimeProvider(), DISTANCE_ONLY_WEIGHTS);
  return { cp, ev: new CostEvaluator(cp) };
}

export function stateOf(problem: Problem, routes: number[][]): SolutionState {
  const { cp, ev } = compileEuclid(problem);
  return SolutionState.fromRoutes(cp, ev, routes);
}

/** Random Euclidean instance with windows, for property tests. */
export function randomInstance(seed: number, n: number, general: boolean): Problem {
  const r = createRng(seed);
  const pts: [number, number][] = [];
  const windows: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    pts.push([Math.round(r.next() * 100 - 50), Math.round(r.next() * 100 - 50)]);
    const a = Math.round(r.next() * 300);
    windows.push([a, a + 40 + Math.round(r.next() * 200)]);
  }
  return euclidProblem(pts, { vehicles: 4, horizon: 600, general, windows, service: 10, capacity: 6, demand: 1 });
}
