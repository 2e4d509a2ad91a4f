import { describe, expect, it } from 'vitest';
import { checkPlan } from '../testing/dispatch-check.js';
import { generateDispatchDay } from '../testing/dispatch-generator.js';
import { applyChange, maxIterations, resolve, solve, type CurrentPlan, type Result } from '../index.js';

const day = generateDispatchDay(9, 8, 45);

function planAt(result: Result, now: number): CurrentPlan {
  return {
    routes: result.routes.map((r) => ({
      technicianId: r.technicianId,
      visitIds: r.stops.filter((s) => s.start > now).map((s) => s.visitId),
    })),
    started: result.routes.flatMap((r) =>
      r.stops.filter((s) => s.start <= now).map((s) => ({ visitId: s.visitId, technicianId: r.technicianId, start: s.start, end: s.end })),
    ),
  };
}

describe('incremental re-solve', async () => {
  const base = await solve(day, { seed: 1, stop: maxIterations(300) });
  const now = 600;
  const plan = planAt(base, now);

  it('inserts an emergency, keeps started and pinned visits, moves few confirmed visits', async () => {
    // Pin one confirmed visit to its current technician and time.
    const route = base.routes.find((r) => r.stops.some((s) => s.start > now + 60))!;
    const pinnedStop = route.stops.find((s) => s.start > now + 60)!;
    let { problem, plan: p2 } = applyChange(day, plan, {
      kind: 'pin',
      visitId: pinnedStop.visitId,
      technicianId: route.technicianId,
      start: pinnedStop.start,
    });
    ({ problem, plan: p2 } = applyChange(problem, p2, {
      kind: 'emergency',
      visit: {
        id: 'urgent',
        location: { lat: 48.86, lon: 2.34 },
        duration: 45,
        requiredSkills: [{ skill: 'workstation' }],
        timeWindows: [{ start: now, end: now + 180 }],
        priority: 1,
      },
    }));
    const frozenProblem = JSON.stringify(problem);
    const re = await resolve(problem, p2, { seed: 1, stop: maxIterations(200) });
    expect(JSON.stringify(problem)).toBe(frozenProblem);
    const urgent = re.routes.flatMap((r) => r.stops).find((s) => s.visitId === 'urgent');
    expect(urgent).toBeDefined();
    expect(urgent!.start).toBeLessThanOrEqual(now + 180);
    const pinned = re.routes.find((r) => r.technicianId === route.technicianId)!.stops.find((s) => s.visitId === pinnedStop.visitId);
    expect(pinned?.start).toBe(pinnedStop.start);
    // Started visits stay at the head of their technician's route, unchanged.
    for (const s of p2.started ?? []) {
      const r = re.routes.find((x) => x.technicianId === s.technicianId)!;
      expect(r.stops.find((x) => x.visitId === s.visitId)).toEqual({ visitId: s.visitId, arrival: s.start, start: s.start, end: s.end });
    }
    expect(checkPlan(problem, re, undefined, new Set(p2.started?.map((s) => s.visitId)))).toEqual([]);
    const confirmed = p2.routes.reduce((a, r) => a + r.visitIds.length, 0);
    expect(re.moved.length).toBeLessThanOrEqual(Math.max(2, confirmed * 0.1));
  });

  it('re-plans the visits of a technician who becomes absent', async () => {
    const victim = plan.routes.find((r) => r.visitIds.length > 0)!;
    const { problem, plan: p2 } = applyChange(
      day,
      { ...plan, started: plan.started?.filter((s) => s.technicianId !== victim.technicianId) },
      { kind: 'technician-absent', technicianId: victim.technicianId, from: 0 },
    );
    const re = await resolve(problem, p2, { seed: 1, stop: maxIterations(200) });
    expect(re.routes.find((r) => r.technicianId === victim.technicianId)?.stops.length ?? 0).toBe(0);
    const moved = new Set(re.moved.map((m) => m.visitId));
    for (const id of victim.visitIds) expect(moved.has(id)).toBe(true);
    expect(checkPlan(problem, re, undefined, new Set(p2.started?.map((s) => s.visitId)))).toEqual([]);
  });

  it('an overrun pushes the technician’s next visits, the plan stays valid', async () => {
    const s = plan.started!.find((x) => x.end > now - 30)!;
    const { problem, plan: p2 } = applyChange(day, plan, { kind: 'overrun', visitId: s.visitId, newEnd: s.end + 60 });
    const re = await resolve(problem, p2, { seed: 1, stop: maxIterations(100) });
    const r = re.routes.find((x) => x.technicianId === s.technicianId)!;
    const after = r.stops.filter((x) => !p2.started!.some((y) => y.visitId === x.visitId));
    for (const x of after) expect(x.arrival).toBeGreaterThanOrEqual(s.end + 60);
    expect(checkPlan(problem, re, undefined, new Set(p2.started?.map((x) => x.visitId)))).toEqual([]);
  });
});
