import { shuffle, type Rng } from '../rng.js';
import { applyMove, Move } from './move.js';
import { evaluateOrOpt } from './or-opt.operator.js';
import { evaluateRelocate } from './relocate.operator.js';
import type { SolutionState } from './solution-state.js';
import { evaluateSwap } from './swap.operator.js';
import { evaluateTwoOptStar } from './two-opt-star.operator.js';

const EPS = 1e-9;

/**
 * First-improvement descent over neighbour lists with relocate, swap, 2-opt* and or-opt.
 * For each visit u and each of its nearest neighbours v, moves that create the arc u→v or v→u
 * are tried; an improving move is applied at once. Never worsens the state's total.
 * Returns the number of applied moves.
 */
export function localSearch(s: SolutionState, rng: Rng, maxPasses = 50, neighbours = 20, visits?: readonly number[]): number {
  const p = s.p;
  const K = p.K;
  const kk = Math.min(K, neighbours);
  const mv = new Move();
  // A restricted descent (after a ruin-and-recreate) only starts from the reinserted visits.
  const order = visits
    ? [...visits]
    : shuffle(
        Array.from({ length: p.n }, (_, i) => i),
        rng,
      );
  let applied = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (const u of order) {
      if (s.routeOf[u]! < 0) continue;
      for (let i = 0; i < kk; i++) {
        const v = p.neighbours[u * K + i]!;
        const rv = s.routeOf[v]!;
        if (rv < 0 || s.routeOf[u]! < 0) continue;
        const pv = s.posOf[v]!;
        if (
          evaluateRelocate(s, u, rv, pv, mv) < -EPS ||
          evaluateRelocate(s, u, rv, pv - 1, mv) < -EPS ||
          evaluateSwap(s, u, v, mv) < -EPS ||
          evaluateTwoOptStar(s, u, v, mv) < -EPS ||
          evaluateOrOpt(s, u, 2, rv, pv, mv) < -EPS ||
          evaluateOrOpt(s, u, 3, rv, pv, mv) < -EPS ||
          evaluateOrOpt(s, u, 2, rv, pv - 1, mv) < -EPS
        ) {
          applyMove(s, mv);
          applied++;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return applied;
}
