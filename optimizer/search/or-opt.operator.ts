import type { Move } from './move.js';
import { evaluateRelocate } from './relocate.operator.js';
import type { SolutionState } from './solution-state.js';

/**
 * Or-opt: move a chain of 2 or 3 consecutive visits starting at u to after position q of route r
 * (same or another route), keeping its orientation. Delta evaluation is O(chain) + O(1).
 */
export function evaluateOrOpt(s: SolutionState, u: number, chain: 2 | 3, r: number, q: number, mv: Move): number {
  return evaluateRelocate(s, u, r, q, mv, chain);
}
