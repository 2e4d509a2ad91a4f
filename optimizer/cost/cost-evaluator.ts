import type { CompiledProblem } from '../model/compiled-problem.js';

/** Cost components of a plan (weighted values, plus raw minutes/distances for reporting). */
export interface CostBreakdown {
  /** Weighted total: the value the search minimises. */
  readonly total: number;
  readonly unassignedPenalty: number;
  readonly lateness: number;
  readonly travel: number;
  readonly overtime: number;
  readonly labor: number;
  readonly fairness: number;
  /** Preference, rating and disruption terms. */
  readonly assignment: number;
  readonly travelMinutes: number;
  readonly distance: number;
  readonly latenessMinutes: number;
  readonly overtimeMinutes: number;
  readonly unassignedCount: number;
}

/** Detailed schedule of one route, filled by `CostEvaluator.schedule`. */
export interface RouteSchedule {
  readonly feasible: boolean;
  readonly arrival: number[];
  readonly start: number[];
  readonly end: number[];
  readonly departure: number;
  readonly returnTime: number;
  readonly breakStart: number | null;
  readonly travelMinutes: number;
  readonly distance: number;
  readonly travelCost: number;
  readonly latenessMinutes: number;
  readonly lateness: number;
  readonly overtimeMinutes: number;
  readonly overtime: number;
  readonly labor: number;
  readonly fairness: number;
  readonly assignment: number;
  readonly load: number;
  readonly cost: number;
}

/**
 * Holds the weights (inside the compiled problem) and evaluates routes by forward simulation.
 * Used for every move in the general field-service model (routes are short) and to produce
 * reported schedules; the benchmark fast path lives in `search/route-cache.ts`.
 */
export class CostEvaluator {
  constructor(readonly p: CompiledProblem) {}

  /** Earliest feasible service start of visit v on vehicle k given arrival time, or NaN. */
  private startAt(k: number, v: number, arr: number, svc: number): number {
    const p = this.p;
    const a0 = p.absOffset[k]!;
    const a1 = p.absOffset[k + 1]!;
    for (let w = p.winOffset[v]!, we = p.winOffset[v + 1]!; w < we; w++) {
      let s = arr > p.winStart[w]! ? arr : p.winStart[w]!;
      for (let a = a0; a < a1; a++) if (s < p.absEnd[a]! && s + svc > p.absStart[a]!) s = p.absEnd[a]!;
      if (s <= p.winEnd[w]!) return s;
    }
    return NaN;
  }

  /** Cost of serving `seq[0..len)` with vehicle k, or Infinity when a hard rule breaks. */
  routeCost(k: number, seq: ArrayLike<number>, len: number): number {
    return this.simulate(k, seq, len, null, null);
  }

  /** Like `routeCost`, also writing each stop's service end into `ends` (cache for insertion pruning). */
  routeCostWithEnds(k: number, seq: ArrayLike<number>, len: number, ends: Float64Array): number {
    return this.simulate(k, seq, len, null, ends);
  }

  /** Full schedule with per-stop times and cost components. */
  schedule(k: number, seq: ArrayLike<number>, len: number = seq.length): RouteSchedule {
    const out: ScheduleSink = {
      arrival: [],
      start: [],
      end: [],
      breakStart: null,
      travelMinutes: 0,
      distance: 0,
      travelCost: 0,
      latenessMinutes: 0,
      lateness: 0,
      overtimeMinutes: 0,
      overtime: 0,
      labor: 0,
      fairness: 0,
      assignment: 0,
      load: 0,
      departure: 0,
      returnTime: 0,
    };
    const cost = this.simulate(k, seq, len, out, null);
    return { ...out, feasible: Number.isFinite(cost), cost };
  }

