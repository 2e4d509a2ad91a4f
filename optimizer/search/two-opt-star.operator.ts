import { evaluateMove, type Move } from './move.js';
import type { SolutionState } from './solution-state.js';

/**
 * 2-opt*: exchange the tails of two routes so that u is directly followed by v.
 * Route(u) becomes prefix(u) + tail from v; route(v) becomes prefix before v + tail after u.
 * O(1) in fast mode (prefix cache + suffix latest-start slack).
 */
export function evaluateTwoOptStar(s: SolutionState, u: number, v: number, mv: Move): number {
  mv.reset(-1, -1);
  const ru = s.routeOf[u]!;
  const rv = s.routeOf[v]!;
  if (ru < 0 || rv < 0 || ru === rv) return Infinity;
  const pu = s.posOf[u]!;
  const pv = s.posOf[v]!;
  const A = s.routes[ru]!;
  const B = s.routes[rv]!;
  mv.reset(ru, rv)
    .seg(0, ru, 0, pu)
    .seg(0, rv, pv, B.length - 1)
    .seg(1, rv, 0, pv - 1)
    .seg(1, ru, pu + 1, A.length - 1);
  return evaluateMove(s, mv);
}
