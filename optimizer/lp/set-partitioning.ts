import { lpSolver as solver } from './lp-solver.js';
import type { CostEvaluator } from '../cost/cost-evaluator.js';
import type { CompiledProblem } from '../model/compiled-problem.js';
import type { SolutionState } from '../search/solution-state.js';

/** Distinct routes seen during the search, keyed by their visit set (keeping the cheapest order). */
export class RoutePool {
  readonly routes = new Map<string, { seq: number[]; cost: number }>();

  constructor(private readonly maxSize = 20_000) {}

  add(seq: readonly number[], cost: number): void {
    if (seq.length === 0 || !Number.isFinite(cost)) return;
    const key = [...seq].sort((a, b) => a - b).join(',');
    const cur = this.routes.get(key);
    if (cur) {
      if (cost < cur.cost - 1e-9) {
        cur.seq = seq.slice();
        cur.cost = cost;
      }
    } else if (this.routes.size < this.maxSize) this.routes.set(key, { seq: seq.slice(), cost });
  }

  addRoutes(s: SolutionState, rs: Iterable<number>): void {
    for (const r of rs) this.add(s.routes[r]!, s.cost[r]!);
  }

  addSolution(s: SolutionState): void {
    this.addRoutes(s, s.routes.keys());
  }
}

export interface SetPartitioningStats {
  readonly routesInPool: number;
  readonly before: number;
  readonly after: number;
  readonly ms: number;
  readonly status: string;
}

/**
 * Picks the cheapest exact cover of the visits by pool routes (binary program, one equality row
 * per visit, one fleet row) with javascript-lp-solver, warm-limited to the routes of the
 * `maxColumns` cheapest per-visit candidates. Falls back to `incumbent` on timeout or failure.
 */
export function setPartitioning(
  cp: CompiledProblem,
  ev: CostEvaluator,
  pool: RoutePool,
  incumbent: number[][],
  timeoutMs: number,
  maxColumns = 300,
): { routes: number[][]; stats: SetPartitioningStats } {
  const t0 = performance.now();
  const costOf = (routes: readonly number[][]): number => routes.reduce((a, r) => a + ev.routeCost(0, r, r.length), 0);
  const before = costOf(incumbent.filter((r) => r.length > 0));
  for (const r of incumbent) if (r.length > 0) pool.add(r, ev.routeCost(0, r, r.length));
  // Keep the incumbent's routes plus the routes with the lowest cost per visit.
  const all = [...pool.routes.values()].sort((a, b) => a.cost / a.seq.length - b.cost / b.seq.length);
  const chosen = all.slice(0, maxColumns);
  const keys = new Set(chosen.map((c) => c.seq.join(',')));
  for (const r of incumbent) if (r.length > 0 && !keys.has(r.join(','))) chosen.push({ seq: r, cost: ev.routeCost(0, r, r.length) });
  const constraints: Record<string, { equal?: number; max?: number }> = { fleet: { max: cp.m } };
  for (let v = 0; v < cp.n; v++) constraints[`v${v}`] = { equal: 1 };
  const variables: Record<string, Record<string, number>> = {};
  const binaries: Record<string, 1> = {};
  chosen.forEach((c, i) => {
    const col: Record<string, number> = { cost: c.cost, fleet: 1 };
    for (const v of c.seq) col[`v${v}`] = 1;
    variables[`r${i}`] = col;
    binaries[`r${i}`] = 1;
  });
  let status = 'ok';
  let routes = incumbent;
  try {
    const res = solver.Solve({
      optimize: 'cost',
      opType: 'min',
      constraints,
      variables,
      binaries,
      options: { timeout: timeoutMs, tolerance: 0 },
    });
    if (res['feasible'] === true) {
      const picked: number[][] = [];
      chosen.forEach((c, i) => {
        const x = res[`r${i}`];
        if (typeof x === 'number' && x > 0.5) picked.push(c.seq.slice());
      });
      const covered = new Uint8Array(cp.n);
      let ok = picked.length <= cp.m;
      for (const r of picked)
        for (const v of r) {
          if (covered[v]) ok = false;
          covered[v] = 1;
        }
      if (ok && covered.every((x) => x === 1) && costOf(picked) < before - 1e-9) {
        routes = picked.concat(Array.from({ length: cp.m - picked.length }, () => []));
      } else status = ok ? 'no-improvement' : 'invalid-cover';
    } else status = 'infeasible-or-timeout';
  } catch (e) {
    status = `error: ${(e as Error).message}`;
  }
  const after = costOf(routes.filter((r) => r.length > 0));
  return { routes, stats: { routesInPool: pool.routes.size, before, after, ms: performance.now() - t0, status } };
}
