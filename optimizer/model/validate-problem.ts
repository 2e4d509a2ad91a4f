import type { Problem, TimeWindow } from './problem.types.js';

/** Thrown only for malformed input (a programming or data-entry error), never for an infeasible day. */
export class ProblemInputError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`invalid problem: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}`);
    this.name = 'ProblemInputError';
  }
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function checkWindows(where: string, ws: readonly TimeWindow[] | undefined, issues: string[]): void {
  ws?.forEach((w, i) => {
    if (!finite(w.start) || !finite(w.end) || w.start > w.end)
      issues.push(`${where}: window ${i} [${w.start}, ${w.end}] is not a finite interval`);
  });
}

/**
 * Checks the problem and returns it (same object, typed as validated). Throws `ProblemInputError`
 * listing every issue. It does not judge feasibility: an unreachable window is a result, not an error.
 */
export function validateProblem(problem: Problem): Problem {
  const issues: string[] = [];
  const techIds = new Set<string>();
  for (const t of problem.technicians) {
    if (!t.id) issues.push('technician without id');
    if (techIds.has(t.id)) issues.push(`duplicate technician id ${t.id}`);
    techIds.add(t.id);
    const w = `technician ${t.id}`;
    if (!finite(t.shiftStart) || !finite(t.shiftEnd) || t.shiftStart > t.shiftEnd)
      issues.push(`${w}: shift [${t.shiftStart}, ${t.shiftEnd}] invalid`);
    if (t.maxOvertime !== undefined && (!finite(t.maxOvertime) || t.maxOvertime < 0)) issues.push(`${w}: maxOvertime must be >= 0`);
    for (const p of [t.home, t.end]) if (p && (!finite(p.lat) || !finite(p.lon))) issues.push(`${w}: location not finite`);
    if (t.lunchBreak) {
      const b = t.lunchBreak;
      if (!finite(b.earliestStart) || !finite(b.latestStart) || !finite(b.duration) || b.earliestStart > b.latestStart || b.duration < 0)
        issues.push(`${w}: lunch break invalid`);
    }
    if (t.hourlyCost !== undefined && (!finite(t.hourlyCost) || t.hourlyCost < 0)) issues.push(`${w}: hourlyCost must be >= 0`);
    if (t.capacity !== undefined && (!finite(t.capacity) || t.capacity < 0)) issues.push(`${w}: capacity must be >= 0`);
    for (const [s, lvl] of Object.entries(t.skills ?? {}))
      if (!finite(lvl) || lvl < 1 || lvl > 5) issues.push(`${w}: skill ${s} level must be 1..5`);
    checkWindows(w + ' absence', t.absences, issues);
  }
  const visitIds = new Set<string>();
  for (const v of problem.visits) {
    if (!v.id) issues.push('visit without id');
    if (visitIds.has(v.id)) issues.push(`duplicate visit id ${v.id}`);
    visitIds.add(v.id);
    const w = `visit ${v.id}`;
    if (!finite(v.location?.lat) || !finite(v.location?.lon)) issues.push(`${w}: location not finite`);
    if (!finite(v.duration) || v.duration < 0) issues.push(`${w}: duration must be >= 0`);
    if (![1, 2, 3, 4].includes(v.priority)) issues.push(`${w}: priority must be 1..4`);
    checkWindows(w, v.timeWindows, issues);
    if (v.slaTarget !== undefined && !finite(v.slaTarget)) issues.push(`${w}: slaTarget not finite`);
    if (v.pinnedStart !== undefined && !finite(v.pinnedStart)) issues.push(`${w}: pinnedStart not finite`);
    if (v.pinnedTechnicianId !== undefined && !techIds.has(v.pinnedTechnicianId))
      issues.push(`${w}: pinned technician ${v.pinnedTechnicianId} unknown`);
    if (v.demand !== undefined && (!finite(v.demand) || v.demand < 0)) issues.push(`${w}: demand must be >= 0`);
    for (const r of v.requiredSkills ?? [])
      if (r.minLevel !== undefined && (!finite(r.minLevel) || r.minLevel < 1 || r.minLevel > 5))
        issues.push(`${w}: skill ${r.skill} minLevel must be 1..5`);
  }
  if (issues.length > 0) throw new ProblemInputError(issues);
  return problem;
}
