import { describe, expect, it } from 'vitest';
import { isPublicHoliday } from './french-holidays.js';
import { addCoveredMinutes, coveredMinutesBetween, resumeDeadline, slaDeadlines, type SlaCalendar } from './sla-calendar.js';

const paris: SlaCalendar = { coverage: 'business_hours', timezone: 'Europe/Paris', isHoliday: (d) => isPublicHoliday(d) };
const allDay: SlaCalendar = { coverage: '24_7', timezone: 'Europe/Paris' };
const at = (iso: string) => new Date(iso);
const add = (iso: string, minutes: number, cal = paris) => addCoveredMinutes(at(iso), minutes, cal).toISOString();

describe('business-hours SLA deadlines (Europe/Paris, 9:00–18:00, French holidays)', () => {
  it('carries the rest of a Friday evening request over the weekend to Monday morning', () => {
    // Friday 20 Nov 2026 17:00 Paris (CET) + 2 h: 1 h on Friday, 1 h from Monday 9:00.
    expect(add('2026-11-20T16:00:00Z', 120)).toBe('2026-11-23T09:00:00.000Z');
  });

  it('starts counting at opening time for a request filed before 9:00', () => {
    expect(add('2026-11-23T05:00:00Z', 30)).toBe('2026-11-23T08:30:00.000Z');
  });

  it('skips 14 July (a Tuesday in 2026)', () => {
    // Monday 13 July 17:30 CEST + 1 h: 30 min on Monday, 30 min on Wednesday 15 July.
    expect(add('2026-07-13T15:30:00Z', 60)).toBe('2026-07-15T07:30:00.000Z');
  });

  it('skips Ascension Thursday (14 May 2026)', () => {
    expect(add('2026-05-13T15:00:00Z', 120)).toBe('2026-05-15T08:00:00.000Z');
  });

  it('opens at 9:00 local time on the Monday after the spring DST change (last Sunday of March)', () => {
    // Friday 27 March 17:00 CET (16:00Z) + 2 h → Monday 30 March 10:00 CEST = 08:00Z, not 09:00Z.
    expect(add('2026-03-27T16:00:00Z', 120)).toBe('2026-03-30T08:00:00.000Z');
  });

  it('opens at 9:00 local time on the Monday after the autumn DST change (last Sunday of October)', () => {
    // Friday 23 October 17:00 CEST (15:00Z) + 2 h → Monday 26 October 10:00 CET = 09:00Z.
    expect(add('2026-10-23T15:00:00Z', 120)).toBe('2026-10-26T09:00:00.000Z');
  });

  it('counts 24/7 coverage in elapsed minutes, straight through a DST night and holidays', () => {
    expect(add('2026-03-28T11:00:00Z', 24 * 60, allDay)).toBe('2026-03-29T11:00:00.000Z');
    expect(add('2026-07-13T15:30:00Z', 60, allDay)).toBe('2026-07-13T16:30:00.000Z');
  });

  it('measures covered minutes between two instants, excluding nights, weekends and holidays', () => {
    expect(coveredMinutesBetween(at('2026-11-20T16:00:00Z'), at('2026-11-23T09:00:00Z'), paris)).toBe(120);
    // Monday 13 July 9:00 → Wednesday 15 July 9:00: only Monday's 9 hours count.
    expect(coveredMinutesBetween(at('2026-07-13T07:00:00Z'), at('2026-07-15T07:00:00Z'), paris)).toBe(9 * 60);
  });

  it('is the inverse of adding covered minutes', () => {
    for (const start of ['2026-03-27T10:17:00Z', '2026-10-23T14:00:00Z', '2026-05-12T16:59:00Z']) {
      for (const minutes of [1, 45, 540, 2400]) {
        const due = addCoveredMinutes(at(start), minutes, paris);
        expect(coveredMinutesBetween(at(start), due, paris)).toBeCloseTo(minutes, 6);
      }
    }
  });
});

describe('SLA pauses and test time scale', () => {
  it('restarts the remaining covered time when the client answers', () => {
    // Due Monday 10:00 (2 h left at the Friday 17:00 pause); the client answers Tuesday 9:00.
    const resumed = resumeDeadline(at('2026-11-23T09:00:00Z'), at('2026-11-20T16:00:00Z'), at('2026-11-24T08:00:00Z'), paris);
    expect(resumed.toISOString()).toBe('2026-11-24T10:00:00.000Z');
  });

  it('computes both deadlines from the targets, and shrinks them by the time scale', () => {
    const start = at('2026-11-23T08:00:00Z');
    expect(slaDeadlines(start, { responseMinutes: 60, resolutionMinutes: 240 }, allDay)).toEqual({
      responseDueAt: '2026-11-23T09:00:00.000Z',
      resolutionDueAt: '2026-11-23T12:00:00.000Z',
    });
    expect(slaDeadlines(start, { responseMinutes: 60, resolutionMinutes: 240 }, allDay, 1 / 60)).toEqual({
      responseDueAt: '2026-11-23T08:01:00.000Z',
      resolutionDueAt: '2026-11-23T08:04:00.000Z',
    });
  });
});
