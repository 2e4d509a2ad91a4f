/**
 * The day as the optimizer needs it, read from the database: the active technicians (skills,
 * shift, absences), the requests to plan and the visits under way or done that day.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  listOnSiteCheckIns,
  listRequestsToPlan,
  loadSiteCalendars,
  loadTechnicianDays,
  type DayBounds,
} from '../../db/repositories/dispatch.repository.js';
import { dayClock, type OpenRequest, type TechnicianDay } from './day-problem.js';
import type { SiteCalendar } from './visit-windows.js';

/** The day's bounds in Europe/Paris. */
function boundsOf(date: string): DayBounds {
  const clock = dayClock(date);
  return { from: clock.midnight.toJSDate(), to: clock.midnight.plus({ days: 1 }).toJSDate(), weekday: clock.midnight.weekday };
}

/** The part of an OpenRequest both loaders fill the same way (coordinates are filtered non-null). */
function visitOf(r: {
  requestId: string;
  locationId: string;
  ticketNumber: string;
  title: string;
  companyName: string;
  siteName: string;
  serviceType: OpenRequest['serviceType'];
  priority: OpenRequest['priority'];
  supportLevel: OpenRequest['supportLevel'];
  latitude: number | null;
  longitude: number | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  appointmentFrom: Date | null;
  appointmentTo: Date | null;
  premium: boolean;
  requiredCertifications: string[];
}) {
  return {
    requestId: r.requestId,
    ticketNumber: r.ticketNumber,
    title: r.title,
    companyName: r.companyName,
    siteName: r.siteName,
    serviceType: r.serviceType,
    priority: r.priority,
    supportLevel: r.supportLevel,
    latitude: r.latitude!,
    longitude: r.longitude!,
    responseDueAt: r.responseDueAt,
    resolutionDueAt: r.resolutionDueAt,
    // The client's appointment: the whole visit inside it (on another day, the visit is closed that day).
    ...(r.appointmentFrom && r.appointmentTo ? { appointment: { from: r.appointmentFrom, to: r.appointmentTo } } : {}),
    ...(r.premium ? { premium: true } : {}),
    ...(r.requiredCertifications.length ? { requiredCertifications: r.requiredCertifications } : {}),
  };
}

async function loadTechnicians(db: Kysely<DB>, date: string): Promise<TechnicianDay[]> {
  const { technicians, skills, certifications, shifts, absences } = await loadTechnicianDays(db, boundsOf(date));
  return technicians.map((t) => {
    const shift = shifts.find((s) => s.technicianId === t.id);
    return {
      id: t.id,
      name: `${t.firstName} ${t.lastName}`,
      homeLatitude: t.homeLatitude,
      homeLongitude: t.homeLongitude,
      hourlyCostCents: t.hourlyCostCents,
      maxOvertimeMinutes: t.maxOvertimeMinutes,
      rating: t.rating === null ? null : Number(t.rating),
      skills: skills.filter((s) => s.technicianId === t.id).map((s) => ({ skill: s.skill, level: s.level })),
      certifications: certifications
        .filter((c) => c.technicianId === t.id)
        .map((c) => ({ name: c.name, obtainedOn: c.obtainedOn, expiresOn: c.expiresOn })),
      shift: shift
        ? {
            startsAt: shift.startsAt,
            endsAt: shift.endsAt,
            lunchEarliest: shift.lunchEarliest,
            lunchLatest: shift.lunchLatest,
            lunchMinutes: shift.lunchMinutes,
          }
        : null,
      absences: absences.filter((a) => a.technicianId === t.id).map((a) => ({ startsAt: a.startsAt, endsAt: a.endsAt })),
    };
  });
}

async function loadOpenRequests(db: Kysely<DB>, date: string): Promise<Array<OpenRequest & { locationId: string }>> {
  const rows = await listRequestsToPlan(db, boundsOf(date));
  return rows.map((r) => ({
    ...visitOf(r),
    locationId: r.locationId,
    // Confirmed visits of the day are kept where they are (dispatcher pins or already booked).
    ...(r.pinnedTechnicianId && r.pinnedStart ? { pinned: { technicianId: r.pinnedTechnicianId, start: r.pinnedStart } } : {}),
  }));
}

/**
 * Visits under way or done that day: an on-site check-in that day (the latest per request), with
 * its technician, check-out if any, and the planned length of its assignment. A remote session
 * does not hold the technician at the client's site, so it is not a started visit here.
 */
async function loadStartedVisits(db: Kysely<DB>, date: string): Promise<OpenRequest[]> {
  const rows = await listOnSiteCheckIns(db, boundsOf(date));
  const seen = new Set<string>();
  return rows.flatMap((r) => {
    if (seen.has(r.requestId)) return [];
    seen.add(r.requestId);
    const plannedMinutes =
      r.scheduledStart && r.scheduledEnd ? Math.round((r.scheduledEnd.getTime() - r.scheduledStart.getTime()) / 60_000) : null;
    return [
      {
        ...visitOf(r),
        started: { technicianId: r.technicianId, checkedInAt: r.checkedInAt, checkedOutAt: r.checkedOutAt, plannedMinutes },
      },
    ];
  });
}

/** Each open request's site calendar (opening hours, the day's closures), for its time windows. */
async function withSiteCalendars(db: Kysely<DB>, date: string, requests: Array<OpenRequest & { locationId: string }>) {
  const { openingHours, closures } = await loadSiteCalendars(db, [...new Set(requests.map((r) => r.locationId))], date);
  const calendars = new Map<string, { openingHours: typeof openingHours; closures: typeof closures }>();
  const calendar = (id: string) => calendars.get(id) ?? calendars.set(id, { openingHours: [], closures: [] }).get(id)!;
  for (const h of openingHours) calendar(h.locationId).openingHours.push(h);
  for (const c of closures) calendar(c.locationId).closures.push(c);
  return requests.map(({ locationId, ...r }): OpenRequest => {
    const site: SiteCalendar | undefined = calendars.get(locationId);
    return site ? { ...r, site } : r;
  });
}

/** The day's technicians and visits: open requests, and those under way or done (never re-planned). */
export async function loadDay(db: Kysely<DB>, date: string): Promise<{ technicians: TechnicianDay[]; requests: OpenRequest[] }> {
  const [technicians, open, started] = await Promise.all([
    loadTechnicians(db, date),
    loadOpenRequests(db, date),
    loadStartedVisits(db, date),
  ]);
  const startedIds = new Set(started.map((r) => r.requestId));
  const waiting = await withSiteCalendars(
    db,
    date,
    open.filter((r) => !startedIds.has(r.requestId)),
  );
  return { technicians, requests: [...waiting, ...started] };
}
