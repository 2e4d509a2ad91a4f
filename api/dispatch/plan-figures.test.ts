import { describe, expect, it } from 'vitest';
import { planDiff, planKpis, technicianFigures, type FigurePlan, type FigureRoute } from './plan-figures.js';

// Paris in winter: +01:00. Times written out so every figure below can be checked by hand.
const at = (hhmm: string) => `2026-12-01T${hhmm}:00.000+01:00`;

const alice: FigureRoute = {
  technicianId: 'a',
  technicianName: 'Alice',
  departure: at('08:00'),
  returnTime: at('17:30'),
  travelMinutes: 90,
  distanceKm: 42.3,
  overtimeMinutes: 30,
  shiftStart: at('08:00'),
  shiftEnd: at('17:00'),
  breakMinutes: 45,
  stops: [
    { ticketNumber: 'T-2', start: at('09:00'), end: at('11:00') }, // 120
    { ticketNumber: 'T-1', start: at('14:00'), end: at('16:30') }, // 150
  ],
};

const bob: FigureRoute = {
  technicianId: 'b',
  technicianName: 'Bob',
  departure: at('09:00'),
  returnTime: at('12:00'),
  travelMinutes: 40,
  distanceKm: 15,
  overtimeMinutes: 0,
  shiftStart: at('09:00'),
  shiftEnd: at('13:00'),
  breakMinutes: 0,
  stops: [{ ticketNumber: 'T-3', start: at('10:00'), end: at('11:00') }], // 60
};

describe('technicianFigures', () => {
  it('reads planned, travel, break, idle and overtime against the shift', () => {
    // Shift 08:00–17:00 = 540; back at 17:30 → 30 overtime; busy 270 + 90 + 45 = 405; idle 540 + 30 − 405 = 165.
    expect(technicianFigures(alice)).toEqual({
      technicianId: 'a',
      technicianName: 'Alice',
      visits: 2,
      plannedMinutes: 270,
      travelMinutes: 90,
      distanceKm: 42.3,
      breakMinutes: 45,
      idleMinutes: 165,
      overtimeMinutes: 30,
      shiftMinutes: 540,
    });
  });

  it('counts the unused end of the shift as idle', () => {
    // Shift 240; busy 60 + 40 = 100; back at 12:00, an hour before the end → idle 140, no overtime.
    expect(technicianFigures(bob)).toMatchObject({ plannedMinutes: 60, idleMinutes: 140, overtimeMinutes: 0, shiftMinutes: 240 });
  });

  it('falls back to the stored overtime and the day out when the plan has no shift (older versions)', () => {
    const { shiftStart: _s, shiftEnd: _e, breakMinutes: _b, ...old } = alice;
    // Out 08:00–17:30 = 570; busy 270 + 90 = 360 → idle 210; overtime as the optimizer stored it.
    expect(technicianFigures(old)).toMatchObject({ breakMinutes: 0, idleMinutes: 210, overtimeMinutes: 30, shiftMinutes: null });
  });
});

describe('planKpis', () => {
  it('adds the technicians up and gives the share of the shifts spent at visits', () => {
    const plan: FigurePlan = { routes: [alice, bob], unassigned: [{ ticketNumber: 'T-9' }], removed: [{ ticketNumber: 'T-8' }] };
    // Planned 270 + 60 = 330 over shifts 540 + 240 = 780 → 42 %.
    expect(planKpis(plan)).toEqual({
      assigned: 3,
      unassigned: 1,
      removed: 1,
      techniciansUsed: 2,
      plannedMinutes: 330,
      travelMinutes: 130,
      distanceKm: 57.3,
      idleMinutes: 305,
      overtimeMinutes: 30,
      utilisationPercent: 42,
    });
  });
});

describe('planDiff', () => {
  const previous: FigurePlan = { routes: [alice, bob], unassigned: [{ ticketNumber: 'T-4' }] };

  it('is empty between a version and itself', () => {
    const diff = planDiff(previous, previous);
    expect([diff.moved, diff.added, diff.removed]).toEqual([[], [], []]);
  });

  it('names the visits moved to another technician or time, added, unassigned and removed', () => {
    const current: FigurePlan = {
      routes: [
        // T-2 stays with Alice at the same instant (written with another offset): not moved.
        // T-1 moves from Alice to Bob; T-3 stays with Bob an hour later; T-4 is newly placed.
        { ...alice, stops: [{ ticketNumber: 'T-2', start: '2026-12-01T08:00:00.000Z', end: at('11:00') }] },
        {
          ...bob,
          stops: [
            { ticketNumber: 'T-3', start: at('11:00'), end: at('12:00') },
            { ticketNumber: 'T-1', start: at('14:00'), end: at('16:30') },
            { ticketNumber: 'T-4', start: at('16:30'), end: at('17:00') },
          ],
        },
      ],
      unassigned: [],
    };
    const withT3Removed: FigurePlan = { ...current, routes: [current.routes[0]!], removed: [{ ticketNumber: 'T-3' }] };
    const diff = planDiff(previous, current);
    expect(diff.moved).toEqual([
      {
        ticketNumber: 'T-1',
        from: { technicianId: 'a', technicianName: 'Alice', start: at('14:00') },
        to: { technicianId: 'b', technicianName: 'Bob', start: at('14:00') },
      },
      {
        ticketNumber: 'T-3',
        from: { technicianId: 'b', technicianName: 'Bob', start: at('10:00') },
        to: { technicianId: 'b', technicianName: 'Bob', start: at('11:00') },
      },
    ]);
    expect(diff.added).toEqual([{ ticketNumber: 'T-4', to: { technicianId: 'b', technicianName: 'Bob', start: at('16:30') } }]);
    expect(diff.removed).toEqual([]);
    expect(diff.previousKpis.assigned).toBe(3);

    // Bob's route gone: T-3 was removed by the dispatcher, T-1 (on no route, not removed) is unassigned.
    expect(planDiff(previous, withT3Removed).removed).toEqual([
      { ticketNumber: 'T-1', from: { technicianId: 'a', technicianName: 'Alice', start: at('14:00') }, now: 'unassigned' },
      { ticketNumber: 'T-3', from: { technicianId: 'b', technicianName: 'Bob', start: at('10:00') }, now: 'removed' },
    ]);
  });
});
