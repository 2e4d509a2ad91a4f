/**
 * The period a scheduled report covers is the Paris calendar week (Monday–Sunday) or month that
 * ended last, bounded by Paris midnights, whatever the instant (and the clock change) it fires at.
 */
import { describe, expect, it } from 'vitest';
import { parisDate, parisMidnight, periodJustEnded } from './report-period.contract.js';

const HOUR = 3_600_000;

describe('periodJustEnded', () => {
  it('covers the previous Monday to Sunday when the schedule fires on Monday 06:00 in Paris (winter, UTC+1)', () => {
    const period = periodJustEnded('weekly', new Date('2026-11-30T05:00:00Z'));
    expect(period).toEqual({
      kind: 'weekly',
      start: '2026-11-23',
      end: '2026-11-30',
      from: '2026-11-22T23:00:00.000Z',
      to: '2026-11-29T23:00:00.000Z',
    });
  });

  it('reads the date in Paris: Sunday 23:30 UTC is already Monday there, so the week just ended is the one before', () => {
    // 2026-11-29T23:30Z is Monday 00:30 in Paris.
    expect(periodJustEnded('weekly', new Date('2026-11-29T23:30:00Z')).start).toBe('2026-11-23');
    // One hour earlier it is still Sunday in Paris: the week that ended is the one before that.
    expect(periodJustEnded('weekly', new Date('2026-11-29T22:30:00Z')).start).toBe('2026-11-16');
  });

  it('gives the week of the spring clock change 167 hours (Sunday 29 March 2026 lost an hour)', () => {
    const period = periodJustEnded('weekly', new Date('2026-03-30T04:00:00Z'));
    expect(period.start).toBe('2026-03-23');
    expect(period.from).toBe('2026-03-22T23:00:00.000Z');
    expect(period.to).toBe('2026-03-29T22:00:00.000Z');
    expect((Date.parse(period.to) - Date.parse(period.from)) / HOUR).toBe(167);
  });

  it('gives the week of the autumn clock change 169 hours (Sunday 25 October 2026 gained an hour)', () => {
    const period = periodJustEnded('weekly', new Date('2026-10-26T05:00:00Z'));
    expect(period.start).toBe('2026-10-19');
    expect(period.from).toBe('2026-10-18T22:00:00.000Z');
    expect(period.to).toBe('2026-10-25T23:00:00.000Z');
    expect((Date.parse(period.to) - Date.parse(period.from)) / HOUR).toBe(169);
  });

  it('covers the previous calendar month, leap February included', () => {
    const feb = periodJustEnded('monthly', new Date('2028-03-01T05:30:00Z'));
    expect(feb).toEqual({
      kind: 'monthly',
      start: '2028-02-01',
      end: '2028-03-01',
      from: '2028-01-31T23:00:00.000Z',
      to: '2028-02-29T23:00:00.000Z',
    });
  });

  it('crosses the year: on 1 January the month just ended is December', () => {
    const dec = periodJustEnded('monthly', new Date('2027-01-01T05:30:00Z'));
    expect([dec.start, dec.end]).toEqual(['2026-12-01', '2027-01-01']);
    expect(dec.from).toBe('2026-11-30T23:00:00.000Z');
  });

  it('bounds March by two different offsets (UTC+1 at its start, UTC+2 at its end)', () => {
    const march = periodJustEnded('monthly', new Date('2026-04-01T04:30:00Z'));
    expect(march.from).toBe('2026-02-28T23:00:00.000Z');
    expect(march.to).toBe('2026-03-31T22:00:00.000Z');
    expect((Date.parse(march.to) - Date.parse(march.from)) / HOUR).toBe(31 * 24 - 1);
  });

  it('a month fired late in the month still means the month before (a catch-up run)', () => {
    expect(periodJustEnded('monthly', new Date('2026-05-31T21:00:00Z')).start).toBe('2026-04-01');
    // 31 May 22:30 UTC is already 1 June in Paris (UTC+2).
    expect(periodJustEnded('monthly', new Date('2026-05-31T22:30:00Z')).start).toBe('2026-05-01');
  });
});

describe('Paris dates', () => {
  it('finds midnight on both sides of a clock change', () => {
    expect(parisMidnight('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(parisMidnight('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(parisMidnight('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(parisMidnight('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('reads the calendar date in Paris', () => {
    expect(parisDate(new Date('2026-06-30T22:15:00Z'))).toBe('2026-07-01');
    expect(parisDate(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
    expect(parisDate(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });
});
