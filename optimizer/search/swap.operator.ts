import { evaluateMove, type Move } from './move.js';
import type { SolutionState } from './solution-state.js';

/** Swap: exchange the positions of visits u and v (same or different routes). */
export function evaluateSwap(s: SolutionState, u: number, v: number, mv: Move): number {
  mv.reset(-1, -1);
  const ru = s.routeOf[u]!;
  const rv = s.routeOf[v]!;
  if (ru < 0 || rv < 0 || u === v) return Infinity;
  let pu = s.posOf[u]!;
  let pv = s.posOf[v]!;
  if (ru !== rv) {
    const A = s.routes[ru]!;
    const B = s.routes[rv]!;
    mv.reset(ru, rv)
      .seg(0, ru, 0, pu - 1)
      .node(0, v)
      .seg(0, ru, pu + 1, A.length - 1)
      .seg(1, rv, 0, pv - 1)
      .node(1, u)
      .seg(1, rv, pv + 1, B.length - 1);
    return evaluateMove(s, mv);
  }
  if (pu > pv) {
    const t = pu;
    pu = pv;
    pv = t;
  }
  const R = s.routes[ru]!;
  const a = R[pu]!;
  const b = R[pv]!;
  mv.reset(ru, -1)
    .seg(0, ru, 0, pu - 1)
    .node(0, b)
    .seg(0, ru, pu + 1, pv - 1)
    .node(0, a)
    .seg(0, ru, pv + 1, R.length - 1);
  return evaluateMove(s, mv);
}
