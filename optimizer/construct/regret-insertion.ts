import type { SolutionState } from '../search/solution-state.js';

/**
 * Regret-2 insertion: repeatedly inserts the visit whose best and second-best insertion (in
 * different routes) differ most, so that visits with few good options are placed first. Higher
 * priorities go first (a P1 is always chosen before a P2). Per visit × route best insertions are
 * cached and only the column of the modified route is recomputed: O(n · route length) per step.
 * In fast mode identical empty vehicles are represented by a single one. Visits with no feasible
 * position stay unassigned.
 */
export function regretInsertion(s: SolutionState, visits: readonly number[]): void {
  const p = s.p;
  const m = p.m;
  const U = visits.filter((v) => s.routeOf[v]! < 0);
  if (U.length === 0 || m === 0) return;
  const idx = new Int32Array(p.n).fill(-1);
  U.forEach((v, i) => (idx[v] = i));
  const bestD = new Float64Array(U.length * m).fill(Infinity);
  const bestP = new Int32Array(U.length * m);
  const isRep = (r: number): boolean => {
    if (!p.fast || s.routes[r]!.length > 0) return true;
    for (let q = 0; q < r; q++) if (s.routes[q]!.length === 0) return false;
    return true;
  };
  const column = (r: number): void => {
    const R = s.routes[r]!;
    const rep = isRep(r);
    for (let i = 0; i < U.length; i++) {
      const v = U[i]!;
      if (v < 0) continue;
      let b = Infinity;
      let bp = -1;
      if (rep && (p.fast || p.allowed[r * p.n + v] === 1) && s.load[r]! + p.demand[v]! <= p.capacity[r]!) {
        for (let pos = 0; pos <= R.length; pos++) {
          const d = s.insertionDelta(r, pos, v, b);
          if (d < b) {
            b = d;
            bp = pos;
          }
        }
      }
      bestD[i * m + r] = b;
      bestP[i * m + r] = bp;
    }
  };
  for (let r = 0; r < m; r++) column(r);
  let left = U.length;
  while (left > 0) {
    let pick = -1;
    let pickScore = -Infinity;
    let pickR = -1;
    for (let i = 0; i < U.length; i++) {
      const v = U[i]!;
      if (v < 0) continue;
      let b1 = Infinity;
      let b2 = Infinity;
      let r1 = -1;
      for (let r = 0; r < m; r++) {
        const d = bestD[i * m + r]!;
        if (d < b1) {
          b2 = b1;
          b1 = d;
          r1 = r;
        } else if (d < b2) b2 = d;
      }
      if (r1 < 0) continue;
      const regret = (b2 === Infinity ? 1e12 : b2 - b1) + (4 - p.visits[v]!.priority) * 1e15;
      if (regret > pickScore) {
        pickScore = regret;
        pick = i;
        pickR = r1;
      }
    }
    if (pick < 0) break;
    const v = U[pick]!;
    s.insert(pickR, bestP[pick * m + pickR]!, v);
    U[pick] = -1;
    left--;
    column(pickR);
    if (p.fast)
      for (let r = 0; r < m; r++)
        if (s.routes[r]!.length === 0) {
          column(r);
          break;
        }
  }
}
