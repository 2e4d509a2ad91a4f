/** A visit's windows of the day from opening hours, closures, the appointment and the SLA (DST days included). */
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { solve, maxIterations } from '../../optimizer/index.js';
import { buildDayProblem, dayClock, type OpenRequest, type TechnicianDay } from './day-problem.js';
import { describePlan } from './plan-presenter.js';
import { intersectWindows, visitWindows, type SiteCalendar } from './visit-windows.js';

/** Open Monday to Friday 08:30–12:00 and 14:00–18:00, Saturday 09:00–12:00, closed on Sundays. */
const OFFICE: SiteCalendar = {
  openingHours: [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, opensAt: '08:30:00', closesAt: '12:00:00' },
    { weekday, opensAt: '14:00:00', closesAt: '18:00:00' },
  ]),
  closures: [],
};
const SUNDAY_SHOP: SiteCalendar = { openingHours: [{ weekday: 7, opensAt: '09:00', closesAt: '12:00' }], closures: [] };
const at = (date: string, hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone: 'Europe/Paris' }).toJSDate();

describe('visitWindows', () => {
  const MONDAY = '2026-11-23';
  const clock = dayClock(MONDAY);

  it('turns the weekday’s opening ranges into start windows the whole visit fits in', () => {
    expect(visitWindows(clock, { site: OFFICE, longestMinutes: 60 })).toEqual({
      open: true,
      windows: [
        { start: 510, end: 660 },
        { start: 840, end: 1020 },
      ],
    });
  });

  it('leaves a site without recorded hours open all day', () => {
    expect(visitWindows(clock, { longestMinutes: 60 })).toEqual({ open: true });
    expect(visitWindows(clock, { site: { openingHours: [], closures: [] }, longestMinutes: 60 })).toEqual({ open: true });
  });

  it('drops a range too short for the visit, and says so when none is left', () => {
    const result = visitWindows(clock, { site: OFFICE, longestMinutes: 220 });
    expect(result).toEqual({ open: true, windows: [{ start: 840, end: 860 }] });
    const tooLong = visitWindows(clock, { site: OFFICE, longestMinutes: 300 });
    expect(tooLong).toMatchObject({ open: false, reason: 'OPENING_TOO_SHORT' });
  });

  it('closes the day of a closure, with its reason', () => {
    const site = { ...OFFICE, closures: [{ startsOn: '2026-11-20', endsOn: '2026-11-24', reason: 'inventaire' }] };
    expect(visitWindows(clock, { site, longestMinutes: 60 })).toEqual({
      open: false,
      reason: 'SITE_CLOSED',
      message: {
        en: 'The site is closed on Monday 23 November 2026 (inventaire).',
        fr: 'Le site est fermé le lundi 23 novembre 2026 (inventaire).',
      },
    });
    // The day after the closure is an ordinary day again.
    const tuesday = visitWindows(dayClock('2026-11-25'), { site, longestMinutes: 60 });
    expect(tuesday.open).toBe(true);
  });

  it('closes a weekday without opening hours', () => {
    expect(visitWindows(dayClock('2026-11-29'), { site: OFFICE, longestMinutes: 30 })).toEqual({
      open: false,
      reason: 'CLOSED_THAT_WEEKDAY',
      message: { en: 'The site is closed on Sundays.', fr: 'Le site est fermé le dimanche.' },
    });
  });

  it('intersects with the appointment slot, and refuses a slot outside the opening hours', () => {
    const appointment = { from: at(MONDAY, '10:00'), to: at(MONDAY, '15:30') };
    expect(visitWindows(clock, { site: OFFICE, appointment, longestMinutes: 60 })).toEqual({
      open: true,
      windows: [
        { start: 600, end: 660 },
        { start: 840, end: 870 },
      ],
    });
    expect(visitWindows(clock, { appointment, longestMinutes: 60 })).toEqual({ open: true, windows: [{ start: 600, end: 870 }] });
    const lunchSlot = { from: at(MONDAY, '12:00'), to: at(MONDAY, '14:00') };
    expect(visitWindows(clock, { site: OFFICE, appointment: lunchSlot, longestMinutes: 60 })).toMatchObject({
      open: false,
      reason: 'APPOINTMENT_OUTSIDE_OPENING_HOURS',
    });
  });

  it('caps the starts at the SLA’s latest start, unless the deadline is already out of reach', () => {
    expect(visitWindows(clock, { site: OFFICE, latestStart: at(MONDAY, '15:00'), longestMinutes: 60, earliest: 480 })).toEqual({
      open: true,
      windows: [
        { start: 510, end: 660 },
        { start: 840, end: 900 },
      ],
    });
    expect(visitWindows(clock, { latestStart: at(MONDAY, '11:00'), longestMinutes: 60 })).toEqual({
      open: true,
      windows: [{ start: 0, end: 660 }],
    });
    // Due at 08:00 while the site opens at 08:30: the visit is late anyway, it stays plannable.
    expect(visitWindows(clock, { site: OFFICE, latestStart: at(MONDAY, '08:00'), longestMinutes: 60, earliest: 480 })).toEqual({
      open: true,
      windows: [
        { start: 510, end: 660 },
        { start: 840, end: 1020 },
      ],
    });
  });

  it('follows the wall clock on the spring-forward day (29 March 2026, a Sunday: 02:00 → 03:00)', () => {
    const sunday = dayClock('2026-03-29');
    // 09:00 local is 8 h after midnight that day; 12:00 is 11 h.
    expect(visitWindows(sunday, { site: SUNDAY_SHOP, longestMinutes: 60 })).toEqual({ open: true, windows: [{ start: 480, end: 600 }] });
    expect(sunday.toIso(480)).toBe('2026-03-29T09:00:00.000+02:00');
    const appointment = { from: at('2026-03-29', '10:00'), to: at('2026-03-29', '11:30') };
    expect(visitWindows(sunday, { site: SUNDAY_SHOP, appointment, longestMinutes: 60 })).toEqual({
      open: true,
      windows: [{ start: 540, end: 570 }],
    });
  });

  it('follows the wall clock on the fall-back day (25 October 2026, a Sunday: 03:00 → 02:00)', () => {
    const sunday = dayClock('2026-10-25');
    expect(visitWindows(sunday, { site: SUNDAY_SHOP, longestMinutes: 60 })).toEqual({ open: true, windows: [{ start: 600, end: 720 }] });
    expect(sunday.toIso(600)).toBe('2026-10-25T09:00:00.000+01:00');
  });

  it('intersects sorted window lists', () => {
    expect(
      intersectWindows(
        [
          { start: 0, end: 10 },
          { start: 20, end: 30 },
        ],
        [{ start: 5, end: 25 }],
      ),
    ).toEqual([
      { start: 5, end: 10 },
      { start: 20, end: 25 },
    ]);
  });
});

