/**
 * Turns a day's technicians and open requests (plain rows) into the optimizer's Problem, with
 * every time in minutes from midnight Europe/Paris of that day (luxon: DST days are 23 or 25 hours
 * long, and the minutes follow the wall clock's real elapsed time), and maps results back.
 * Pure: no database, no Temporal; unit-tested.
 */
import { DateTime } from 'luxon';
import { DEFAULT_WEIGHTS } from '../../optimizer/index.js';
import type { Priority as VisitPriority, Problem, StartedVisit, Technician, Visit } from '../../optimizer/index.js';
import { visitWindows, type ClosedReason, type SiteCalendar } from './visit-windows.js';

export const PLAN_TIMEZONE = 'Europe/Paris';

/** Typical on-site duration (minutes) per service type at the reference skill level: data. */
export const DEFAULT_DURATIONS: Readonly<Record<string, number>> = {
  hardware_repair: 90,
  software_troubleshooting: 60,
  network_configuration: 120,
  data_recovery: 150,
  security: 120,
  hardware_upgrade: 90,
};

export interface TechnicianDay {
  id: string;
  name: string;
  homeLatitude: number;
  homeLongitude: number;
  hourlyCostCents: number;
  maxOvertimeMinutes: number;
  rating: number | null;
  skills: Array<{ skill: string; level: number }>;
  /** Certifications with their dates; only those valid on the day count (see `validCertifications`). */
  certifications?: Array<{ name: string; obtainedOn: string; expiresOn: string | null }>;
  /** The shift of the day's weekday, or null when the technician does not work that day. */
  shift: { startsAt: string; endsAt: string; lunchEarliest: string | null; lunchLatest: string | null; lunchMinutes: number } | null;
  absences: Array<{ startsAt: Date; endsAt: Date }>;
}

export interface OpenRequest {
  requestId: string;
  ticketNumber: string;
  title: string;
  companyName: string;
  siteName: string;
  serviceType: string;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  supportLevel: number;
  latitude: number;
  longitude: number;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  /** A confirmed assignment of that day: kept with its technician and start (dispatcher pin). */
  pinned?: { technicianId: string; start: Date };
  preferredTechnicianId?: string;
  /** The client's contract is premium: well-rated technicians are preferred. */
  premium?: boolean;
  /** The site's opening hours and closures (absent: open all day). */
  site?: SiteCalendar;
  /** The slot the client asked for or accepted. */
  appointment?: { from: Date; to: Date } | null;
  /** Certifications the service type and the client's contract require. */
  requiredCertifications?: string[];
  /**
   * The visit is under way (checked in, not out) or was done earlier that day: its technician,
   * its check-in, its check-out when done, and the planned minutes of its assignment if it had one.
   */
  started?: { technicianId: string; checkedInAt: Date; checkedOutAt: Date | null; plannedMinutes: number | null };
}

/** What the day's problem needs to know about the moment it is planned (only for today). */
export interface DayNow {
  /** The current instant; nothing new is planned before it. */
  now: Date;
}

export interface DayClock {
  date: string;
  midnight: DateTime;
  toMinutes(at: Date): number;
  toIso(minutes: number): string;
}

export function dayClock(date: string): DayClock {
  const midnight = DateTime.fromISO(date, { zone: PLAN_TIMEZONE }).startOf('day');
  if (!midnight.isValid) throw new Error(`invalid plan date ${date}`);
  return {
    date,
    midnight,
    toMinutes: (at) => Math.round(DateTime.fromJSDate(at).diff(midnight, 'minutes').minutes),
    // Plans are read in whole minutes; rounding up never moves a time before what is feasible.
    toIso: (minutes) => midnight.plus({ minutes: Math.ceil(minutes - 1e-9) }).toISO(),
  };
}

/** 'HH:MM[:SS]' wall-clock time of the day → minutes after midnight, following DST shifts. */
export function wallClock(clock: DayClock, time: string): number {
  const [h, m] = time.split(':').map(Number);
  const at = clock.midnight.set({ hour: h ?? 0, minute: m ?? 0 });
  return Math.round(at.diff(clock.midnight, 'minutes').minutes);
}

const MIN_LEVEL_BY_SUPPORT_LEVEL = [1, 1, 3, 4];

/**
 * Names of the certifications valid on `date` (YYYY-MM-DD): obtained by then and not expired — a
 * certification expiring on the day no longer counts that day (the admin screens' rule).
 */
export function validCertifications(certifications: TechnicianDay['certifications'], date: string): string[] {
  const valid = (certifications ?? []).filter((c) => c.obtainedOn <= date && (c.expiresOn === null || c.expiresOn > date));
  return [...new Set(valid.map((c) => c.name))].sort();
}

/** A visit with no possible start that day, and why (in the dispatcher's words). */
export interface ClosedVisit {
  reason: ClosedReason;
  message: { en: string; fr: string };
}

