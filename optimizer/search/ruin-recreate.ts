import type { Rng } from '../rng.js';
import type { SolutionState } from './solution-state.js';

/** Parameters of the SISR ruin-and-recreate (Christiaens & Vanden Berghe 2020). */
export interface RuinRecreateParams {
  /** Average number of visits removed per ruin (c̄). */
  readonly averageRemoved: number;
  /** Maximum string length (L_max). */
  readonly maxStringLength: number;
  /** Probability of the split-string variant. */
  readonly splitRate: number;
  /** Probability to stop growing the preserved substring of a split string. */
  readonly splitDepth: number;
  /** Probability to skip an insertion position (blinks). */
  readonly blinkRate: number;
  /** Probability that a ruin removes one whole (short) route instead of strings: helps drop a vehicle. */
  readonly routeRemovalRate: number;
}

export const DEFAULT_RUIN_RECREATE: RuinRecreateParams = {
  averageRemoved: 10,
  maxStringLength: 10,
  splitRate: 0.5,
  splitDepth: 0.3,
  blinkRate: 0.01,
  routeRemovalRate: 0.02,
};

/** Removes every visit of one route, picked among the shortest of two random non-empty routes. */
export function ruinRoute(s: SolutionState, rng: Rng): number[] {
  const used: number[] = [];
  for (let r = 0; r < s.routes.length; r++) if (s.routes[r]!.length > 0) used.push(r);
  if (used.length < 2) return [];
  const a = used[rng.int(used.length)]!;
  const b = used[rng.int(used.length)]!;
  const r = s.routes[a]!.length <= s.routes[b]!.length ? a : b;
  const removed = s.routes[r]!.slice();
  s.removeMany(removed);
  return removed;
}

/**
 * Removes strings of consecutive visits from routes near a random seed visit
 * (adjacent routes in the seed's neighbour list). Returns the removed visits.
 */
export function ruinStrings(s: SolutionState, rng: Rng, prm: RuinRecreateParams): number[] {
  const p = s.p;
  let visits = 0;
  let used = 0;
  for (const R of s.routes)
    if (R.length > 0) {
      visits += R.length;
      used++;
    }
  if (used === 0) return [];
  const lsMax = Math.min(prm.maxStringLength, visits / used);
  const ksMax = (4 * prm.averageRemoved) / (1 + lsMax) - 1;
  const ks = Math.floor(rng.next() * Math.max(1, ksMax)) + 1;
  let seed = rng.int(p.n);
  for (let tries = 0; s.routeOf[seed]! < 0 && tries < 20; tries++) seed = rng.int(p.n);
  if (s.routeOf[seed]! < 0) return [];
  const removed: number[] = [];
  const ruined = new Set<number>();
  const K = p.K;
  for (let i = -1; i < K && ruined.size < ks; i++) {
    const c = i < 0 ? seed : p.neighbours[seed * K + i]!;
    const r = s.routeOf[c]!;
    if (r < 0 || ruined.has(r)) continue;
    const R = s.routes[r]!;
    const lMax = Math.min(R.length, lsMax);
    const l = Math.floor(rng.next() * lMax) + 1;
    const pos = s.posOf[c]!;
    if (l >= R.length || rng.next() >= prm.splitRate) {
      let from = pos - rng.int(l);
      if (from < 0) from = 0;
      if (from + l > R.length) from = R.length - l;
      for (let j = from; j < from + l; j++) removed.push(R[j]!);
    } else {
      let mKeep = 1;
      while (l + mKeep < R.length && rng.next() > prm.splitDepth) mKeep++;
      const total = l + mKeep;
      let from = pos - rng.int(total);
      if (from < 0) from = 0;
      if (from + total > R.length) from = R.length - total;
      const keepFrom = from + rng.int(total - mKeep + 1);
      for (let j = from; j < from + total; j++) if (j < keepFrom || j >= keepFrom + mKeep) removed.push(R[j]!);
    }
    ruined.add(r);
  }
  s.removeMany(removed);
  return removed;
}

