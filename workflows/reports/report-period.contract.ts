/**
 * The period a scheduled report covers: the calendar week (Monday to Sunday) or month that ended
 * last, in Europe/Paris, whatever the instant the schedule fired at. Pure (Intl only), so the
 * workflow, the activities and the tests compute the same period.
 */

export type ReportPeriodKind = 'weekly' | 'monthly';

export interface ReportPeriod {
  kind: ReportPeriodKind;
  /** First day of the period (YYYY-MM-DD, Paris calendar). */
  start: string;
  /** The day after its last day (exclusive end). */
  end: string;
  /** Paris midnight of `start` and of `end`, as ISO instants: the bounds the figures are computed over. */
  from: string;
  to: string;
}

export const REPORT_TIME_ZONE = 'Europe/Paris';

const DAY = 86_400_000;

let parts: Intl.DateTimeFormat | undefined;
function formatter(): Intl.DateTimeFormat {
  parts ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: REPORT_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return parts;
}

/** The Paris wall clock of an instant, read as if it were UTC (milliseconds). */
function wallClock(ms: number): number {
  const p = Object.fromEntries(
    formatter()
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
}

/** The Paris calendar date of an instant. */
export function parisDate(instant: Date): string {
  return new Date(wallClock(instant.getTime())).toISOString().slice(0, 10);
}

/** The instant of midnight in Paris on a calendar date (never ambiguous: the clocks change at 02:00/03:00). */
export function parisMidnight(date: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // Paris is ahead of UTC (by 1 or 2 hours): midnight there is that much before midnight UTC.
  let instant = utcMidnight - (wallClock(utcMidnight) - utcMidnight);
  const offset = wallClock(instant) - instant;
  instant = utcMidnight - offset;
  return new Date(instant);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The week (Monday–Sunday) or month before the one `at` falls in, in Paris. */
export function periodJustEnded(kind: ReportPeriodKind, at: Date): ReportPeriod {
  const today = parisDate(at);
  let start: string;
  let end: string;
  if (kind === 'weekly') {
    const isoWeekday = ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    end = addDays(today, 1 - isoWeekday);
    start = addDays(end, -7);
  } else {
    const [y, m] = today.split('-').map(Number) as [number, number];
    end = `${today.slice(0, 7)}-01`;
    start = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10);
  }
  return { kind, start, end, from: parisMidnight(start).toISOString(), to: parisMidnight(end).toISOString() };
}