export function buildDayProblem(
  date: string,
  technicians: readonly TechnicianDay[],
  requests: readonly OpenRequest[],
  durations: Readonly<Record<string, number>> = DEFAULT_DURATIONS,
  at?: DayNow,
): { problem: Problem; clock: DayClock; started: StartedVisit[]; closed: Map<string, ClosedVisit> } {
  const clock = dayClock(date);
  const dayLength = Math.round(clock.midnight.plus({ days: 1 }).diff(clock.midnight, 'minutes').minutes);
  // "Now" only matters on the day itself: a later day starts fresh, an earlier one is history.
  const nowMinutes = at && DateTime.fromJSDate(at.now).setZone(PLAN_TIMEZONE).toISODate() === date ? clock.toMinutes(at.now) : null;
  const durationOf = (r: OpenRequest) => durations[r.serviceType] ?? 90;

  // Visits under way or done are frozen where they happened. One still open past its expected
  // end (check-in + planned duration) is an overrun: it is expected to end now at the earliest.
  const started: StartedVisit[] = requests.flatMap((r) => {
    if (!r.started) return [];
    const start = clock.toMinutes(r.started.checkedInAt);
    const expected = start + (r.started.plannedMinutes ?? durationOf(r));
    const end = r.started.checkedOutAt ? clock.toMinutes(r.started.checkedOutAt) : Math.max(expected, nowMinutes ?? expected);
    return [{ visitId: r.requestId, technicianId: r.started.technicianId, start, end: Math.max(end, start) }];
  });
  const restartAt = new Map<string, number>();
  for (const s of started) restartAt.set(s.technicianId, Math.max(restartAt.get(s.technicianId) ?? -Infinity, s.end));

  const planned: Technician[] = [];
  for (const t of technicians) {
    if (!t.shift) continue;
    const shiftEnd = wallClock(clock, t.shift.endsAt);
    // Today, nobody is sent anywhere before now (the shift is cut to what remains of it).
    const shiftStart = Math.min(shiftEnd, Math.max(wallClock(clock, t.shift.startsAt), nowMinutes ?? -Infinity));
    // A lunch window that closed before the technician is free again (now, or the end of the
    // visit under way) is no longer planned: the optimizer would otherwise find no feasible route.
    const freeAt = Math.max(shiftStart, restartAt.get(t.id) ?? -Infinity);
    const lunch =
      t.shift.lunchEarliest && t.shift.lunchLatest && t.shift.lunchMinutes > 0 && wallClock(clock, t.shift.lunchLatest) >= freeAt
        ? {
            earliestStart: wallClock(clock, t.shift.lunchEarliest),
            latestStart: wallClock(clock, t.shift.lunchLatest),
            duration: t.shift.lunchMinutes,
          }
        : null;
    const absences = t.absences
      .map((a) => ({ start: Math.max(0, clock.toMinutes(a.startsAt)), end: Math.min(dayLength, clock.toMinutes(a.endsAt)) }))
      .filter((a) => a.end > a.start);
    planned.push({
      id: t.id,
      skills: Object.fromEntries(t.skills.map((s) => [s.skill, s.level])),
      shiftStart,
      shiftEnd,
      maxOvertime: t.maxOvertimeMinutes,
      home: { lat: t.homeLatitude, lon: t.homeLongitude },
      ...(lunch ? { lunchBreak: lunch } : {}),
      hourlyCost: t.hourlyCostCents / 100,
      ...(absences.length ? { absences } : {}),
      ...(t.rating !== null ? { rating: t.rating } : {}),
      certifications: validCertifications(t.certifications, date),
    });
  }
  // The earliest anyone can start anything: the SLA's latest start is kept only if it is later.
  const earliest = planned.length ? Math.min(...planned.map((t) => t.shiftStart)) : 0;
  const closed = new Map<string, ClosedVisit>();

  const visits: Visit[] = requests.map((r) => {
    const due = r.resolutionDueAt ?? r.responseDueAt;
    // A booked slot that has already begun without a check-in cannot be kept at its time: the
    // visit stays with its technician and is re-timed after now.
    const pinnedStart = r.pinned && !r.started ? clock.toMinutes(r.pinned.start) : null;
    const keepTime = pinnedStart !== null && (nowMinutes === null || pinnedStart >= nowMinutes);
    const minLevel = MIN_LEVEL_BY_SUPPORT_LEVEL[r.supportLevel] ?? 1;
    // A booked slot is the dispatcher's decision: the SLA does not move it (opening hours do).
    // The whole visit fits in the opening hours whoever does it: at the slowest allowed level.
    const longestMinutes = Math.ceil(durationOf(r) * DEFAULT_WEIGHTS.durationFactorByLevel[minLevel - 1]!);
    const windows = r.started
      ? { open: true as const }
      : visitWindows(clock, { site: r.site, appointment: r.appointment, latestStart: r.pinned ? null : due, longestMinutes, earliest });
    if (!windows.open) closed.set(r.requestId, { reason: windows.reason, message: windows.message });
    return {
      id: r.requestId,
      location: { lat: r.latitude, lon: r.longitude },
      duration: durationOf(r),
      requiredSkills: [{ skill: r.serviceType, minLevel }],
      ...(r.requiredCertifications?.length ? { requiredCertifications: r.requiredCertifications } : {}),
      scaleDurationBySkill: true,
      ...(windows.open ? (windows.windows ? { timeWindows: windows.windows } : {}) : { timeWindows: [] }),
      priority: Number(r.priority.slice(1)) as VisitPriority,
      ...(due ? { slaTarget: Math.max(0, clock.toMinutes(due)) } : {}),
      ...(r.pinned && !r.started ? { pinnedTechnicianId: r.pinned.technicianId, ...(keepTime ? { pinnedStart } : {}) } : {}),
      ...(r.preferredTechnicianId ? { preferredTechnicianId: r.preferredTechnicianId } : {}),
      ...(r.premium ? { premium: true } : {}),
    };
  });
  return { problem: { technicians: planned, visits }, clock, started, closed };
}
