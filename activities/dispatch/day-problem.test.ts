/** The day's rows become the optimizer's problem in minutes after Paris midnight, DST included. */
import { describe, expect, it } from 'vitest';
import { buildDayProblem, dayClock, type OpenRequest, type TechnicianDay } from './day-problem.js';

const tech = (overrides: Partial<TechnicianDay> = {}): TechnicianDay => ({
  id: 't1',
  name: 'Karim Benali',
  homeLatitude: 48.8589,
  homeLongitude: 2.3799,
  hourlyCostCents: 4200,
  maxOvertimeMinutes: 60,
  rating: 4.8,
  skills: [{ skill: 'network_configuration', level: 5 }],
  shift: { startsAt: '08:30:00', endsAt: '17:30:00', lunchEarliest: '12:00:00', lunchLatest: '14:00:00', lunchMinutes: 45 },
  absences: [],
  ...overrides,
});

const request = (overrides: Partial<OpenRequest> = {}): OpenRequest => ({
  requestId: 'r1',
  ticketNumber: 'INT-2026-000001',
  title: 'Pare-feu en panne',
  companyName: 'Cabinet Lefèvre',
  siteName: 'Paris 8e',
  serviceType: 'network_configuration',
  priority: 'P1',
  supportLevel: 2,
  latitude: 48.8727,
  longitude: 2.3167,
  responseDueAt: null,
  resolutionDueAt: null,
  ...overrides,
});

describe('buildDayProblem', () => {
  it('puts an ordinary day’s shift and lunch window in minutes after midnight', () => {
    const { problem } = buildDayProblem('2026-11-23', [tech()], []);
    expect(problem.technicians[0]).toMatchObject({ shiftStart: 510, shiftEnd: 1050, lunchBreak: { earliestStart: 720, latestStart: 840, duration: 45 }, hourlyCost: 42 });
  });

  it('follows the real elapsed time on the spring-forward day (02:00 → 03:00 on 29 March 2026)', () => {
    const { problem, clock } = buildDayProblem('2026-03-29', [tech()], []);
    // 08:30 local is only 7 h 30 after midnight that day.
    expect(problem.technicians[0]!.shiftStart).toBe(450);
    expect(clock.toIso(450)).toBe('2026-03-29T08:30:00.000+02:00');
  });

  it('follows the real elapsed time on the fall-back day (25 October 2026)', () => {
    const { problem } = buildDayProblem('2026-10-25', [tech()], []);
    expect(problem.technicians[0]!.shiftStart).toBe(570);
  });

  it('leaves out technicians who do not work that day and clips absences to the day', () => {
    const clock = dayClock('2026-11-23');
    const { problem } = buildDayProblem(
      '2026-11-23',
      [
        tech({ id: 'off', shift: null }),
        tech({ id: 'doctor', absences: [{ startsAt: clock.midnight.minus({ hours: 3 }).toJSDate(), endsAt: clock.midnight.plus({ hours: 10 }).toJSDate() }] }),
      ],
      [],
    );
    expect(problem.technicians.map((t) => t.id)).toEqual(['doctor']);
    expect(problem.technicians[0]!.absences).toEqual([{ start: 0, end: 600 }]);
  });

  it('maps priority, required skill level, SLA target and a confirmed booking to the visit', () => {
    const clock = dayClock('2026-11-23');
    const { problem } = buildDayProblem('2026-11-23', [tech()], [
      request({
        supportLevel: 3,
        resolutionDueAt: clock.midnight.plus({ hours: 11 }).toJSDate(),
        pinned: { technicianId: 't1', start: clock.midnight.plus({ hours: 9, minutes: 15 }).toJSDate() },
      }),
      request({ requestId: 'r2', priority: 'P4', serviceType: 'hardware_upgrade', supportLevel: 1 }),
    ]);
    expect(problem.visits[0]).toMatchObject({
      id: 'r1',
      priority: 1,
      duration: 120,
      requiredSkills: [{ skill: 'network_configuration', minLevel: 4 }],
      slaTarget: 660,
      pinnedTechnicianId: 't1',
      pinnedStart: 555,
    });
    expect(problem.visits[1]).toMatchObject({ priority: 4, duration: 90, requiredSkills: [{ skill: 'hardware_upgrade', minLevel: 1 }] });
    expect(problem.visits[1]).not.toHaveProperty('slaTarget');
  });
});
