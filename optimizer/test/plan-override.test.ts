/** Dispatcher overrides become the optimizer's changes; a real re-solve checks what they mean. */
import { describe, expect, it } from 'vitest';
import {
  applicableOverrides,
  applyOverrides,
  maxIterations,
  missingQualifications,
  OverrideInputError,
  overrideRefusal,
  overrideToChange,
  resolve,
  type CurrentPlan,
  type Problem,
  type Technician,
  type Visit,
} from '../index.js';

const tech = (id: string, skills: Record<string, number>, lon: number): Technician => ({
  id,
  skills,
  shiftStart: 480,
  shiftEnd: 1080,
  maxOvertime: 0,
  home: { lat: 48.86, lon },
});
const visit = (id: string, skill: string, lon: number, extra: Partial<Visit> = {}): Visit => ({
  id,
  location: { lat: 48.87, lon },
  duration: 60,
  requiredSkills: [{ skill, minLevel: 1 }],
  priority: 3,
  ...extra,
});

const problem: Problem = {
  technicians: [
    tech('west', { network: 3, hardware: 3 }, 2.28),
    tech('east', { network: 3, hardware: 3 }, 2.4),
    tech('hw', { hardware: 3 }, 2.35),
  ],
  visits: [
    visit('v1', 'network', 2.29),
    visit('v2', 'network', 2.3),
    visit('v3', 'hardware', 2.39),
    visit('v4', 'network', 2.41, { pinnedTechnicianId: 'east', pinnedStart: 600 }),
    visit('v5', 'hardware', 2.36, { timeWindows: [{ start: 480, end: 720 }] }),
  ],
};
const plan: CurrentPlan = {
  routes: [
    { technicianId: 'west', visitIds: ['v1', 'v2'] },
    { technicianId: 'east', visitIds: ['v4', 'v3'] },
    { technicianId: 'hw', visitIds: ['v5'] },
  ],
};
const opts = { seed: 1, stop: maxIterations(2000) };
const techOf = (routes: readonly { technicianId: string; stops: readonly { visitId: string }[] }[], id: string) =>
  routes.find((r) => r.stops.some((s) => s.visitId === id))?.technicianId ?? null;

describe('overrideToChange', () => {
  it('turns a move into a pin on the technician (and time), replacing a booked pin', () => {
    const step = overrideToChange(problem, plan, { kind: 'move', visitId: 'v4', technicianId: 'west' });
    expect(step.change).toEqual({ kind: 'pin', visitId: 'v4', technicianId: 'west' });
    // The old booked start must not survive as a hard constraint on the new technician.
    expect(step.problem.visits.find((v) => v.id === 'v4')).not.toHaveProperty('pinnedStart');
    const timed = overrideToChange(problem, plan, { kind: 'move', visitId: 'v1', technicianId: 'east', start: 630 });
    expect(timed.change).toEqual({ kind: 'pin', visitId: 'v1', technicianId: 'east', start: 630 });
  });

  it('turns a lock into a pin where the visit is', () => {
    expect(overrideToChange(problem, plan, { kind: 'lock', visitId: 'v2', technicianId: 'west', start: 700 }).change).toEqual({
      kind: 'pin',
      visitId: 'v2',
      technicianId: 'west',
      start: 700,
    });
  });

  it('turns an absence into technician-absent from the shift start by default, and releases visits pinned to them', () => {
    const step = overrideToChange(problem, plan, { kind: 'absent', technicianId: 'east' });
    expect(step.change).toEqual({ kind: 'technician-absent', technicianId: 'east', from: 480 });
    expect(step.problem.visits.find((v) => v.id === 'v4')).toEqual(visit('v4', 'network', 2.41));
    expect(overrideToChange(problem, plan, { kind: 'absent', technicianId: 'east', from: 780 }).change).toEqual({
      kind: 'technician-absent',
      technicianId: 'east',
      from: 780,
    });
  });

  it('removes a visit from the problem and from its route, with no optimizer change', () => {
    const step = overrideToChange(problem, plan, { kind: 'remove', visitId: 'v3' });
    expect(step.change).toBeNull();
    expect(step.problem.visits.map((v) => v.id)).toEqual(['v1', 'v2', 'v4', 'v5']);
    expect(step.plan.routes.find((r) => r.technicianId === 'east')!.visitIds).toEqual(['v4']);
  });

  it('refuses an unknown visit, or a technician who does not work that day, before solving', () => {
    expect(() => overrideToChange(problem, plan, { kind: 'remove', visitId: 'nope' })).toThrow(OverrideInputError);
    const err = (() => {
      try {
        overrideToChange(problem, plan, { kind: 'move', visitId: 'v1', technicianId: 'off-today' });
      } catch (e) {
        return e as OverrideInputError;
      }
    })();
    expect(err).toBeInstanceOf(OverrideInputError);
    expect(err!.code).toBe('UNKNOWN_TECHNICIAN');
    expect(err!.messages.fr).toMatch(/ne travaille pas/);
  });
});

