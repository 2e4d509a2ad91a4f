import type { CostWeights } from '../cost/cost-weights.js';
import type { TravelTimeProvider } from '../travel/travel-time-provider.js';
import type { GeoPoint, Problem, Technician, Visit } from './problem.types.js';

/**
 * Flat, index-based view of a validated Problem for the hot path. Visits are 0..n-1, vehicles
 * (available technicians) 0..m-1, locations 0..L-1 (deduplicated). Matrices are row-major L×L.
 * Built once per solve; nothing here is mutated afterwards.
 */
export interface CompiledProblem {
  readonly n: number;
  readonly m: number;
  readonly L: number;
  readonly visits: readonly Visit[];
  /** Available technicians, index = vehicle. */
  readonly technicians: readonly Technician[];
  /** Technicians absent for the whole shift (not routable). */
  readonly absentTechnicians: readonly Technician[];
  readonly visitLoc: Int32Array;
  readonly startLoc: Int32Array;
  readonly endLoc: Int32Array;
  readonly time: Float64Array;
  readonly dist: Float64Array;
  /** Weighted travel cost of each arc (travelPerMinute × time + travelPerDistance × distance). */
  readonly arcCost: Float64Array;
  readonly demand: Float64Array;
  readonly capacity: Float64Array;
  readonly service: Float64Array;
  /** Per vehicle × visit duration when some visit scales with skill level, else null (use `service`). */
  readonly serviceByVehicle: Float64Array | null;
  /** Windows of visit v are indices winOffset[v] .. winOffset[v+1]-1, sorted by start. */
  readonly winStart: Float64Array;
  readonly winEnd: Float64Array;
  readonly winOffset: Int32Array;
  /** Envelope of the windows (first start, last end): exact for single-window visits. */
  readonly ready: Float64Array;
  readonly due: Float64Array;
  readonly slaTarget: Float64Array;
  readonly latenessWeight: Float64Array;
  readonly penalty: Float64Array;
  /** allowed[k * n + v] = 1 if vehicle k may serve visit v (skills, certifications, pins). */
  readonly allowed: Uint8Array;
  /** Additive cost of giving visit v to vehicle k (preference, rating, disruption), or null if all zero. */
  readonly assignCost: Float64Array | null;
  readonly shiftStart: Float64Array;
  readonly shiftEnd: Float64Array;
  /** shiftEnd + maxOvertime: hard return deadline. */
  readonly hardEnd: Float64Array;
  readonly breakStart: Float64Array;
  readonly breakEnd: Float64Array;
  readonly breakDur: Float64Array;
  readonly laborPerMin: Float64Array;
  readonly absOffset: Int32Array;
  readonly absStart: Float64Array;
  readonly absEnd: Float64Array;
  readonly weights: CostWeights;
  /**
   * True when every vehicle is identical and the cost is pure travel with single hard windows
   * (the academic VRPTW). Enables O(1) move evaluation from cached forward/backward schedules.
   */
  readonly fast: boolean;
  /** K nearest visits of each visit by travel time: neighbours[v * K + i]. */
  readonly neighbours: Int32Array;
  readonly K: number;
}

export interface CompileOptions {
  readonly neighbourCount?: number;
  /** Extra additive cost of a visit done by a technician (used by the incremental re-solve). */
  readonly extraAssignCost?: (technician: Technician, visit: Visit) => number;
}

function hasSkills(t: Technician, v: Visit): boolean {
  for (const r of v.requiredSkills ?? []) {
    const lvl = t.skills?.[r.skill];
    if (lvl === undefined || lvl < (r.minLevel ?? 1)) return false;
  }
  for (const c of v.requiredCertifications ?? []) if (!t.certifications?.includes(c)) return false;
  return true;
}

/** True if the technician's absences cover the whole shift. */
export function isAbsentAllShift(t: Technician): boolean {
  return (t.absences ?? []).some((a) => a.start <= t.shiftStart && a.end >= t.shiftEnd + (t.maxOvertime ?? 0));
}

/** Whether technician t is qualified for visit v (skills, certifications, pin). */
export function isQualified(t: Technician, v: Visit): boolean {
  if (v.pinnedTechnicianId !== undefined && v.pinnedTechnicianId !== t.id) return false;
  return hasSkills(t, v);
}

