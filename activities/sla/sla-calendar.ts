/**
 * SLA calendar arithmetic, pure: business-hours or 24/7 coverage, in the contract's time zone
 * (luxon, so a DST change moves wall-clock hours, not elapsed minutes), skipping public holidays.
 * The holiday lookup is injected (see french-holidays.ts) so this module stays light and testable;
 * it runs in activities, never in the workflow bundle.
 */
import { DateTime } from 'luxon';

export type Coverage = 'business_hours' | '24_7';

export interface BusinessHours {
  /** ISO weekdays open (1 = Monday … 7 = Sunday). */
  weekdays: readonly number[];
  /** Opening and closing time, minutes after local midnight. */
  opensAt: number;
  closesAt: number;
}

/** Support desk hours of the seed: Monday to Friday, 9:00–18:00. */
export const DEFAULT_BUSINESS_HOURS: BusinessHours = { weekdays: [1, 2, 3, 4, 5], opensAt: 9 * 60, closesAt: 18 * 60 };

export interface SlaCalendar {
  coverage: Coverage;
  timezone: string;
  hours?: BusinessHours;
  /** true when the local date (yyyy-MM-dd) is a public holiday. */
  isHoliday?: (isoDate: string) => boolean;
}

const MINUTE = 60_000;

/** The open windows [start, end) of one local day, as UTC instants. */
function openWindow(day: DateTime, cal: SlaCalendar): [DateTime, DateTime] | null {
  const hours = cal.hours ?? DEFAULT_BUSINESS_HOURS;
  if (!hours.weekdays.includes(day.weekday)) return null;
  if (cal.isHoliday?.(day.toISODate()!)) return null;
  const midnight = day.startOf('day');
  // Set wall-clock hour/minute (not "midnight + n minutes"): on DST days the two differ.
  const open = midnight.set({ hour: Math.floor(hours.opensAt / 60), minute: hours.opensAt % 60 });
  const close = midnight.set({ hour: Math.floor(hours.closesAt / 60), minute: hours.closesAt % 60 });
  return [open, close];
}

/** The instant `minutes` of covered time after `start`. */
export function addCoveredMinutes(start: Date, minutes: number, cal: SlaCalendar): Date {
  if (minutes < 0) throw new RangeError('minutes must be >= 0');
  if (cal.coverage === '24_7') return new Date(start.getTime() + minutes * MINUTE);
  let remaining = minutes * MINUTE;
  let cursor = DateTime.fromJSDate(start, { zone: cal.timezone });
  // Ten years of closed days would be a misconfigured calendar, not a deadline.
  for (let i = 0; i < 3660; i += 1) {
    const window = openWindow(cursor, cal);
    if (window) {
      const [open, close] = window;
      const from = cursor < open ? open : cursor;
      if (from < close) {
        const available = close.toMillis() - from.toMillis();
        if (remaining <= available) return new Date(from.toMillis() + remaining);
        remaining -= available;
      }
    }
    cursor = cursor.plus({ days: 1 }).startOf('day');
  }
  throw new RangeError('no business hours within ten years: check the calendar');
}

/** Covered minutes between two instants (0 when end <= start). */
export function coveredMinutesBetween(start: Date, end: Date, cal: SlaCalendar): number {
  if (end <= start) return 0;
  if (cal.coverage === '24_7') return (end.getTime() - start.getTime()) / MINUTE;
  let total = 0;
  let cursor = DateTime.fromJSDate(start, { zone: cal.timezone });
  const stop = DateTime.fromJSDate(end, { zone: cal.timezone });
  while (cursor < stop) {
    const window = openWindow(cursor, cal);
    if (window) {
      const from = cursor < window[0] ? window[0] : cursor;
      const to = stop < window[1] ? stop : window[1];
      if (to > from) total += to.toMillis() - from.toMillis();
    }
    cursor = cursor.plus({ days: 1 }).startOf('day');
  }
  return total / MINUTE;
}

export interface SlaTargets {
  responseMinutes: number;
  resolutionMinutes: number;
}

export interface SlaDeadlines {
  responseDueAt: string;
  resolutionDueAt: string;
}

/**
 * Response and resolution deadlines from the contract's targets. `timeScale` (1 in production)
 * shrinks covered time so tests can run an SLA of "minutes" in seconds: the deadline is the
 * calendar deadline brought closer to `start` by that factor.
 */
export function slaDeadlines(start: Date, targets: SlaTargets, cal: SlaCalendar, timeScale = 1): SlaDeadlines {
  const scale = (due: Date) => new Date(start.getTime() + (due.getTime() - start.getTime()) * timeScale);
  return {
    responseDueAt: scale(addCoveredMinutes(start, targets.responseMinutes, cal)).toISOString(),
    resolutionDueAt: scale(addCoveredMinutes(start, targets.resolutionMinutes, cal)).toISOString(),
  };
}

/**
 * Deadlines after a pause (waiting for the client): the covered time that was left when the
 * clock stopped is counted again from the moment it restarts.
 */
export function resumeDeadline(dueAt: Date, pausedAt: Date, resumedAt: Date, cal: SlaCalendar, timeScale = 1): Date {
  if (timeScale !== 1) {
    // Scaled (test) clocks run on elapsed time: shift by the length of the pause.
    return new Date(dueAt.getTime() + Math.max(0, resumedAt.getTime() - pausedAt.getTime()));
  }
  const left = coveredMinutesBetween(pausedAt, dueAt, cal);
  return addCoveredMinutes(resumedAt, left, cal);
}
