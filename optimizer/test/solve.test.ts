import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../testing/dispatch-check.js';
import { generateDispatchDay } from '../testing/dispatch-generator.js';
import { readSolomon, routesDistance, solomonToProblem } from '../testing/solomon-reader.js';
import {
  DISTANCE_ONLY_WEIGHTS,
  EuclideanTravelTimeProvider,
  HaversineTravelTimeProvider,
  MatrixTravelTimeProvider,
  ProblemInputError,
  maxIterations,
  maxRuntime,
  solve,
  validateProblem,
  type Problem,
  type SearchProgress,
} from '../index.js';

const paris = { lat: 48.8566, lon: 2.3522 };
const near = (dLat: number, dLon: number) => ({ lat: paris.lat + dLat, lon: paris.lon + dLon });

function smallDay(): Problem {
  return {
    technicians: [
      {
        id: 'alice',
        skills: { network: 3, printer: 2 },
        shiftStart: 480,
        shiftEnd: 1020,
        maxOvertime: 30,
        home: near(0.01, 0.01),
        lunchBreak: { earliestStart: 690, latestStart: 780, duration: 45 },
        hourlyCost: 40,
      },
      {
        id: 'bob',
        skills: { printer: 4 },
        certifications: ['habilitation-electrique'],
        shiftStart: 480,
        shiftEnd: 1020,
        home: near(-0.02, 0.03),
        lunchBreak: { earliestStart: 690, latestStart: 780, duration: 45 },
        hourlyCost: 35,
      },
    ],
    visits: [
      {
        id: 'v1',
        location: near(0.02, 0.0),
        duration: 60,
        requiredSkills: [{ skill: 'network' }],
        priority: 1,
        timeWindows: [{ start: 480, end: 600 }],
      },
      { id: 'v2', location: near(0.0, 0.04), duration: 90, requiredSkills: [{ skill: 'printer', minLevel: 3 }], priority: 2 },
      { id: 'v3', location: near(-0.01, -0.02), duration: 45, priority: 3, timeWindows: [{ start: 840, end: 960 }] },
      { id: 'v4', location: near(0.03, 0.02), duration: 120, priority: 4, requiredCertifications: ['habilitation-electrique'] },
      { id: 'v5', location: near(0.01, -0.03), duration: 60, priority: 3, requiredSkills: [{ skill: 'plumbing' }] },
      { id: 'v6', location: near(0.02, 0.02), duration: 30, priority: 2, timeWindows: [{ start: 300, end: 400 }] },
      { id: 'v7', location: near(0.0, 0.01), duration: 60, priority: 3, timeWindows: [{ start: 600, end: 700 }] },
    ],
  };
}

describe('validateProblem', () => {
  it('throws ProblemInputError listing malformed input only', () => {
    const bad: Problem = {
      technicians: [{ id: 't', shiftStart: 10, shiftEnd: 5, home: paris }],
      visits: [{ id: 'v', location: paris, duration: -1, priority: 9 as 1 }],
    };
    expect(() => validateProblem(bad)).toThrow(ProblemInputError);
    try {
      validateProblem(bad);
    } catch (e) {
      expect((e as ProblemInputError).issues.length).toBe(3);
    }
    expect(() => validateProblem(smallDay())).not.toThrow(); // infeasible visits are not input errors
  });
});

