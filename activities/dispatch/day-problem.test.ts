/** The day's rows become the optimizer's problem in minutes after Paris midnight, DST included. */
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { resolve } from '../../optimizer/index.js';
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
    expect(problem.technicians[0]).toMatchObject({
      shiftStart: 510,
      shiftEnd: 1050,
      lunchBreak: { earliestStart: 720, latestStart: 840, duration: 45 },
      hourlyCost: 42,
    });
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
        tech({
          id: 'doctor',
          absences: [{ startsAt: clock.midnight.minus({ hours: 3 }).toJSDate(), endsAt: clock.midnight.plus({ hours: 10 }).toJSDate() }],
        }),
      ],
      [],
    );
    expect(problem.technicians.map((t) => t.id)).toEqual(['doctor']);
    expect(problem.technicians[0]!.absences).toEqual([{ start: 0, end: 600 }]);
  });

  it('maps priority, required skill level, SLA target and a confirmed booking to the visit', () => {
    const clock = dayClock('2026-11-23');
    const { problem } = buildDayProblem(
      '2026-11-23',
      [tech()],
      [
        request({
          supportLevel: 3,
          resolutionDueAt: clock.midnight.plus({ hours: 11 }).toJSDate(),
          pinned: { technicianId: 't1', start: clock.midnight.plus({ hours: 9, minutes: 15 }).toJSDate() },
        }),
        request({ requestId: 'r2', priority: 'P4', serviceType: 'hardware_upgrade', supportLevel: 1 }),
      ],
    );
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

describe('buildDayProblem on the day itself (a fixed "now")', () => {
  const DATE = '2026-11-23';
  const at = (hhmm: string) => DateTime.fromISO(`${DATE}T${hhmm}`, { zone: 'Europe/Paris' }).toJSDate();
  const started = (technicianId: string, checkedInAt: string, checkedOutAt: string | null, plannedMinutes: number | null = null) => ({
    technicianId,
    checkedInAt: at(checkedInAt),
    checkedOutAt: checkedOutAt ? at(checkedOutAt) : null,
    plannedMinutes,
  });

  it('starts every shift at now, and drops a lunch window that closed before now', () => {
    const morning = buildDayProblem(DATE, [tech()], [], undefined, { now: at('10:05') });
    expect(morning.problem.technicians[0]).toMatchObject({
      shiftStart: 605,
      shiftEnd: 1050,
      lunchBreak: { earliestStart: 720, latestStart: 840 },
    });
    const afternoon = buildDayProblem(DATE, [tech()], [], undefined, { now: at('14:30') });
    expect(afternoon.problem.technicians[0]!.shiftStart).toBe(870);
    expect(afternoon.problem.technicians[0]).not.toHaveProperty('lunchBreak');
    const evening = buildDayProblem(DATE, [tech()], [], undefined, { now: at('19:00') });
    expect(evening.problem.technicians[0]).toMatchObject({ shiftStart: 1050, shiftEnd: 1050 });
  });

  it('ignores now for another day', () => {
    const { problem } = buildDayProblem(DATE, [tech()], [], undefined, {
      now: DateTime.fromISO('2026-11-22T15:00', { zone: 'Europe/Paris' }).toJSDate(),
    });
    expect(problem.technicians[0]!.shiftStart).toBe(510);
  });

  it('freezes a visit under way until check-in + planned duration, or until now when it overruns', () => {
    const requests = [
      request({ requestId: 'on-time', started: started('t1', '09:30', null, 90) }),
      request({ requestId: 'overrun', started: started('t2', '08:30', null) }),
      request({ requestId: 'done', started: started('t3', '08:40', '09:20') }),
      request({ requestId: 'open' }),
    ];
    const { problem, started: frozen } = buildDayProblem(DATE, [tech(), tech({ id: 't2' }), tech({ id: 't3' })], requests, undefined, {
      now: at('10:45'),
    });
    // network_configuration lasts 120 min by default: 08:30 + 120 = 10:30, already past at 10:45.
    expect(frozen).toEqual([
      { visitId: 'on-time', technicianId: 't1', start: 570, end: 660 },
      { visitId: 'overrun', technicianId: 't2', start: 510, end: 645 },
      { visitId: 'done', technicianId: 't3', start: 520, end: 560 },
    ]);
    // Started visits stay in the problem (the re-solve needs their location) without any pin.
    expect(problem.visits.map((v) => v.id)).toEqual(['on-time', 'overrun', 'done', 'open']);
    expect(problem.visits.every((v) => v.pinnedTechnicianId === undefined)).toBe(true);
  });

  it('keeps a booked visit whose slot has begun with its technician, without the past start', () => {
    const { problem } = buildDayProblem(
      DATE,
      [tech()],
      [
        request({ pinned: { technicianId: 't1', start: at('09:00') } }),
        request({ requestId: 'r2', pinned: { technicianId: 't1', start: at('15:00') } }),
      ],
      undefined,
      { now: at('10:00') },
    );
    expect(problem.visits[0]).toMatchObject({ pinnedTechnicianId: 't1' });
    expect(problem.visits[0]).not.toHaveProperty('pinnedStart');
    expect(problem.visits[1]).toMatchObject({ pinnedTechnicianId: 't1', pinnedStart: 900 });
  });

  it('gives the re-solve a day where nothing new starts before now or before the visit under way ends', async () => {
    const requests = [
      request({ requestId: 'busy', started: started('t1', '09:30', null, 120) }),
      request({ requestId: 'next', priority: 'P2' }),
      request({ requestId: 'other', priority: 'P3', latitude: 48.85, longitude: 2.35 }),
    ];
    const { problem, started: frozen } = buildDayProblem(DATE, [tech(), tech({ id: 't2' })], requests, undefined, { now: at('10:00') });
    const result = await resolve(problem, { routes: [], started: frozen }, { seed: 1 });
    const stops = result.routes.flatMap((r) => r.stops.map((s) => ({ ...s, technicianId: r.technicianId })));
    expect(stops.find((s) => s.visitId === 'busy')).toMatchObject({ technicianId: 't1', start: 570, end: 690 });
    for (const s of stops.filter((x) => x.visitId !== 'busy')) {
      expect(s.start).toBeGreaterThanOrEqual(600);
      if (s.technicianId === 't1') expect(s.start).toBeGreaterThanOrEqual(690);
    }
    expect(result.unassigned).toEqual([]);
  });
});
