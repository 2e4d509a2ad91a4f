import type { SolutionState } from './solution-state.js';

/**
 * A candidate move described as the new content of at most two routes, each a concatenation of
 * segments of the *current* routes (triples route/from/to, inclusive; route -1 = single visit).
 * Evaluating it costs O(1) per prefix/suffix segment in fast mode; applying it rebuilds the routes.
 */
export class Move {
  rA = -1;
  nA = 0;
  readonly segA = new Int32Array(18);
  rB = -1;
  nB = 0;
  readonly segB = new Int32Array(18);
  delta = Infinity;

  reset(rA: number, rB: number): this {
    this.rA = rA;
    this.rB = rB;
    this.nA = 0;
    this.nB = 0;
    this.delta = Infinity;
    return this;
  }

  /** Appends a segment to route A (`which` = 0) or B (1). */
  seg(which: 0 | 1, route: number, from: number, to: number): this {
    if (which === 0) {
      const i = 3 * this.nA++;
      this.segA[i] = route;
      this.segA[i + 1] = from;
      this.segA[i + 2] = to;
    } else {
      const i = 3 * this.nB++;
      this.segB[i] = route;
      this.segB[i + 1] = from;
      this.segB[i + 2] = to;
    }
    return this;
  }

  node(which: 0 | 1, visit: number): this {
    return this.seg(which, -1, visit, visit);
  }
}

/** Sets and returns `mv.delta`: new cost of the touched routes minus their current cost. */
export function evaluateMove(s: SolutionState, mv: Move): number {
  const a = s.evalSegments(mv.rA, mv.segA, mv.nA);
  if (a === Infinity) return (mv.delta = Infinity);
  let d = a - s.cost[mv.rA]!;
  if (mv.rB >= 0) {
    const b = s.evalSegments(mv.rB, mv.segB, mv.nB);
    if (b === Infinity) return (mv.delta = Infinity);
    d += b - s.cost[mv.rB]!;
  }
  return (mv.delta = d);
}

function materialise(s: SolutionState, segs: Int32Array, ns: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ns; i++) {
    const r = segs[3 * i]!;
    const a = segs[3 * i + 1]!;
    const b = segs[3 * i + 2]!;
    if (r < 0) out.push(a);
    else {
      const R = s.routes[r]!;
      for (let j = a; j <= b; j++) out.push(R[j]!);
    }
  }
  return out;
}

/** Applies an evaluated move (both new routes are built before either is replaced). */
export function applyMove(s: SolutionState, mv: Move): void {
  const a = materialise(s, mv.segA, mv.nA);
  const b = mv.rB >= 0 ? materialise(s, mv.segB, mv.nB) : null;
  s.setRoute(mv.rA, a);
  if (b) s.setRoute(mv.rB, b);
}
