import { CostEvaluator } from '../cost/cost-evaluator.js';
import type { CompiledProblem } from '../model/compiled-problem.js';

/**
 * Mutable working solution of the search: one route per vehicle (possibly empty) plus the
 * unassigned visits. Keeps, per route, caches that make move evaluation cheap:
 * - `start[i]`: earliest service start at position i (forward propagation),
 * - `latest[i]`: latest service start at position i that keeps the rest of the route feasible
 *   (backward propagation, the time-window slack of Savelsbergh),
 * - `loadPre[i]`, `costPre[i]`: load and travel cost of the prefix 0..i.
 * These caches are only valid (and only maintained) in the fast (academic VRPTW) mode; in the
 * general mode routes are short and candidate routes are simulated by the CostEvaluator.
 *
 * A light transaction log (`begin` / `touch` / `rollback`) lets ruin-and-recreate work in place and
 * undo a rejected candidate in O(size of the touched routes).
 */
export class SolutionState {
  readonly p: CompiledProblem;
  readonly ev: CostEvaluator;
  routes: number[][];
  readonly routeOf: Int32Array;
  readonly posOf: Int32Array;
  readonly cost: Float64Array;
  readonly load: Float64Array;
  start: Float64Array[];
  latest: Float64Array[];
  loadPre: Float64Array[];
  costPre: Float64Array[];
  /** Unassigned visits; `unPos[v]` is v's index in `unassigned` or -1. */
  unassigned: number[];
  readonly unPos: Int32Array;
  total = 0;
  /** Scratch buffers for the search (one per state, never shared across solves). */
  readonly scratchKey: Float64Array;
  readonly scratchStamp: Int32Array;
  stampCounter = 0;
  private readonly buf: Int32Array;
  private saved = new Map<number, number[]>();
  private savedUnassigned: number[] | null = null;
  private savedTotal = 0;

  constructor(p: CompiledProblem, ev: CostEvaluator) {
    this.p = p;
    this.ev = ev;
    this.routes = Array.from({ length: p.m }, () => []);
    this.routeOf = new Int32Array(p.n).fill(-1);
    this.posOf = new Int32Array(p.n).fill(-1);
    this.cost = new Float64Array(p.m);
    this.load = new Float64Array(p.m);
    this.start = Array.from({ length: p.m }, () => new Float64Array(0));
    this.latest = Array.from({ length: p.m }, () => new Float64Array(0));
    this.loadPre = Array.from({ length: p.m }, () => new Float64Array(0));
    this.costPre = Array.from({ length: p.m }, () => new Float64Array(0));
    this.unassigned = [];
    this.unPos = new Int32Array(p.n).fill(-1);
    this.buf = new Int32Array(p.n + 4);
    this.scratchKey = new Float64Array(p.n);
    this.scratchStamp = new Int32Array(p.m);
    for (let v = 0; v < p.n; v++) this.addUnassigned(v);
  }

  /** Builds a state from explicit routes (vehicle index → visit indices); other visits are unassigned. */
  static fromRoutes(p: CompiledProblem, ev: CostEvaluator, routes: readonly (readonly number[])[]): SolutionState {
    const s = new SolutionState(p, ev);
    routes.forEach((r, k) => {
      for (const v of r) s.removeUnassigned(v);
      s.setRoute(k, [...r]);
    });
    return s;
  }

  clone(): SolutionState {
    return SolutionState.fromRoutes(this.p, this.ev, this.routes);
  }

  snapshot(): number[][] {
    return this.routes.map((r) => r.slice());
  }

  addUnassigned(v: number): void {
    if (this.unPos[v] !== -1) return;
    this.unPos[v] = this.unassigned.length;
    this.unassigned.push(v);
    this.total += this.p.penalty[v]!;
  }

  removeUnassigned(v: number): void {
    const i = this.unPos[v]!;
    if (i === -1) return;
    const last = this.unassigned.pop()!;
    if (last !== v) {
      this.unassigned[i] = last;
      this.unPos[last] = i;
    }
    this.unPos[v] = -1;
    this.total -= this.p.penalty[v]!;
  }

  // ---- transactions -------------------------------------------------------------------------

  begin(): void {
    this.saved.clear();
    this.savedUnassigned = this.unassigned.slice();
    this.savedTotal = this.total;
  }

  /** Records route r before its first modification in the current transaction. */
  touch(r: number): void {
    if (this.savedUnassigned && !this.saved.has(r)) this.saved.set(r, this.routes[r]!.slice());
  }

  /** Routes modified in the current transaction. */
  touchedRoutes(): Iterable<number> {
    return this.saved.keys();
  }

  commit(): void {
    this.saved.clear();
    this.savedUnassigned = null;
  }

