import { evaluateMove, type Move } from './move.js';
import type { SolutionState } from './solution-state.js';

/**
 * Relocate: move the segment of `len` visits starting at visit u so that it follows position q of
 * route r (q = -1: first). `len` = 1 is the classic relocate; 2..3 is or-opt (see or-opt.operator).
 * Returns the cost delta (Infinity if infeasible or a no-op); the move is left in `mv`.
 */
export function evaluateRelocate(s: SolutionState, u: number, r: number, q: number, mv: Move, len = 1): number {
  mv.reset(-1, -1);
  const ru = s.routeOf[u]!;
  if (ru < 0) return Infinity;
  const pu = s.posOf[u]!;
  const R = s.routes[ru]!;
  const pe = pu + len - 1;
  if (pe >= R.length) return Infinity;
  if (ru !== r) {
    mv.reset(ru, r)
      .seg(0, ru, 0, pu - 1)
      .seg(0, ru, pe + 1, R.length - 1)
      .seg(1, r, 0, q)
      .seg(1, ru, pu, pe)
      .seg(1, r, q + 1, s.routes[r]!.length - 1);
    return evaluateMove(s, mv);
  }
  if (q >= pu - 1 && q <= pe) return Infinity; // no-op or overlapping
  mv.reset(ru, -1);
  if (q < pu)
    mv.seg(0, ru, 0, q)
      .seg(0, ru, pu, pe)
      .seg(0, ru, q + 1, pu - 1)
      .seg(0, ru, pe + 1, R.length - 1);
  else
    mv.seg(0, ru, 0, pu - 1)
      .seg(0, ru, pe + 1, q)
      .seg(0, ru, pu, pe)
      .seg(0, ru, q + 1, R.length - 1);
  return evaluateMove(s, mv);
}