  private simulate(k: number, seq: ArrayLike<number>, len: number, out: ScheduleSink | null, ends: Float64Array | null): number {
    if (len === 0) {
      if (out) out.departure = out.returnTime = this.p.shiftStart[k]!;
      return 0;
    }
    const p = this.p;
    const n = p.n;
    const L = p.L;
    const svcByV = p.serviceByVehicle;
    const bs = p.breakStart[k]!;
    const be = p.breakEnd[k]!;
    const bd = p.breakDur[k]!;
    let breakTaken = bd <= 0;
    let t = p.shiftStart[k]!;
    let loc = p.startLoc[k]!;
    let load = 0;
    let travelCost = 0;
    let lateness = 0;
    let assignment = 0;
    const cap = p.capacity[k]!;
    for (let i = 0; i < len; i++) {
      const v = seq[i]!;
      if (p.allowed[k * n + v] === 0) return Infinity;
      load += p.demand[v]!;
      if (load > cap) return Infinity;
      const vl = p.visitLoc[v]!;
      const tt = p.time[loc * L + vl]!;
      travelCost += p.arcCost[loc * L + vl]!;
      if (out) {
        out.travelMinutes += tt;
        out.distance += p.dist[loc * L + vl]!;
      }
      const svc = svcByV ? svcByV[k * n + v]! : p.service[v]!;
      let arr = t + tt;
      let s = this.startAt(k, v, arr, svc);
      if (s !== s) return Infinity;
      if (!breakTaken) {
        if (t >= bs) {
          // Break window open: take it here, before leaving.
          if (t > be) return Infinity;
          if (out) out.breakStart = t;
          arr = t + bd + tt;
          breakTaken = true;
        } else if (s + svc > be) {
          // Doing v first would push the break past its latest start: take it on arrival at v
          // (better than before leaving), or before leaving if we would arrive too late.
          const atV = arr > bs ? arr : bs;
          if (atV <= be) {
            if (out) out.breakStart = atV;
            arr = atV + bd;
          } else {
            if (out) out.breakStart = bs;
            arr = bs + bd + tt;
          }
          breakTaken = true;
        }
        if (breakTaken) {
          s = this.startAt(k, v, arr, svc);
          if (s !== s) return Infinity;
        }
      }
      const late = s - p.slaTarget[v]!;
      if (late > 0) {
        lateness += late * p.latenessWeight[v]!;
        if (out) out.latenessMinutes += late;
      }
      if (p.assignCost) assignment += p.assignCost[k * n + v]!;
      if (out) {
        out.arrival.push(arr);
        out.start.push(s);
        out.end.push(s + svc);
      }
      t = s + svc;
      if (ends) ends[i] = t;
      loc = vl;
    }
    const el = p.endLoc[k]!;
    const tt = p.time[loc * L + el]!;
    travelCost += p.arcCost[loc * L + el]!;
    let end = t + tt;
    if (!breakTaken && end > bs) {
      const atHome = end > bs ? end : bs;
      if (atHome <= be) {
        if (out) out.breakStart = atHome;
        end = atHome + bd;
      } else if (t <= be) {
        const b = t > bs ? t : bs;
        if (out) out.breakStart = b;
        end = b + bd + tt;
      } else return Infinity;
    }
    if (end > p.hardEnd[k]!) return Infinity;
    const otMin = end > p.shiftEnd[k]! ? end - p.shiftEnd[k]! : 0;
    const worked = end - p.shiftStart[k]!;
    const overtime = otMin * p.weights.overtimePerMinute;
    const labor = worked * p.laborPerMin[k]!;
    const h = worked / 60;
    const fairness = p.weights.fairnessPerHourSquared * h * h;
    if (out) {
      out.travelMinutes += tt;
      out.distance += p.dist[loc * L + el]!;
      out.travelCost = travelCost;
      out.lateness = lateness;
      out.overtimeMinutes = otMin;
      out.overtime = overtime;
      out.labor = labor;
      out.fairness = fairness;
      out.assignment = assignment;
      out.load = load;
      out.departure = p.shiftStart[k]!;
      out.returnTime = end;
    }
    return travelCost + lateness + overtime + labor + fairness + assignment;
  }
}

interface ScheduleSink {
  arrival: number[];
  start: number[];
  end: number[];
  breakStart: number | null;
  travelMinutes: number;
  distance: number;
  travelCost: number;
  latenessMinutes: number;
  lateness: number;
  overtimeMinutes: number;
  overtime: number;
  labor: number;
  fairness: number;
  assignment: number;
  load: number;
  departure: number;
  returnTime: number;
}