export function compileProblem(
  problem: Problem,
  travel: TravelTimeProvider,
  weights: CostWeights,
  options: CompileOptions = {},
): CompiledProblem {
  const visits = problem.visits;
  const technicians = problem.technicians.filter((t) => !isAbsentAllShift(t));
  const absentTechnicians = problem.technicians.filter((t) => isAbsentAllShift(t));
  const n = visits.length;
  const m = technicians.length;

  // Deduplicate locations so the matrix stays (n + depots)² for the benchmarks.
  const points: GeoPoint[] = [];
  const locIndex = new Map<string, number>();
  const locOf = (p: GeoPoint): number => {
    const k = `${p.lat},${p.lon}`;
    let i = locIndex.get(k);
    if (i === undefined) {
      i = points.length;
      points.push(p);
      locIndex.set(k, i);
    }
    return i;
  };
  const startLoc = new Int32Array(m);
  const endLoc = new Int32Array(m);
  technicians.forEach((t, k) => {
    startLoc[k] = locOf(t.home);
    endLoc[k] = locOf(t.end ?? t.home);
  });
  const visitLoc = new Int32Array(n);
  visits.forEach((v, i) => (visitLoc[i] = locOf(v.location)));
  const L = points.length;
  const mat = travel.matrices(points);
  const time = mat.durations;
  const dist = mat.distances;
  const arcCost = new Float64Array(L * L);
  for (let i = 0; i < L * L; i++) arcCost[i] = weights.travelPerMinute * time[i]! + weights.travelPerDistance * dist[i]!;

  const demand = new Float64Array(n);
  const service = new Float64Array(n);
  const ready = new Float64Array(n);
  const due = new Float64Array(n);
  const slaTarget = new Float64Array(n);
  const latenessWeight = new Float64Array(n);
  const penalty = new Float64Array(n);
  const winOffset = new Int32Array(n + 1);
  const ws: number[] = [];
  const we: number[] = [];
  let multiWindow = false;
  let anyScaled = false;
  visits.forEach((v, i) => {
    demand[i] = v.demand ?? 0;
    service[i] = v.duration;
    const p = v.priority - 1;
    slaTarget[i] = v.slaTarget ?? Infinity;
    latenessWeight[i] = v.slaTarget === undefined ? 0 : weights.latenessPerMinute[p]!;
    penalty[i] =
      (weights.unassignedFixed[p]! + (weights.unassignedPerHour[p]! * v.duration) / 60) * (v.optional ? weights.optionalFactor : 1);
    winOffset[i] = ws.length;
    let wins = v.timeWindows ? [...v.timeWindows].sort((a, b) => a.start - b.start) : [{ start: -Infinity, end: Infinity }];
    if (v.pinnedStart !== undefined) {
      const ps = v.pinnedStart;
      wins = wins.some((w) => w.start <= ps && ps <= w.end) ? [{ start: ps, end: ps }] : [];
    }
    for (const w of wins) {
      ws.push(w.start);
      we.push(w.end);
    }
    if (wins.length !== 1) multiWindow = true;
    ready[i] = wins[0]?.start ?? Infinity;
    due[i] = wins[wins.length - 1]?.end ?? -Infinity;
    if (v.scaleDurationBySkill && (v.requiredSkills?.length ?? 0) > 0) anyScaled = true;
  });
  winOffset[n] = ws.length;

  const capacity = new Float64Array(m);
  const shiftStart = new Float64Array(m);
  const shiftEnd = new Float64Array(m);
  const hardEnd = new Float64Array(m);
  const breakStart = new Float64Array(m);
  const breakEnd = new Float64Array(m);
  const breakDur = new Float64Array(m);
  const laborPerMin = new Float64Array(m);
  const absOffset = new Int32Array(m + 1);
  const as: number[] = [];
  const ae: number[] = [];
  technicians.forEach((t, k) => {
    capacity[k] = t.capacity ?? Infinity;
    shiftStart[k] = t.shiftStart;
    shiftEnd[k] = t.shiftEnd;
    hardEnd[k] = t.shiftEnd + (t.maxOvertime ?? 0);
    breakStart[k] = t.lunchBreak?.earliestStart ?? 0;
    breakEnd[k] = t.lunchBreak?.latestStart ?? 0;
    breakDur[k] = t.lunchBreak?.duration ?? 0;
    laborPerMin[k] = ((t.hourlyCost ?? 0) / 60) * weights.laborCostFactor;
    absOffset[k] = as.length;
    for (const a of [...(t.absences ?? [])].sort((x, y) => x.start - y.start)) {
      as.push(a.start);
      ae.push(a.end);
    }
  });
  absOffset[m] = as.length;

  const allowed = new Uint8Array(m * n);
  let assignCost: Float64Array | null = null;
  let serviceByVehicle: Float64Array | null = anyScaled ? new Float64Array(m * n) : null;
  let allAllowed = true;
  for (let k = 0; k < m; k++) {
    const t = technicians[k]!;
    for (let i = 0; i < n; i++) {
      const v = visits[i]!;
      const ok = isQualified(t, v);
      allowed[k * n + i] = ok ? 1 : 0;
      if (!ok) allAllowed = false;
      let c = 0;
      if (v.preferredTechnicianId !== undefined && v.preferredTechnicianId !== t.id) c += weights.preferenceMismatch;
      if (v.priority <= 2 && t.rating !== undefined) c -= weights.ratingBonusPerPoint * t.rating;
      if (v.premium && t.rating !== undefined) c -= premiumRatingBonus(t.rating, weights);
      if (options.extraAssignCost) c += options.extraAssignCost(t, v);
      if (c !== 0) {
        assignCost ??= new Float64Array(m * n);
        assignCost[k * n + i] = c;
      }
      if (serviceByVehicle) {
        let factor = 1;
        if (v.scaleDurationBySkill && v.requiredSkills && v.requiredSkills.length > 0) {
          let lvl = 5;
          for (const r of v.requiredSkills) lvl = Math.min(lvl, t.skills?.[r.skill] ?? 1);
          factor = weights.durationFactorByLevel[Math.max(1, Math.min(5, Math.round(lvl))) - 1]!;
        }
        serviceByVehicle[k * n + i] = v.duration * factor;
      }
    }
  }

  let homogeneous = true;
  for (let k = 1; k < m; k++) {
    if (
      startLoc[k] !== startLoc[0] ||
      endLoc[k] !== endLoc[0] ||
      shiftStart[k] !== shiftStart[0] ||
      hardEnd[k] !== hardEnd[0] ||
      capacity[k] !== capacity[0]
    )
      homogeneous = false;
  }
  let softTime = weights.fairnessPerHourSquared > 0 || latenessWeight.some((x) => x > 0);
  for (let k = 0; k < m; k++) {
    if (breakDur[k]! > 0 || laborPerMin[k]! > 0 || (hardEnd[k]! > shiftEnd[k]! && weights.overtimePerMinute > 0)) softTime = true;
  }
  const fast = m > 0 && homogeneous && !softTime && !multiWindow && !serviceByVehicle && !assignCost && allAllowed && as.length === 0;

  const K = Math.min(Math.max(0, n - 1), options.neighbourCount ?? 40);
  const neighbours = new Int32Array(n * K);
  // Top-K selection by bounded insertion: O(n·K) per visit instead of a full sort.
  const keyBuf = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const li = visitLoc[i]! * L;
    let size = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const lj = visitLoc[j]!;
      // Symmetrised time so that neighbourhoods do not depend on the direction of travel.
      const key = time[li + lj]! + time[lj * L + visitLoc[i]!]!;
      if (size === K && key >= keyBuf[K - 1]!) continue;
      let q = size < K ? size++ : K - 1;
      while (q > 0 && keyBuf[q - 1]! > key) {
        keyBuf[q] = keyBuf[q - 1]!;
        neighbours[i * K + q] = neighbours[i * K + q - 1]!;
        q--;
      }
      keyBuf[q] = key;
      neighbours[i * K + q] = j;
    }
  }

  if (serviceByVehicle && !anyScaled) serviceByVehicle = null;
  return {
    n,
    m,
    L,
    visits,
    technicians,
    absentTechnicians,
    visitLoc,
    startLoc,
    endLoc,
    time,
    dist,
    arcCost,
    demand,
    capacity,
    service,
    serviceByVehicle,
    winStart: Float64Array.from(ws),
    winEnd: Float64Array.from(we),
    winOffset,
    ready,
    due,
    slaTarget,
    latenessWeight,
    penalty,
    allowed,
    assignCost,
    shiftStart,
    shiftEnd,
    hardEnd,
    breakStart,
    breakEnd,
    breakDur,
    laborPerMin,
    absOffset,
    absStart: Float64Array.from(as),
    absEnd: Float64Array.from(ae),
    weights,
    fast,
    neighbours,
    K,
  };
}

/** Neutral rating of the premium term: above it a technician is preferred, below it avoided. */
export const NEUTRAL_RATING = 3;

/** The premium client's preference for a technician of this rating (cost bonus; negative below neutral). */
export function premiumRatingBonus(rating: number, weights: Pick<CostWeights, 'premiumRatingBonusPerPoint'>): number {
  return weights.premiumRatingBonusPerPoint * (rating - NEUTRAL_RATING);
}