describe('applyOverrides with the incremental re-solve', () => {
  it('moves a visit to another qualified technician and keeps the others where they were', async () => {
    const changed = applyOverrides(problem, plan, [{ kind: 'move', visitId: 'v1', technicianId: 'east' }]);
    const result = await resolve(changed.problem, changed.plan, opts);
    expect(overrideRefusal({ kind: 'move', visitId: 'v1', technicianId: 'east' }, result)).toBeNull();
    expect(techOf(result.routes, 'v1')).toBe('east');
    expect(result.moved).toEqual([{ visitId: 'v1', from: 'west', to: 'east' }]);
  });

  it('a later override wins: moved east, then east absent → the visit goes back to a qualified technician', async () => {
    const changed = applyOverrides(problem, plan, [
      { kind: 'move', visitId: 'v1', technicianId: 'east' },
      { kind: 'absent', technicianId: 'east' },
    ]);
    expect(changed.problem.technicians.find((t) => t.id === 'east')!.absences).toEqual([{ start: 480, end: 1080 }]);
    const result = await resolve(changed.problem, changed.plan, opts);
    for (const id of ['v1', 'v3', 'v4']) expect(techOf(result.routes, id), id).not.toBe('east');
    // Network visits can only go west; the hardware one anywhere qualified.
    expect(techOf(result.routes, 'v4')).toBe('west');
    expect(result.moved.map((m) => m.visitId).sort()).toEqual(['v3', 'v4']);
  });

  it('refuses a move to a technician lacking the skill, with the optimizer’s reason', async () => {
    const override = { kind: 'move', visitId: 'v1', technicianId: 'hw' } as const;
    const changed = applyOverrides(problem, plan, [override]);
    const refusal = overrideRefusal(override, await resolve(changed.problem, changed.plan, opts));
    expect(refusal?.reason).toBe('NO_QUALIFIED_TECHNICIAN');
    expect(refusal?.message.fr).toMatch(/Aucun technicien/);
    expect(missingQualifications(changed.problem, 'v1', 'hw')).toEqual(['network']);
    expect(missingQualifications(changed.problem, 'v1', 'east')).toEqual([]);
  });

  it('refuses a pinned time outside the visit’s windows', async () => {
    const override = { kind: 'move', visitId: 'v5', technicianId: 'hw', start: 900 } as const;
    const changed = applyOverrides(problem, plan, [override]);
    const refusal = overrideRefusal(override, await resolve(changed.problem, changed.plan, opts));
    expect(refusal?.reason).toBe('PINNED_TIME_OUTSIDE_WINDOWS');
  });

  it('a lock holds the visit at its technician and time', async () => {
    const override = { kind: 'lock', visitId: 'v3', technicianId: 'east', start: 720 } as const;
    const changed = applyOverrides(problem, plan, [override]);
    const result = await resolve(changed.problem, changed.plan, opts);
    expect(overrideRefusal(override, result)).toBeNull();
    const stop = result.routes.find((r) => r.technicianId === 'east')!.stops.find((s) => s.visitId === 'v3');
    expect(stop?.start).toBe(720);
  });
});

describe('applicableOverrides (a new run or a later override re-applies the earlier ones)', () => {
  it('drops overrides overtaken by events and lets a pinned start already past be re-timed', () => {
    const earlier = [
      { kind: 'move', visitId: 'v1', technicianId: 'east', start: 540 },
      { kind: 'lock', visitId: 'v2', technicianId: 'west', start: 720 },
      { kind: 'lock', visitId: 'v3', technicianId: 'hw', start: 600 },
      { kind: 'remove', visitId: 'gone' },
      { kind: 'absent', technicianId: 'left-the-company' },
      { kind: 'absent', technicianId: 'hw', from: 540 },
      { kind: 'remove', visitId: 'v5' },
    ] as const;
    const kept = applicableOverrides(problem, earlier, { started: new Set(['v5']), now: 660 });
    expect(kept).toEqual([
      { index: 0, override: { kind: 'move', visitId: 'v1', technicianId: 'east' } },
      { index: 1, override: earlier[1] },
      { index: 2, override: { kind: 'move', visitId: 'v3', technicianId: 'hw' } },
      { index: 5, override: earlier[5] },
    ]);
    // Without a "now" (another day), times are kept as they were.
    expect(applicableOverrides(problem, earlier, { started: new Set(), now: null }).map((k) => k.override)).toContainEqual(earlier[0]);
  });
});

describe('emergency override', () => {
  it('re-adds the urgent visits as emergencies (no duplicate, plan untouched), ignores those since closed, and the re-solve places them', async () => {
    const urgent = visit('p1', 'network', 2.31, { priority: 1 });
    const day: Problem = { ...problem, visits: [...problem.visits, urgent] };
    const plan: CurrentPlan = {
      routes: [
        { technicianId: 'west', visitIds: ['v1', 'v2'] },
        { technicianId: 'east', visitIds: ['v4'] },
        { technicianId: 'hw', visitIds: ['v3', 'v5'] },
      ],
    };
    const changed = applyOverrides(day, plan, [{ kind: 'emergency', visitIds: ['p1', 'closed-since'] }]);
    expect(changed.problem.visits.filter((v) => v.id === 'p1')).toEqual([urgent]);
    expect(changed.problem.visits.length).toBe(day.visits.length);
    expect(changed.plan).toEqual(plan);
    const result = await resolve(changed.problem, changed.plan, { seed: 1, stop: maxIterations(2000) });
    expect(result.routes.some((r) => r.stops.some((s) => s.visitId === 'p1'))).toBe(true);
  });
});
