/**
 * A visit's allowed start times on the day being planned, from the facts of the world: the site's
 * opening hours of that weekday (several ranges a day), its closure dates, the appointment window
 * the client asked for or accepted, and the SLA's latest start. Times are minutes after Paris
 * midnight of the day (the DayClock follows DST: 23- and 25-hour days). Pure; unit-tested.
 *
 * A window bounds the *start* of service, and the visit must also end before the range closes:
 * a range [opens, closes) allows starts in [opens, closes − longest duration], where the longest
 * duration is the one of the slowest technician allowed to do it (see `longestMinutes`).
 *
 * The SLA's latest start narrows the windows only when something is left: a visit whose deadline
 * is already out of reach that day is still better done as early as possible than not at all
 * (the optimizer's soft SLA target keeps pushing it early).
 */
import type { TimeWindow } from '../../optimizer/index.js';
import { wallClock, type DayClock } from './day-problem.js';

/** A site's calendar as the admin screens store it (weekday: ISO, 1 = Monday; times 'HH:MM[:SS]'). */
export interface SiteCalendar {
  openingHours: ReadonlyArray<{ weekday: number; opensAt: string; closesAt: string }>;
  /** Inclusive date ranges (YYYY-MM-DD) when the site is closed. */
  closures: ReadonlyArray<{ startsOn: string; endsOn: string; reason: string | null }>;
}

export interface VisitWindowInput {
  /** The site's calendar; absent, or without any opening hours recorded: open all day. */
  site?: SiteCalendar;
  /** The slot the client asked for or accepted. */
  appointment?: { from: Date; to: Date } | null;
  /** The SLA's latest start of service. */
  latestStart?: Date | null;
  /** Longest time on site (minutes) among the technicians who may do the visit. */
  longestMinutes: number;
  /** The earliest a technician can start anything that day (first shift start, or now): minutes. */
  earliest?: number;
}

/** Why a visit has no possible start that day. */
export type ClosedReason = 'SITE_CLOSED' | 'CLOSED_THAT_WEEKDAY' | 'OPENING_TOO_SHORT' | 'APPOINTMENT_OUTSIDE_OPENING_HOURS';

export type VisitWindows =
  /** `windows` undefined: any time of the shift. */
  { open: true; windows?: TimeWindow[] } | { open: false; reason: ClosedReason; message: { en: string; fr: string } };

const WEEKDAY = {
  en: ['', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'],
  fr: ['', 'le lundi', 'le mardi', 'le mercredi', 'le jeudi', 'le vendredi', 'le samedi', 'le dimanche'],
} as const;

function closed(reason: ClosedReason, message: { en: string; fr: string }): VisitWindows {
  return { open: false, reason, message };
}

/** Intersection of two sorted lists of disjoint windows. */
export function intersectWindows(a: readonly TimeWindow[], b: readonly TimeWindow[]): TimeWindow[] {
  const out: TimeWindow[] = [];
  for (const x of a)
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (end >= start) out.push({ start, end });
    }
  return out.sort((p, q) => p.start - q.start);
}

export function visitWindows(clock: DayClock, input: VisitWindowInput): VisitWindows {
  const site = input.site;
  const closure = site?.closures.find((c) => c.startsOn <= clock.date && clock.date <= c.endsOn);
  if (closure) {
    const why = closure.reason ? ` (${closure.reason})` : '';
    const day = (locale: string) => clock.midnight.setLocale(locale).toFormat('cccc d LLLL yyyy');
    return closed('SITE_CLOSED', {
      en: `The site is closed on ${day('en-GB')}${why}.`,
      fr: `Le site est fermé le ${day('fr')}${why}.`,
    });
  }

  // Opening ranges of the day → allowed starts (the visit must end before closing time).
  let windows: TimeWindow[] | undefined;
  if (site && site.openingHours.length > 0) {
    const weekday = clock.midnight.weekday;
    const ranges = site.openingHours
      .filter((h) => h.weekday === weekday)
      .map((h) => ({ start: wallClock(clock, h.opensAt), end: wallClock(clock, h.closesAt) }))
      .sort((p, q) => p.start - q.start);
    if (ranges.length === 0) {
      return closed('CLOSED_THAT_WEEKDAY', {
        en: `The site is closed on ${WEEKDAY.en[weekday]}.`,
        fr: `Le site est fermé ${WEEKDAY.fr[weekday]}.`,
      });
    }
    windows = ranges.map((r) => ({ start: r.start, end: r.end - input.longestMinutes })).filter((w) => w.end >= w.start);
    if (windows.length === 0) {
      return closed('OPENING_TOO_SHORT', {
        en: `The site's opening hours that day are too short for a ${Math.round(input.longestMinutes)}-minute visit.`,
        fr: `Les horaires d'ouverture du site ce jour-là sont trop courts pour une intervention de ${Math.round(input.longestMinutes)} minutes.`,
      });
    }
  }

  // The appointment: the whole visit within the slot.
  if (input.appointment) {
    const slot = { start: clock.toMinutes(input.appointment.from), end: clock.toMinutes(input.appointment.to) - input.longestMinutes };
    const next = windows ? intersectWindows(windows, [slot]) : slot.end >= slot.start ? [slot] : [];
    if (next.length === 0) {
      return closed('APPOINTMENT_OUTSIDE_OPENING_HOURS', {
        en: 'The appointment slot does not fit within the site’s opening hours that day.',
        fr: "Le créneau du rendez-vous ne tient pas dans les horaires d'ouverture du site ce jour-là.",
      });
    }
    windows = next;
  }

  // The SLA's latest start, when it leaves something (see the file's comment).
  if (input.latestStart) {
    const earliest = input.earliest ?? 0;
    const cap = { start: -Infinity, end: clock.toMinutes(input.latestStart) };
    const capped = windows ? intersectWindows(windows, [cap]) : [{ start: 0, end: cap.end }];
    if (capped.some((w) => w.end >= earliest)) windows = capped;
  }
  return windows ? { open: true, windows } : { open: true };
}