describe('solve on a small field day', () => {
  it('routes every visit once or explains why not, and breaks no hard rule', async () => {
    const problem = smallDay();
    const frozen = JSON.stringify(problem);
    const result = await solve(problem, { seed: 3, stop: maxIterations(300) });
    expect(JSON.stringify(problem)).toBe(frozen); // input not mutated
    expect(result.feasible).toBe(true);
    expect(checkPlan(problem, result)).toEqual([]);
    expect(result.allP1Placed).toBe(true);
    const reasons = Object.fromEntries(result.unassigned.map((u) => [u.visitId, u.reason]));
    expect(reasons).toEqual({ v5: 'NO_QUALIFIED_TECHNICIAN', v6: 'WINDOW_UNREACHABLE' });
    const v5 = result.unassigned.find((u) => u.visitId === 'v5')!;
    expect(v5.message.en).toContain('plumbing');
    expect(v5.message.fr).toContain('compétence');
    // Lunch break taken inside its window by routes that span it.
    for (const r of result.routes) if (r.returnTime > 780) expect(r.breakStart).not.toBeNull();
    expect(result.routes.find((r) => r.stops.some((s) => s.visitId === 'v4'))?.technicianId).toBe('bob');
  });

  it('explains a missing qualification in French written as French, also when no one meets every requirement at once', async () => {
    const base = smallDay();
    const problem: Problem = {
      technicians: base.technicians,
      visits: [
        {
          id: 'missing',
          location: near(0.01, 0),
          duration: 30,
          priority: 3,
          requiredSkills: [{ skill: 'plumbing', minLevel: 2 }],
          requiredCertifications: ['caces'],
        },
        // alice has network, only bob has the certification: each exists, never together.
        {
          id: 'combined',
          location: near(0.01, 0),
          duration: 30,
          priority: 3,
          requiredSkills: [{ skill: 'network' }],
          requiredCertifications: ['habilitation-electrique'],
        },
      ],
    };
    const result = await solve(problem, { seed: 1, stop: maxIterations(50) });
    const byId = Object.fromEntries(result.unassigned.map((u) => [u.visitId, u]));
    expect(byId.missing?.message).toEqual({
      en: 'No available technician has skill "plumbing" (level ≥ 2) and certification "caces".',
      fr: "Aucun technicien disponible n'a la compétence « plumbing » (niveau ≥ 2) et la certification « caces ».",
    });
    expect(byId.combined?.reason).toBe('NO_QUALIFIED_TECHNICIAN');
    expect(byId.combined?.message.fr).toBe("Aucun technicien disponible n'a la combinaison de compétences et de certifications requise.");
  });

  it('says when qualified technicians are full, and when the pinned technician is absent', async () => {
    const base = smallDay();
    const problem: Problem = {
      technicians: [base.technicians[0]!, { ...base.technicians[1]!, absences: [{ start: 0, end: 2000 }] }],
      visits: [
        { id: 'a', location: near(0.01, 0), duration: 100, priority: 2, timeWindows: [{ start: 500, end: 500 }] },
        { id: 'b', location: near(0.01, 0), duration: 100, priority: 3, timeWindows: [{ start: 500, end: 500 }] },
        { id: 'c', location: near(0.01, 0), duration: 10, priority: 3, pinnedTechnicianId: 'bob' },
      ],
    };
    const result = await solve(problem, { seed: 1, stop: maxIterations(100) });
    expect(Object.fromEntries(result.unassigned.map((u) => [u.visitId, u.reason]))).toEqual({
      b: 'QUALIFIED_TECHNICIANS_FULL',
      c: 'PINNED_TECHNICIAN_UNAVAILABLE',
    });
  });

  it('explains capacity and pinned-time conflicts', async () => {
    const problem: Problem = {
      technicians: [{ id: 'van', home: paris, shiftStart: 480, shiftEnd: 1020, capacity: 10 }],
      visits: [
        { id: 'heavy', location: near(0.01, 0), duration: 10, priority: 3, demand: 11 },
        { id: 'clash', location: near(0.01, 0), duration: 10, priority: 3, timeWindows: [{ start: 600, end: 700 }], pinnedStart: 800 },
      ],
    };
    const result = await solve(problem, { seed: 1, stop: maxIterations(50) });
    expect(Object.fromEntries(result.unassigned.map((u) => [u.visitId, u.reason]))).toEqual({
      heavy: 'EXCEEDS_CAPACITY',
      clash: 'PINNED_TIME_OUTSIDE_WINDOWS',
    });
  });

  it('keeps pins: technician and start time', async () => {
    const base = smallDay();
    const problem: Problem = {
      ...base,
      visits: base.visits.map((v) => (v.id === 'v3' ? { ...v, pinnedTechnicianId: 'bob', pinnedStart: 900 } : v)),
    };
    const result = await solve(problem, { seed: 2, stop: maxIterations(200) });
    const bob = result.routes.find((r) => r.technicianId === 'bob')!;
    expect(bob.stops.find((s) => s.visitId === 'v3')?.start).toBe(900);
  });
});