/** Orders visits for reinsertion: priority first, then one of SISR's random/demand/far/close/narrow orders. */
export function sortForRecreate(s: SolutionState, vs: number[], rng: Rng): void {
  const p = s.p;
  const depot = p.startLoc[0] ?? 0;
  const key = s.scratchKey;
  const x = rng.next() * 13;
  for (const v of vs) {
    const far = p.time[depot * p.L + p.visitLoc[v]!]!;
    let k: number;
    if (x < 4) k = rng.next();
    else if (x < 8) k = -p.demand[v]!;
    else if (x < 10) k = -far;
    else if (x < 11) k = far;
    else k = p.due[v]! - p.ready[v]!;
    key[v] = k;
  }
  vs.sort((a, b) => p.visits[a]!.priority - p.visits[b]!.priority || key[a]! - key[b]!);
}

/**
 * Greedy best insertion with blinks. Visits with no feasible position stay unassigned
 * (their penalty is in the state's total). In fast mode only one empty route is tried,
 * since all vehicles are identical.
 */
export function recreateGreedy(s: SolutionState, vs: readonly number[], rng: Rng, blinkRate: number): void {
  const p = s.p;
  const m = p.m;
  const rnd = rng.next;
  const K = p.K;
  const stamp = s.scratchStamp;
  for (const v of vs) {
    let best = Infinity;
    let bestR = -1;
    let bestPos = -1;
    let triedEmpty = false;
    if (p.fast) {
      // Candidate routes: those serving one of v's nearest neighbours, plus one empty route
      // (identical vehicles). Keeps the cost per insertion independent of the fleet size.
      const tag = ++s.stampCounter;
      for (let i = -1; i < K; i++) {
        const r = i < 0 ? -1 : s.routeOf[p.neighbours[v * K + i]!]!;
        if (r < 0 || stamp[r] === tag) continue;
        stamp[r] = tag;
        const pos = s.bestInsertionFast(r, v, best, blinkRate, rnd);
        if (pos >= 0) {
          best = s.lastDelta;
          bestR = r;
          bestPos = pos;
        }
      }
      for (let r = 0; r < m; r++) {
        if (s.routes[r]!.length > 0) continue;
        const pos = s.bestInsertionFast(r, v, best, 0, rnd);
        if (pos >= 0) {
          best = s.lastDelta;
          bestR = r;
          bestPos = pos;
        }
        break;
      }
      if (bestR < 0) {
        // No neighbour route fits: fall back to every route.
        for (let r = 0; r < m; r++) {
          if (stamp[r] === tag || s.routes[r]!.length === 0) continue;
          const pos = s.bestInsertionFast(r, v, best, 0, rnd);
          if (pos >= 0) {
            best = s.lastDelta;
            bestR = r;
            bestPos = pos;
          }
        }
      }
      if (bestR >= 0) s.insert(bestR, bestPos, v);
      continue;
    }
    for (let r = 0; r < m; r++) {
      const R = s.routes[r]!;
      if (p.fast) {
        if (R.length === 0) {
          if (triedEmpty) continue;
          triedEmpty = true;
        }
        const pos = s.bestInsertionFast(r, v, best, blinkRate, rnd);
        if (pos >= 0) {
          best = s.lastDelta;
          bestR = r;
          bestPos = pos;
        }
        continue;
      }
      if (p.allowed[r * p.n + v] === 0) continue;
      if (s.load[r]! + p.demand[v]! > p.capacity[r]!) continue;
      for (let pos = 0; pos <= R.length; pos++) {
        if (blinkRate > 0 && rnd() < blinkRate) continue;
        const d = s.insertionDelta(r, pos, v, best);
        if (d < best) {
          best = d;
          bestR = r;
          bestPos = pos;
        }
      }
    }
    if (bestR >= 0) s.insert(bestR, bestPos, v);
  }
}
