import { HaversineTravelTimeProvider, type Problem, type Result, type TravelTimeProvider } from '../index.js';

/**
 * Independent check of a field-service plan against the hard rules (written apart from the
 * optimizer's evaluator): skills, certifications, pins, windows, travel feasibility, breaks,
 * absences, shift end + overtime, each visit exactly once (routed or unassigned).
 */
export function checkPlan(
  problem: Problem,
  result: Result,
  travel: TravelTimeProvider = new HaversineTravelTimeProvider(),
  /** Visits already started (re-solve): they are taken as given and the route continues after them. */
  frozen: ReadonlySet<string> = new Set(),
): string[] {
  const v: string[] = [];
  const eps = 1e-6;
  const techs = new Map(problem.technicians.map((t) => [t.id, t]));
  const visits = new Map(problem.visits.map((x) => [x.id, x]));
  const seen = new Map<string, number>();
  for (const r of result.routes) {
    const t = techs.get(r.technicianId);
    if (!t) {
      v.push(`unknown technician ${r.technicianId}`);
      continue;
    }
    let prevLoc = t.home;
    let prevEnd = r.departure;
    if (r.departure < t.shiftStart - eps && !frozen.has(r.stops[0]?.visitId ?? '')) v.push(`${t.id} leaves before shift start`);
    for (const s of r.stops) {
      const x = visits.get(s.visitId);
      seen.set(s.visitId, (seen.get(s.visitId) ?? 0) + 1);
      if (!x) {
        v.push(`unknown visit ${s.visitId}`);
        continue;
      }
      if (frozen.has(x.id)) {
        prevLoc = x.location;
        prevEnd = s.end;
        continue;
      }
      for (const req of x.requiredSkills ?? [])
        if ((t.skills?.[req.skill] ?? 0) < (req.minLevel ?? 1)) v.push(`${x.id}: ${t.id} lacks ${req.skill}`);
      for (const c of x.requiredCertifications ?? []) if (!t.certifications?.includes(c)) v.push(`${x.id}: ${t.id} lacks ${c}`);
      if (x.pinnedTechnicianId && x.pinnedTechnicianId !== t.id) v.push(`${x.id}: pinned to ${x.pinnedTechnicianId}, planned for ${t.id}`);
      if (x.pinnedStart !== undefined && Math.abs(s.start - x.pinnedStart) > eps)
        v.push(`${x.id}: pinned at ${x.pinnedStart}, starts ${s.start}`);
      if (x.timeWindows && !x.timeWindows.some((w) => s.start >= w.start - eps && s.start <= w.end + eps))
        v.push(`${x.id}: start ${s.start} outside windows`);
      const m = travel.matrices([prevLoc, x.location]);
      if (s.arrival < prevEnd + m.durations[1]! - eps)
        v.push(`${x.id}: arrival ${s.arrival.toFixed(1)} before possible ${(prevEnd + m.durations[1]!).toFixed(1)}`);
      if (s.start < s.arrival - eps) v.push(`${x.id}: starts before arrival`);
      if (s.end < s.start + x.duration * 0.8 - eps) v.push(`${x.id}: service too short`);
      for (const a of t.absences ?? []) if (s.start < a.end - eps && s.end > a.start + eps) v.push(`${x.id}: during ${t.id}'s absence`);
      prevLoc = x.location;
      prevEnd = s.end;
    }
    const home = travel.matrices([prevLoc, t.end ?? t.home]);
    if (r.returnTime < prevEnd + home.durations[1]! - eps) v.push(`${t.id}: returns too early to be possible`);
    if (r.returnTime > t.shiftEnd + (t.maxOvertime ?? 0) + eps)
      v.push(`${t.id}: returns ${r.returnTime.toFixed(1)} after shift end + overtime`);
    const b = t.lunchBreak;
    if (b && r.stops.length > 0) {
      if (r.breakStart === null) {
        if (r.returnTime > b.latestStart + eps) v.push(`${t.id}: no lunch break`);
      } else {
        if (r.breakStart < b.earliestStart - eps || r.breakStart > b.latestStart + eps)
          v.push(`${t.id}: break at ${r.breakStart} outside its window`);
        for (const s of r.stops)
          if (!frozen.has(s.visitId) && s.start < r.breakStart + b.duration - eps && s.end > r.breakStart + eps)
            v.push(`${t.id}: break overlaps ${s.visitId}`);
      }
    }
  }
  for (const [id, c] of seen) if (c > 1) v.push(`${id} planned ${c} times`);
  const un = new Set(result.unassigned.map((u) => u.visitId));
  for (const x of problem.visits) if (!seen.has(x.id) && !un.has(x.id)) v.push(`${x.id} neither planned nor unassigned`);
  for (const id of un) if (seen.has(id)) v.push(`${id} both planned and unassigned`);
  return v;
}

/** A certification a technician holds, with its validity (ISO dates or day numbers: compared as given). */
export interface HeldCertification {
  readonly name: string;
  readonly obtainedOn: string;
  readonly expiresOn: string | null;
}

/**
 * The facts of the world a plan must respect, from the raw data (not from the visits' windows
 * the plan was made with): when each visit's site is open that day, which certifications each
 * visit needs and what each technician holds, with dates.
 */
export interface RealityFacts {
  /** The day, in the same form as the certifications' dates. */
  readonly day: string;
  /** Per visit: its site's open ranges that day (times of the plan); [] = closed; absent = no calendar. */
  readonly openRanges: ReadonlyMap<string, readonly { start: number; end: number }[]>;
  readonly requiredCertifications: ReadonlyMap<string, readonly string[]>;
  readonly heldCertifications: ReadonlyMap<string, readonly HeldCertification[]>;
}

/**
 * Independent check of a plan against opening hours, closures and certifications: every planned
 * visit (not `frozen`) lies wholly inside one open range of its site, and its technician holds
 * every required certification, valid that day (obtained by then, expiring after it).
 */
export function checkReality(result: Result, facts: RealityFacts, frozen: ReadonlySet<string> = new Set()): string[] {
  const v: string[] = [];
  const eps = 1e-6;
  for (const r of result.routes) {
    const held = facts.heldCertifications.get(r.technicianId) ?? [];
    for (const s of r.stops) {
      if (frozen.has(s.visitId)) continue;
      const ranges = facts.openRanges.get(s.visitId);
      if (ranges && ranges.length === 0) v.push(`${s.visitId}: planned on a day its site is closed`);
      else if (ranges && !ranges.some((o) => s.start >= o.start - eps && s.end <= o.end + eps))
        v.push(`${s.visitId}: ${s.start.toFixed(0)}–${s.end.toFixed(0)} outside its site's opening hours`);
      for (const name of facts.requiredCertifications.get(s.visitId) ?? []) {
        const valid = held.some((c) => c.name === name && c.obtainedOn <= facts.day && (c.expiresOn === null || c.expiresOn > facts.day));
        if (!valid) v.push(`${s.visitId}: ${r.technicianId} has no valid ${name} on ${facts.day}`);
      }
    }
  }
  return v;
}