describe('the day’s plan with site calendars', () => {
  const tech: TechnicianDay = {
    id: 't1',
    name: 'Karim Benali',
    homeLatitude: 48.8589,
    homeLongitude: 2.3799,
    hourlyCostCents: 4200,
    maxOvertimeMinutes: 60,
    rating: 4.8,
    skills: [{ skill: 'network_configuration', level: 5 }],
    shift: { startsAt: '08:00:00', endsAt: '17:30:00', lunchEarliest: '12:00:00', lunchLatest: '14:00:00', lunchMinutes: 45 },
    absences: [],
  };
  const request = (requestId: string, site: SiteCalendar): OpenRequest => ({
    requestId,
    ticketNumber: `INT-2026-${requestId}`,
    title: 'Switch HS',
    companyName: 'Cabinet Lefèvre',
    siteName: 'Paris 8e',
    serviceType: 'network_configuration',
    priority: 'P3',
    supportLevel: 1,
    latitude: 48.8727,
    longitude: 2.3167,
    responseDueAt: null,
    resolutionDueAt: null,
    site,
  });

  it('plans inside the opening hours (whole visit, slowest level) and leaves a closed site unassigned with its reason', async () => {
    const closedSite = { ...OFFICE, closures: [{ startsOn: '2026-11-23', endsOn: '2026-11-23', reason: null }] };
    const requests = [request('000001', OFFICE), request('000002', closedSite)];
    const day = buildDayProblem('2026-11-23', [tech], requests);
    // network_configuration: 120 min at the reference level, 156 min at level 1 (× 1.3).
    expect(day.problem.visits[0]!.timeWindows).toEqual([
      { start: 510, end: 564 },
      { start: 840, end: 924 },
    ]);
    expect(day.problem.visits[1]!.timeWindows).toEqual([]);
    const result = await solve(day.problem, { seed: 1, stop: maxIterations(2000) });
    const plan = describePlan('2026-11-23', [tech], requests, result, new Set(), day.closed);
    expect(plan.routes[0]!.stops.map((s) => s.requestId)).toEqual(['000001']);
    const start = DateTime.fromISO(plan.routes[0]!.stops[0]!.start).setZone('Europe/Paris');
    expect(start.toFormat('HH:mm') >= '08:30').toBe(true);
    expect(plan.unassigned).toEqual([
      expect.objectContaining({
        requestId: '000002',
        reason: 'SITE_CLOSED',
        message: { en: 'The site is closed on Monday 23 November 2026.', fr: 'Le site est fermé le lundi 23 novembre 2026.' },
      }),
    ]);
  });
});
