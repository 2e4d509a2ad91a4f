import { CostEvaluator } from './cost/cost-evaluator.js';
import { mergeWeights } from './cost/cost-weights.js';
import { buildResult, runEngine } from './engine.js';
import { compileProblem } from './model/compiled-problem.js';
import type { Problem, Technician, TimeWindow, Visit } from './model/problem.types.js';
import { validateProblem } from './model/validate-problem.js';
import type { PlannedRoute, Result } from './result.types.js';
import { resolveParams, type SolveOptions } from './solve.js';
import { anyOf, maxIterations, maxRuntime } from './stop/stop-criteria.js';
import { HaversineTravelTimeProvider } from './travel/haversine-travel.provider.js';

/** A visit already started (or done) by a technician: it stays as is and is not re-planned. */
export interface StartedVisit {
  readonly visitId: string;
  readonly technicianId: string;
  readonly start: number;
  /** Expected (or actual) end: the technician is free from then on, at the visit's location. */
  readonly end: number;
}

/** The plan being executed: routes of confirmed visits in order. */
export interface CurrentPlan {
  readonly routes: readonly { readonly technicianId: string; readonly visitIds: readonly string[] }[];
  readonly started?: readonly StartedVisit[];
}

/** A change to apply to a day being executed (see `applyChange`). */
export type PlanChange =
  | { readonly kind: 'emergency'; readonly visit: Visit }
  | { readonly kind: 'technician-absent'; readonly technicianId: string; readonly from: number; readonly to?: number }
  | { readonly kind: 'overrun'; readonly visitId: string; readonly newEnd: number }
  | { readonly kind: 'pin'; readonly visitId: string; readonly technicianId?: string; readonly start?: number };

export interface MovedVisit {
  readonly visitId: string;
  readonly from: string;
  /** New technician, or null if the visit is now unassigned. */
  readonly to: string | null;
}

export interface ResolveResult extends Result {
  /** Confirmed visits given to another technician (or dropped). */
  readonly moved: readonly MovedVisit[];
}

/**
 * Applies a change to the problem and plan, returning new values (inputs are not mutated).
 * An overrun moves the started visit's end; a pin becomes a hard constraint on the visit.
 */
export function applyChange(problem: Problem, plan: CurrentPlan, change: PlanChange): { problem: Problem; plan: CurrentPlan } {
  switch (change.kind) {
    case 'emergency':
      return { problem: { ...problem, visits: [...problem.visits, change.visit] }, plan };
    case 'technician-absent': {
      const technicians = problem.technicians.map((t): Technician =>
        t.id === change.technicianId
          ? { ...t, absences: [...(t.absences ?? []), { start: change.from, end: change.to ?? t.shiftEnd + (t.maxOvertime ?? 0) }] }
          : t,
      );
      return { problem: { ...problem, technicians }, plan };
    }
    case 'overrun': {
      const started = (plan.started ?? []).map((s) => (s.visitId === change.visitId ? { ...s, end: change.newEnd } : s));
      return { problem, plan: { ...plan, started } };
    }
    case 'pin': {
      const visits = problem.visits.map((v): Visit => {
        if (v.id !== change.visitId) return v;
        let out: Visit = v;
        if (change.technicianId !== undefined) out = { ...out, pinnedTechnicianId: change.technicianId };
        if (change.start !== undefined) out = { ...out, pinnedStart: change.start };
        return out;
      });
      return { problem: { ...problem, visits }, plan };
    }
  }
}

/**
 * Incremental re-solve. Started visits are frozen: each technician restarts from the location and
 * end time of their last started visit. Confirmed visits keep their technician and order as the
 * initial solution; moving one costs `weights.movedVisit`, so the short search (default 250 ms)
 * moves as few as possible. Pins are hard constraints, so pinned visits never change technician
 * or time. Visits of a technician who became absent are re-planned.
 */