  rollback(): void {
    if (!this.savedUnassigned) return;
    for (const v of this.unassigned) this.unPos[v] = -1;
    for (const [r, seq] of this.saved) this.setRoute(r, seq);
    this.unassigned = this.savedUnassigned;
    this.unassigned.forEach((v, i) => {
      this.unPos[v] = i;
      this.routeOf[v] = -1;
    });
    this.total = this.savedTotal;
    this.saved.clear();
    this.savedUnassigned = null;
  }

  // ---- route updates ------------------------------------------------------------------------

  /** Replaces route r (visits must already be detached from elsewhere) and refreshes its caches. */
  setRoute(r: number, seq: number[]): void {
    this.touch(r);
    const old = this.routes[r]!;
    for (const v of old) if (this.routeOf[v] === r) this.routeOf[v] = -1;
    this.routes[r] = seq;
    for (let i = 0; i < seq.length; i++) {
      this.routeOf[seq[i]!] = r;
      this.posOf[seq[i]!] = i;
    }
    this.total -= this.cost[r]!;
    this.refresh(r);
    this.total += this.cost[r]!;
  }

  private refresh(r: number): void {
    const p = this.p;
    const seq = this.routes[r]!;
    const len = seq.length;
    let load = 0;
    for (const v of seq) load += p.demand[v]!;
    this.load[r] = load;
    if (this.start[r]!.length < len) {
      const c = Math.max(len, 8) * 2;
      this.start[r] = new Float64Array(c);
      this.latest[r] = new Float64Array(c);
      this.loadPre[r] = new Float64Array(c);
      this.costPre[r] = new Float64Array(c);
    }
    if (!p.fast) {
      // start[] holds service *ends* here: departure times used to prune insertions.
      this.cost[r] = this.ev.routeCostWithEnds(r, seq, len, this.start[r]!);
      return;
    }
    const st = this.start[r]!;
    const lt = this.latest[r]!;
    const lp = this.loadPre[r]!;
    const cp = this.costPre[r]!;
    const L = p.L;
    let t = p.shiftStart[r]!;
    let loc = p.startLoc[r]!;
    let c = 0;
    load = 0;
    for (let i = 0; i < len; i++) {
      const v = seq[i]!;
      const vl = p.visitLoc[v]!;
      c += p.arcCost[loc * L + vl]!;
      const arr = t + p.time[loc * L + vl]!;
      const s = arr > p.ready[v]! ? arr : p.ready[v]!;
      st[i] = s;
      load += p.demand[v]!;
      lp[i] = load;
      cp[i] = c;
      t = s + p.service[v]!;
      loc = vl;
    }
    const el = p.endLoc[r]!;
    c += len > 0 ? p.arcCost[loc * L + el]! : 0;
    let next = p.hardEnd[r]!;
    let nextLoc = el;
    for (let i = len - 1; i >= 0; i--) {
      const v = seq[i]!;
      const vl = p.visitLoc[v]!;
      const bound = next - p.time[vl * L + nextLoc]! - p.service[v]!;
      lt[i] = bound < p.due[v]! ? bound : p.due[v]!;
      next = lt[i]!;
      nextLoc = vl;
    }
    let feasible = load <= p.capacity[r]! + 1e-9;
    for (let i = 0; i < len && feasible; i++) if (st[i]! > lt[i]! + 1e-9) feasible = false;
    this.cost[r] = feasible ? c : Infinity;
  }

  // ---- evaluation ---------------------------------------------------------------------------