describe('search behaviour', () => {
  const day = generateDispatchDay(5, 8, 50);

  it('is deterministic for a seed and an iteration budget', async () => {
    const a = await solve(day, { seed: 11, stop: maxIterations(150) });
    const b = await solve(day, { seed: 11, stop: maxIterations(150) });
    expect(a.routes).toEqual(b.routes);
    expect(a.cost.total).toBe(b.cost.total);
  });

  it('never worsens the best cost, reports progress and stops on demand', async () => {
    const events: SearchProgress[] = [];
    const ctrl = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ctrl.abort(), 300);
    const r = await solve(day, {
      seed: 4,
      stop: maxRuntime(20_000),
      signal: ctrl.signal,
      onProgress: (p) => events.push(p),
      params: { progressEveryMs: 20, yieldEveryMs: 10 },
    });
    expect(performance.now() - t0).toBeLessThan(10_000); // aborted long before the 20 s budget
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < events.length; i++) expect(events[i]!.bestCost).toBeLessThanOrEqual(events[i - 1]!.bestCost + 1e-9);
    const trace = r.stats.bestTrace;
    for (let i = 1; i < trace.length; i++) expect(trace[i]!.cost).toBeLessThan(trace[i - 1]!.cost);
    expect(r.cost.total).toBeLessThanOrEqual(trace[trace.length - 1]!.cost + 1e-6); // final descent may only improve
    expect(checkPlan(day, r)).toEqual([]);
  });

  it('golden day (seed 42, 10 technicians, 60 visits, 400 iterations)', async () => {
    const golden = generateDispatchDay(42, 10, 60);
    const r = await solve(golden, { seed: 1, stop: maxIterations(400) });
    expect(checkPlan(golden, r)).toEqual([]);
    expect(r.allP1Placed).toBe(true);
    const got = { routes: r.routes.length, unassigned: r.unassigned.length, total: Math.round(r.cost.total) };
    if (process.env['PRINT_GOLDEN']) console.log(JSON.stringify(got));
    expect(got).toEqual(GOLDEN);
  });
});

// Recorded from the current engine; update deliberately when the search changes.
const GOLDEN = { routes: 10, unassigned: 0, total: 1452 };

describe('travel providers', () => {
  it('haversine: great-circle km × detour, minutes at the average speed', () => {
    const m = new HaversineTravelTimeProvider({ speedKmh: 30, detourFactor: 1.3 }).matrices([paris, { lat: 48.8049, lon: 2.1204 }]); // Versailles ≈ 17.9 km
    expect(m.distances[1]).toBeGreaterThan(17 * 1.3);
    expect(m.distances[1]).toBeLessThan(19 * 1.3);
    expect(m.durations[1]).toBeCloseTo((m.distances[1]! / 30) * 60, 9);
  });

  it('matrix provider reads an OSRM table (seconds, meters) and falls back for unknown points', () => {
    const pts = [paris, near(0.1, 0)];
    const p = new MatrixTravelTimeProvider(
      pts,
      {
        durations: [
          [0, 600],
          [660, 0],
        ],
        distances: [
          [0, 9000],
          [9500, 0],
        ],
      },
      new HaversineTravelTimeProvider(),
    );
    const m = p.matrices([pts[1]!, pts[0]!, near(0.2, 0)]);
    expect(m.durations[0 * 3 + 1]).toBe(11);
    expect(m.distances[1 * 3 + 0]).toBe(9);
    expect(m.durations[2]).toBeGreaterThan(0);
  });
});

const solomonDir = resolvePath(import.meta.dirname, '../../../shared/bench/vrptw/solomon');
describe.skipIf(!existsSync(solomonDir))('Solomon instance', () => {
  it('C101 in 1.5 s: feasible, all served, near the best known 828.94', async () => {
    const inst = readSolomon(`${solomonDir}/C101.txt`);
    const problem = solomonToProblem(inst);
    const r = await solve(problem, {
      seed: 1,
      stop: maxRuntime(1500),
      baseWeights: DISTANCE_ONLY_WEIGHTS,
      travel: new EuclideanTravelTimeProvider(),
    });
    expect(r.feasible).toBe(true);
    expect(r.unassigned).toEqual([]);
    const d = routesDistance(
      inst,
      r.routes.map((x) => x.stops.map((s) => Number(s.visitId))),
    );
    expect(d).toBeLessThan(828.94 * 1.02);
  });
});