export async function resolve(problem: Problem, plan: CurrentPlan, options: SolveOptions = {}): Promise<ResolveResult> {
  const startedAt = performance.now();
  validateProblem(problem);
  const started = plan.started ?? [];
  const startedIds = new Set(started.map((s) => s.visitId));
  const visitById = new Map(problem.visits.map((v) => [v.id, v]));
  // Technicians restart after their last started visit, where it took place.
  const lastStarted = new Map<string, StartedVisit>();
  for (const s of started) {
    const cur = lastStarted.get(s.technicianId);
    if (!cur || s.end > cur.end) lastStarted.set(s.technicianId, s);
  }
  const technicians = problem.technicians.map((t): Technician => {
    const s = lastStarted.get(t.id);
    const loc = s ? visitById.get(s.visitId)?.location : undefined;
    if (!s || !loc) return t;
    const shiftStart = Math.max(t.shiftStart, s.end);
    const absences: TimeWindow[] | undefined = t.absences?.filter((a) => a.end > shiftStart);
    return { ...t, home: loc, end: t.end ?? t.home, shiftStart: Math.min(shiftStart, t.shiftEnd), ...(absences ? { absences } : {}) };
  });
  const reduced: Problem = { technicians, visits: problem.visits.filter((v) => !startedIds.has(v.id)) };
  const weights = mergeWeights(options.weights, options.baseWeights);
  const params = resolveParams({ construction: 'regret', localSearch: false, ...(options.params ?? {}) });
  const visitIndex = new Map(reduced.visits.map((v, i) => [v.id, i]));
  const confirmedTech = new Map<string, string>();
  for (const r of plan.routes) for (const id of r.visitIds) if (!startedIds.has(id)) confirmedTech.set(id, r.technicianId);
  const cp = compileProblem(reduced, options.travel ?? new HaversineTravelTimeProvider(), weights, {
    extraAssignCost: (t, v) => {
      const was = confirmedTech.get(v.id);
      return was !== undefined && was !== t.id ? weights.movedVisit : 0;
    },
  });
  const ev = new CostEvaluator(cp);
  // Initial routes from the plan, repaired greedily if the change made them infeasible.
  const techIndex = new Map(cp.technicians.map((t, k) => [t.id, k]));
  const initial: number[][] = Array.from({ length: cp.m }, () => []);
  for (const r of plan.routes) {
    const k = techIndex.get(r.technicianId);
    if (k === undefined) continue;
    const seq: number[] = [];
    for (const id of r.visitIds) {
      const i = visitIndex.get(id);
      if (i === undefined) continue;
      seq.push(i);
      if (!Number.isFinite(ev.routeCost(k, seq, seq.length))) seq.pop();
    }
    initial[k] = seq;
  }
  const { routes, stats } = await runEngine(
    cp,
    ev,
    {
      seed: options.seed ?? 1,
      stop: options.stop ?? anyOf(maxRuntime(150), maxIterations(200_000)),
      signal: options.signal,
      onProgress: options.onProgress,
      params,
      startedAt,
    },
    initial,
  );
  const result = buildResult(cp, ev, routes, stats);
  // Report started visits at the head of their technician's route.
  const startedByTech = new Map<string, StartedVisit[]>();
  for (const s of started) startedByTech.set(s.technicianId, [...(startedByTech.get(s.technicianId) ?? []), s]);
  const routesOut: PlannedRoute[] = result.routes.map((r) => {
    const st = startedByTech.get(r.technicianId);
    startedByTech.delete(r.technicianId);
    if (!st) return r;
    return {
      ...r,
      stops: [
        ...st.sort((a, b) => a.start - b.start).map((s) => ({ visitId: s.visitId, arrival: s.start, start: s.start, end: s.end })),
        ...r.stops,
      ],
    };
  });
  for (const [technicianId, st] of startedByTech) {
    const last = st.reduce((a, b) => Math.max(a, b.end), -Infinity);
    const k = techIndex.get(technicianId);
    const home = k === undefined ? 0 : cp.time[cp.startLoc[k]! * cp.L + cp.endLoc[k]!]!;
    const dist = k === undefined ? 0 : cp.dist[cp.startLoc[k]! * cp.L + cp.endLoc[k]!]!;
    routesOut.push({
      technicianId,
      stops: st.map((s) => ({ visitId: s.visitId, arrival: s.start, start: s.start, end: s.end })),
      departure: st[0]!.start,
      returnTime: last + home,
      breakStart: null,
      travelMinutes: home,
      distance: dist,
      overtimeMinutes: 0,
      latenessMinutes: 0,
      load: 0,
    });
  }
  const newTech = new Map<string, string>();
  for (const r of result.routes) for (const s of r.stops) newTech.set(s.visitId, r.technicianId);
  const moved: MovedVisit[] = [];
  for (const [id, from] of confirmedTech) {
    if (!visitIndex.has(id)) continue;
    const to = newTech.get(id) ?? null;
    if (to !== from) moved.push({ visitId: id, from, to });
  }
  return { ...result, routes: routesOut, moved };
}
