/**
 * Turns a day's technicians and open requests (plain rows) into the optimizer's Problem, with
 * every time in minutes from midnight Europe/Paris of that day (luxon: DST days are 23 or 25 hours
 * long, and the minutes follow the wall clock's real elapsed time), and maps results back.
 * Pure: no database, no Temporal; unit-tested.
 */
import { DateTime } from 'luxon';
import type { Priority as VisitPriority, Problem, Technician, Visit } from '../../optimizer/index.js';

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
    toIso: (minutes) => midnight.plus({ minutes: Math.ceil(minutes - 1e-9) }).toISO()!,
  };
}

/** 'HH:MM[:SS]' wall-clock time of the day → minutes after midnight, following DST shifts. */
export function wallClock(clock: DayClock, time: string): number {
  const [h, m] = time.split(':').map(Number);
  const at = clock.midnight.set({ hour: h ?? 0, minute: m ?? 0 });
  return Math.round(at.diff(clock.midnight, 'minutes').minutes);
}

const MIN_LEVEL_BY_SUPPORT_LEVEL = [1, 1, 3, 4];

export function buildDayProblem(
  date: string,
  technicians: readonly TechnicianDay[],
  requests: readonly OpenRequest[],
  durations: Readonly<Record<string, number>> = DEFAULT_DURATIONS,
): { problem: Problem; clock: DayClock } {
  const clock = dayClock(date);
  const dayLength = Math.round(clock.midnight.plus({ days: 1 }).diff(clock.midnight, 'minutes').minutes);

  const planned: Technician[] = [];
  for (const t of technicians) {
    if (!t.shift) continue;
    const shiftStart = wallClock(clock, t.shift.startsAt);
    const shiftEnd = wallClock(clock, t.shift.endsAt);
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
      ...(t.shift.lunchEarliest && t.shift.lunchLatest && t.shift.lunchMinutes > 0
        ? {
            lunchBreak: {
              earliestStart: wallClock(clock, t.shift.lunchEarliest),
              latestStart: wallClock(clock, t.shift.lunchLatest),
              duration: t.shift.lunchMinutes,
            },
          }
        : {}),
      hourlyCost: t.hourlyCostCents / 100,
      ...(absences.length ? { absences } : {}),
      ...(t.rating !== null ? { rating: t.rating } : {}),
    });
  }

  const visits: Visit[] = requests.map((r) => {
    const due = r.resolutionDueAt ?? r.responseDueAt;
    return {
      id: r.requestId,
      location: { lat: r.latitude, lon: r.longitude },
      duration: durations[r.serviceType] ?? 90,
      requiredSkills: [{ skill: r.serviceType, minLevel: MIN_LEVEL_BY_SUPPORT_LEVEL[r.supportLevel] ?? 1 }],
      scaleDurationBySkill: true,
      priority: Number(r.priority.slice(1)) as VisitPriority,
      ...(due ? { slaTarget: Math.max(0, clock.toMinutes(due)) } : {}),
      ...(r.pinned ? { pinnedTechnicianId: r.pinned.technicianId, pinnedStart: clock.toMinutes(r.pinned.start) } : {}),
      ...(r.preferredTechnicianId ? { preferredTechnicianId: r.preferredTechnicianId } : {}),
    };
  });
  return { problem: { technicians: planned, visits }, clock };
}
