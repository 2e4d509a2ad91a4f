/**
 * Dispatcher overrides of a day's plan, turned into the optimizer's terms: each override becomes
 * a `PlanChange` (or, for a removal, a smaller problem) applied to the day's problem and the
 * current plan, so the incremental re-solve keeps every other confirmed visit where it is unless
 * moving it is worth its cost. Pure (no database, no Temporal): used by the dispatch activities,
 * unit-tested, and reused by the override benchmark. Times are minutes from midnight of the
 * plan's day, like the problem's.
 */
import type { Problem, Visit } from './model/problem.types.js';
import { applyChange, type CurrentPlan, type PlanChange } from './resolve.js';
import type { Result, UnassignedVisit } from './result.types.js';

/** One override, in the problem's terms (visit and technician ids, minutes). */
export type DayOverride =
  /** Give the visit to this technician (a hard pin), at this start if given. */
  | { readonly kind: 'move'; readonly visitId: string; readonly technicianId: string; readonly start?: number }
  /** Keep the visit with this technician at this start (where the current plan has it). */
  | { readonly kind: 'lock'; readonly visitId: string; readonly technicianId: string; readonly start: number }
  /** The technician is away from `from` (default: the start of the shift, i.e. the whole day). */
  | { readonly kind: 'absent'; readonly technicianId: string; readonly from?: number }
  /** Take the visit out of the day (it stays open for another day). */
  | { readonly kind: 'remove'; readonly visitId: string }
  /** Urgent visits that reached planning after the plan was made: inserted as emergencies. */
  | { readonly kind: 'emergency'; readonly visitIds: readonly string[] };

/** Why an override cannot be applied to this day before any solving (unknown visit or technician). */
export class OverrideInputError extends Error {
  constructor(
    readonly code: 'UNKNOWN_VISIT' | 'UNKNOWN_TECHNICIAN',
    readonly field: 'ticketNumber' | 'technicianId',
    readonly messages: { readonly en: string; readonly fr: string },
  ) {
    super(messages.en);
  }
}

/** Drops a dispatcher pin (technician and time) from a visit. */
function unpinned(v: Visit): Visit {
  const { pinnedTechnicianId: _t, pinnedStart: _s, ...rest } = v;
  return rest;
}

/**
 * The optimizer's change for one override, after the problem edits the change itself cannot
 * express (a removal; an earlier pin that the override replaces).
 */
export function overrideToChange(
  problem: Problem,
  plan: CurrentPlan,
  override: DayOverride,
): { problem: Problem; plan: CurrentPlan; change: PlanChange | null } {
  const hasVisit = (id: string) => problem.visits.some((v) => v.id === id);
  const technician = 'technicianId' in override ? problem.technicians.find((t) => t.id === override.technicianId) : undefined;
  if ('visitId' in override && !hasVisit(override.visitId)) {
    throw new OverrideInputError('UNKNOWN_VISIT', 'ticketNumber', {
      en: 'This visit is not among the open visits of the day.',
      fr: 'Cette intervention ne fait pas partie des interventions ouvertes du jour.',
    });
  }
  // The optimizer refuses a pin to a technician outside the problem as malformed input.
  if ('technicianId' in override && !technician) {
    throw new OverrideInputError('UNKNOWN_TECHNICIAN', 'technicianId', {
      en: 'This technician does not work that day.',
      fr: 'Ce technicien ne travaille pas ce jour-là.',
    });
  }
  switch (override.kind) {
    case 'move': {
      // A move replaces any earlier pin: without a new time, the old one (another technician's
      // slot, or a booked start) must not survive as a hard constraint.
      const visits = problem.visits.map((v) => (v.id === override.visitId ? unpinned(v) : v));
      const change: PlanChange = {
        kind: 'pin',
        visitId: override.visitId,
        technicianId: override.technicianId,
        ...(override.start !== undefined ? { start: override.start } : {}),
      };
      return { problem: { ...problem, visits }, plan, change };
    }
    case 'lock':
      return {
        problem,
        plan,
        change: { kind: 'pin', visitId: override.visitId, technicianId: override.technicianId, start: override.start },
      };
    case 'absent': {
      // Visits pinned to the absent technician (booked, locked or moved there earlier) are
      // released: keeping the pin would leave them unplannable instead of re-planned.
      const visits = problem.visits.map((v) => (v.pinnedTechnicianId === override.technicianId ? unpinned(v) : v));
      return {
        problem: { ...problem, visits },
        plan,
        change: { kind: 'technician-absent', technicianId: override.technicianId, from: override.from ?? technician!.shiftStart },
      };
    }
    case 'remove':
      return {
        problem: { ...problem, visits: problem.visits.filter((v) => v.id !== override.visitId) },
        plan: { ...plan, routes: plan.routes.map((r) => ({ ...r, visitIds: r.visitIds.filter((id) => id !== override.visitId) })) },
        change: null,
      };
    case 'emergency': {
      // The day's problem already holds every open request; each urgent one is taken out and
      // added back as the optimizer's emergency change (those since closed are simply gone).
      const ids = new Set(override.visitIds);
      let current: { problem: Problem; plan: CurrentPlan } = {
        problem: { ...problem, visits: problem.visits.filter((v) => !ids.has(v.id)) },
        plan,
      };
      for (const visit of problem.visits.filter((v) => ids.has(v.id)))
        current = applyChange(current.problem, current.plan, { kind: 'emergency', visit });
      return { ...current, change: null };
    }
  }
}