  /**
   * Cost of the route of vehicle k made of the concatenation of segments, or Infinity.
   * segs holds triples (route, from, to) with inclusive positions in the *current* routes;
   * route -1 means the single visit `from`. Fast mode: O(1) per prefix/suffix segment.
   */
  evalSegments(k: number, segs: Int32Array, ns: number): number {
    const p = this.p;
    if (!p.fast) {
      let len = 0;
      const buf = this.buf;
      for (let i = 0; i < ns; i++) {
        const r = segs[3 * i]!;
        const a = segs[3 * i + 1]!;
        const b = segs[3 * i + 2]!;
        if (r < 0) buf[len++] = a;
        else {
          const R = this.routes[r]!;
          for (let j = a; j <= b; j++) buf[len++] = R[j]!;
        }
      }
      return this.ev.routeCost(k, buf, len);
    }
    const L = p.L;
    let t = p.shiftStart[k]!;
    let loc = p.startLoc[k]!;
    let load = 0;
    let c = 0;
    let first = true;
    for (let i = 0; i < ns; i++) {
      const r = segs[3 * i]!;
      const a = segs[3 * i + 1]!;
      const b = segs[3 * i + 2]!;
      if (r >= 0 && a > b) continue;
      if (r >= 0) {
        const R = this.routes[r]!;
        if (first && a === 0) {
          const v = R[b]!;
          t = this.start[r]![b]! + p.service[v]!;
          loc = p.visitLoc[v]!;
          load = this.loadPre[r]![b]!;
          c = this.costPre[r]![b]!;
          first = false;
          if (b === R.length - 1 && i === ns - 1) return load > p.capacity[k]! ? Infinity : this.cost[r]!;
          continue;
        }
        if (b === R.length - 1 && i === ns - 1) {
          const v = R[a]!;
          const vl = p.visitLoc[v]!;
          if (t + p.time[loc * L + vl]! > this.latest[r]![a]!) return Infinity;
          load += this.load[r]! - (a > 0 ? this.loadPre[r]![a - 1]! : 0);
          if (load > p.capacity[k]!) return Infinity;
          return c + p.arcCost[loc * L + vl]! + this.cost[r]! - this.costPre[r]![a]!;
        }
        for (let j = a; j <= b; j++) {
          const v = R[j]!;
          const vl = p.visitLoc[v]!;
          const arr = t + p.time[loc * L + vl]!;
          if (arr > p.due[v]!) return Infinity;
          t = (arr > p.ready[v]! ? arr : p.ready[v]!) + p.service[v]!;
          c += p.arcCost[loc * L + vl]!;
          load += p.demand[v]!;
          loc = vl;
        }
      } else {
        const v = a;
        const vl = p.visitLoc[v]!;
        const arr = t + p.time[loc * L + vl]!;
        if (arr > p.due[v]!) return Infinity;
        t = (arr > p.ready[v]! ? arr : p.ready[v]!) + p.service[v]!;
        c += p.arcCost[loc * L + vl]!;
        load += p.demand[v]!;
        loc = vl;
      }
      first = false;
    }
    if (first) return 0;
    const el = p.endLoc[k]!;
    if (t + p.time[loc * L + el]! > p.hardEnd[k]!) return Infinity;
    if (load > p.capacity[k]!) return Infinity;
    return c + p.arcCost[loc * L + el]!;
  }

  private readonly segBuf = new Int32Array(12);

  /**
   * Cost increase of inserting visit v at position pos of route r (Infinity if infeasible).
   * In the general mode, `bound` prunes: every cost term but travel and assignment can only grow
   * when a visit is added, so detour + assignment is a lower bound and the simulation is skipped
   * when it reaches `bound` (the result is then Infinity). A visit that cannot be reached before
   * its last window closes (departure from the previous stop is cached) is rejected in O(1).
   */
  insertionDelta(r: number, pos: number, v: number, bound = Infinity): number {
    const p = this.p;
    const R = this.routes[r]!;
    if (p.fast) {
      if (this.load[r]! + p.demand[v]! > p.capacity[r]!) return Infinity;
      const L = p.L;
      const len = R.length;
      const vl = p.visitLoc[v]!;
      let dep: number;
      let prevLoc: number;
      if (pos === 0) {
        dep = p.shiftStart[r]!;
        prevLoc = p.startLoc[r]!;
      } else {
        const u = R[pos - 1]!;
        dep = this.start[r]![pos - 1]! + p.service[u]!;
        prevLoc = p.visitLoc[u]!;
      }
      const arr = dep + p.time[prevLoc * L + vl]!;
      if (arr > p.due[v]!) return Infinity;
      const depV = (arr > p.ready[v]! ? arr : p.ready[v]!) + p.service[v]!;
      let nextLoc: number;
      if (pos === len) {
        nextLoc = p.endLoc[r]!;
        if (depV + p.time[vl * L + nextLoc]! > p.hardEnd[r]!) return Infinity;
      } else {
        const w = R[pos]!;
        nextLoc = p.visitLoc[w]!;
        if (depV + p.time[vl * L + nextLoc]! > this.latest[r]![pos]!) return Infinity;
      }
      return p.arcCost[prevLoc * L + vl]! + p.arcCost[vl * L + nextLoc]! - p.arcCost[prevLoc * L + nextLoc]!;
    }
    if (p.allowed[r * p.n + v] === 0) return Infinity;
    const L = p.L;
    const vl = p.visitLoc[v]!;
    const prevLoc = pos === 0 ? p.startLoc[r]! : p.visitLoc[R[pos - 1]!]!;
    const dep = pos === 0 ? p.shiftStart[r]! : this.start[r]![pos - 1]!;
    if (dep + p.time[prevLoc * L + vl]! > p.due[v]!) return Infinity;
    const nextLoc = pos === R.length ? p.endLoc[r]! : p.visitLoc[R[pos]!]!;
    let lb =
      R.length === 0
        ? p.arcCost[prevLoc * L + vl]! + p.arcCost[vl * L + nextLoc]!
        : p.arcCost[prevLoc * L + vl]! + p.arcCost[vl * L + nextLoc]! - p.arcCost[prevLoc * L + nextLoc]!;
    if (p.assignCost) lb += p.assignCost[r * p.n + v]!;
    if (lb >= bound) return Infinity;
    const s = this.segBuf;
    s[0] = r;
    s[1] = 0;
    s[2] = pos - 1;
    s[3] = -1;
    s[4] = v;
    s[5] = 0;
    s[6] = r;
    s[7] = pos;
    s[8] = R.length - 1;
    const c = this.evalSegments(r, s, 3);
    return c - this.cost[r]!;
  }

