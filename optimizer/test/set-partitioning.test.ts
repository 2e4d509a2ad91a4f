import { describe, expect, it } from 'vitest';
import { RoutePool, setPartitioning } from '../lp/set-partitioning.js';
import { compileEuclid, euclidProblem } from './fixtures.js';

describe('set partitioning over a route pool (javascript-lp-solver)', () => {
  it('recombines pool routes into a cheaper exact cover', () => {
    // Two clusters left and right of the depot; the incumbent mixes them.
    const problem = euclidProblem(
      [
        [-10, 0],
        [-10, 1],
        [10, 0],
        [10, 1],
      ],
      { vehicles: 2 },
    );
    const { cp, ev } = compileEuclid(problem);
    const pool = new RoutePool();
    const cost = (r: number[]) => ev.routeCost(0, r, r.length);
    for (const r of [[0, 2], [1, 3], [0, 1], [2, 3], [0], [3]]) pool.add(r, cost(r));
    const incumbent = [
      [0, 2],
      [1, 3],
    ];
    const { routes, stats } = setPartitioning(cp, ev, pool, incumbent, 2000);
    const used = routes
      .filter((r) => r.length > 0)
      .map((r) => [...r].sort())
      .sort();
    expect(used).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(stats.after).toBeLessThan(stats.before);
    expect(stats.after).toBeCloseTo(2 * (10 + 1 + Math.hypot(10, 1)), 6);
  });

  it('keeps the incumbent when nothing better exists', () => {
    const problem = euclidProblem(
      [
        [-10, 0],
        [10, 0],
      ],
      { vehicles: 2 },
    );
    const { cp, ev } = compileEuclid(problem);
    const pool = new RoutePool();
    const { routes, stats } = setPartitioning(cp, ev, pool, [[0], [1]], 1000);
    expect(routes).toEqual([[0], [1]]);
    expect(stats.status).toBe('no-improvement');
  });
});