/** Applies overrides in order (a later one wins over an earlier one on the same visit). */
export function applyOverrides(
  problem: Problem,
  plan: CurrentPlan,
  overrides: readonly DayOverride[],
): { problem: Problem; plan: CurrentPlan } {
  let current = { problem, plan };
  for (const override of overrides) {
    const step = overrideToChange(current.problem, current.plan, override);
    current = step.change ? applyChange(step.problem, step.plan, step.change) : { problem: step.problem, plan: step.plan };
  }
  return current;
}

/**
 * Whether the re-solved plan honours the override: a moved or locked visit must be planned with
 * its technician (and time). When it is not, the optimizer's reason for leaving it out is the
 * refusal, in its words (English and French).
 */
export function overrideRefusal(override: DayOverride, result: Pick<Result, 'routes' | 'unassigned'>): UnassignedVisit | null {
  if (override.kind !== 'move' && override.kind !== 'lock') return null;
  const unassigned = result.unassigned.find((u) => u.visitId === override.visitId);
  if (unassigned) return unassigned;
  const route = result.routes.find((r) => r.stops.some((s) => s.visitId === override.visitId));
  const stop = route?.stops.find((s) => s.visitId === override.visitId);
  if (route?.technicianId === override.technicianId && (override.start === undefined || Math.abs(stop!.start - override.start) < 1))
    return null;
  // A pin is a hard constraint, so this is a broken promise of the optimizer, not a user error.
  throw new Error(`the re-solve did not keep the pin of ${override.visitId}`);
}

/**
 * What the technician lacks for the visit (skills below the level, certifications), for the
 * refusal of a pin: the optimizer's own explanation speaks of every technician of the day, and
 * the dispatcher asked about one.
 */
export function missingQualifications(problem: Problem, visitId: string, technicianId: string): string[] {
  const visit = problem.visits.find((v) => v.id === visitId);
  const technician = problem.technicians.find((t) => t.id === technicianId);
  if (!visit || !technician) return [];
  const missing: string[] = [];
  for (const r of visit.requiredSkills ?? []) {
    const level = r.minLevel ?? 1;
    if ((technician.skills?.[r.skill] ?? 0) < level) missing.push(level > 1 ? `${r.skill} ≥ ${level}` : r.skill);
  }
  for (const c of visit.requiredCertifications ?? []) if (!technician.certifications?.includes(c)) missing.push(c);
  return missing;
}

/**
 * The earlier overrides that still apply to the day as it is now, in the problem's terms: those
 * naming a visit that is no longer open (done, cancelled, re-planned elsewhere) or already under
 * way, or a technician who no longer works that day, are overtaken by events and dropped; a pinned
 * start that is already past keeps the visit with its technician but lets it be re-timed.
 * Returns the indexes of the kept overrides with their (possibly relaxed) form.
 */
export function applicableOverrides(
  problem: Problem,
  overrides: readonly DayOverride[],
  context: { readonly started: ReadonlySet<string>; readonly now: number | null },
): Array<{ index: number; override: DayOverride }> {
  const visits = new Set(problem.visits.map((v) => v.id));
  const technicians = new Set(problem.technicians.map((t) => t.id));
  const kept: Array<{ index: number; override: DayOverride }> = [];
  overrides.forEach((o, index) => {
    if ('visitId' in o && (!visits.has(o.visitId) || context.started.has(o.visitId))) return;
    if ('technicianId' in o && !technicians.has(o.technicianId)) return;
    if ((o.kind === 'move' || o.kind === 'lock') && o.start !== undefined && context.now !== null && o.start < context.now) {
      kept.push({ index, override: { kind: 'move', visitId: o.visitId, technicianId: o.technicianId } });
      return;
    }
    kept.push({ index, override: o });
  });
  return kept;
}