  /**
   * Fast mode: cheapest feasible position of v in route r (cost < `bound`), or -1; the cost is left
   * in `lastDelta`. Positions are scanned left to right with the departure time carried along;
   * once v's window is missed from some position it is missed from every later one (start times
   * only grow along a route and travel times obey the triangle inequality), so the scan stops.
   * `blink` (0..1) skips each position with that probability (SISR blinks).
   */
  bestInsertionFast(r: number, v: number, bound: number, blink: number, rnd: () => number): number {
    const p = this.p;
    this.lastDelta = Infinity;
    if (this.load[r]! + p.demand[v]! > p.capacity[r]!) return -1;
    const R = this.routes[r]!;
    const len = R.length;
    const L = p.L;
    const vl = p.visitLoc[v]!;
    const due = p.due[v]!;
    const ready = p.ready[v]!;
    const svc = p.service[v]!;
    const st = this.start[r]!;
    const lt = this.latest[r]!;
    const time = p.time;
    const arc = p.arcCost;
    let prevLoc = p.startLoc[r]!;
    let dep = p.shiftStart[r]!;
    let best = bound;
    let bestPos = -1;
    for (let pos = 0; pos <= len; pos++) {
      if (pos > 0) {
        const u = R[pos - 1]!;
        prevLoc = p.visitLoc[u]!;
        dep = st[pos - 1]! + p.service[u]!;
      }
      const arr = dep + time[prevLoc * L + vl]!;
      if (arr > due) break;
      if (blink > 0 && rnd() < blink) continue;
      const nextLoc = pos === len ? p.endLoc[r]! : p.visitLoc[R[pos]!]!;
      const d = arc[prevLoc * L + vl]! + arc[vl * L + nextLoc]! - (len === 0 ? 0 : arc[prevLoc * L + nextLoc]!);
      if (d >= best) continue;
      const depV = (arr > ready ? arr : ready) + svc;
      if (pos === len ? depV + time[vl * L + nextLoc]! > p.hardEnd[r]! : depV + time[vl * L + nextLoc]! > lt[pos]!) continue;
      best = d;
      bestPos = pos;
    }
    this.lastDelta = best;
    return bestPos;
  }

  /** Cost of the last `bestInsertionFast` result. */
  lastDelta = Infinity;

  /** Inserts v (currently unassigned) at position pos of route r. */
  insert(r: number, pos: number, v: number): void {
    this.removeUnassigned(v);
    const seq = this.routes[r]!.slice();
    seq.splice(pos, 0, v);
    this.setRoute(r, seq);
  }

  /** Detaches v from its route and marks it unassigned. */
  remove(v: number): void {
    const r = this.routeOf[v]!;
    if (r < 0) return;
    const seq = this.routes[r]!.slice();
    seq.splice(this.posOf[v]!, 1);
    this.setRoute(r, seq);
    this.routeOf[v] = -1;
    this.addUnassigned(v);
  }

  /** Removes several visits, rebuilding each touched route once. */
  removeMany(vs: readonly number[]): void {
    const byRoute = new Map<number, Set<number>>();
    for (const v of vs) {
      const r = this.routeOf[v]!;
      if (r < 0) continue;
      let s = byRoute.get(r);
      if (!s) byRoute.set(r, (s = new Set()));
      s.add(v);
    }
    for (const [r, set] of byRoute) {
      this.setRoute(
        r,
        this.routes[r]!.filter((v) => !set.has(v)),
      );
      for (const v of set) {
        this.routeOf[v] = -1;
        this.addUnassigned(v);
      }
    }
  }

  /** Recomputes the total from scratch (tests and drift control). */
  recomputeTotal(): number {
    let t = 0;
    for (let r = 0; r < this.p.m; r++) t += this.cost[r]!;
    for (const v of this.unassigned) t += this.p.penalty[v]!;
    return t;
  }

  usedRoutes(): number {
    let c = 0;
    for (const r of this.routes) if (r.length > 0) c++;
    return c;
  }
}
