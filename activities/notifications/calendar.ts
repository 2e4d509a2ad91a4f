/**
 * iCalendar objects the technicians receive: the invite of one visit (METHOD:REQUEST or CANCEL)
 * and the subscription feed of their next days. One event per visit: UID
 * `<request id>@intervention-platform`, SEQUENCE from visit_invites, times in Europe/Paris with
 * its VTIMEZONE, DTSTAMP in UTC.
 */
import ical, { ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { DateTime } from 'luxon';
import { legTime } from '../../optimizer/index.js';

export const CALENDAR_TIMEZONE = 'Europe/Paris';

/**
 * Europe/Paris since 1996 (EU rules: last Sunday of March 01:00 UTC, last Sunday of October
 * 01:00 UTC). Written out because ical-generator only references a zone by name.
 */
const PARIS_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'X-LIC-LOCATION:Europe/Paris',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

export function visitUid(requestId: string): string {
  return `${requestId}@intervention-platform`;
}

export interface CalendarVisit {
  requestId: string;
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  cancelled?: boolean;
}

export interface CalendarPeople {
  organizer: { name: string; email: string };
  attendee?: { name: string; email: string };
}

const paris = (d: Date) => DateTime.fromJSDate(d, { zone: CALENDAR_TIMEZONE });
const utcStamp = (d: Date) => DateTime.fromJSDate(d, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");

function calendarOf(name: string, method: ICalCalendarMethod | null): ICalCalendar {
  const calendar = ical({ name, prodId: { company: 'intervention-platform', product: 'calendar', language: 'FR' } });
  if (method) calendar.method(method);
  calendar.timezone({ name: CALENDAR_TIMEZONE, generator: () => PARIS_VTIMEZONE });
  return calendar;
}

function addVisit(calendar: ICalCalendar, v: CalendarVisit, people: CalendarPeople): void {
  calendar.createEvent({
    id: visitUid(v.requestId),
    sequence: v.sequence,
    start: paris(v.start),
    end: paris(v.end),
    timezone: CALENDAR_TIMEZONE,
    summary: v.summary,
    ...(v.description ? { description: v.description } : {}),
    ...(v.location ? { location: v.location } : {}),
    ...(v.url ? { url: v.url } : {}),
    ...(v.cancelled ? { status: ICalEventStatus.CANCELLED } : {}),
    organizer: people.organizer,
    ...(people.attendee ? { attendees: [people.attendee] } : {}),
  });
}

/**
 * The text of the calendar. ical-generator writes DTSTAMP in the calendar's zone without a zone
 * marker (a floating time, which RFC 5545 forbids for DTSTAMP): it is rewritten here in UTC.
 */
function render(calendar: ICalCalendar, stamp: Date): string {
  return calendar.toString().replace(/^DTSTAMP:.*$/gm, `DTSTAMP:${utcStamp(stamp)}`);
}

/** An invite of one visit to one technician: METHOD:REQUEST, or CANCEL (same UID, higher SEQUENCE). */
export function visitInvite(method: 'REQUEST' | 'CANCEL', visit: CalendarVisit, people: CalendarPeople, stamp: Date): string {
  const calendar = calendarOf('Interventions', method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL);
  addVisit(calendar, { ...visit, cancelled: method === 'CANCEL' }, people);
  return render(calendar, stamp);
}

/** A technician's subscription feed (no METHOD: a published calendar, X-WR-CALNAME for its name). */
export function technicianFeed(name: string, visits: readonly CalendarVisit[], people: CalendarPeople, stamp: Date): string {
  const calendar = calendarOf(name, null);
  calendar.ttl(15 * 60);
  for (const v of visits) addVisit(calendar, v, people);
  return render(calendar, stamp);
}

// ---- The leg from the previous stop, read from the stored plan ----

interface PlanPoint {
  lat: number;
  lon: number;
}
export interface StoredRoute {
  technicianId: string;
  home: PlanPoint;
  departure: string;
  stops: Array<{ requestId: string; ticketNumber: string; siteName: string; lat: number; lon: number; start: string; end: string }>;
}

export interface Leg {
  /** null: from the technician's home (first visit of the day). */
  from: { ticketNumber: string; siteName: string } | null;
  /** When to leave the previous place (ISO). */
  departure: string;
  km: number;
  minutes: number;
  /** Home, every stop of the day, home: a directions link through them. */
  mapUrl: string;
}

/** Google Maps directions through the day's waypoints (home → stops → home), driving. */
export function directionsUrl(points: readonly PlanPoint[]): string {
  const at = (p: PlanPoint) => `${p.lat},${p.lon}`;
  const origin = points[0]!;
  const destination = points[points.length - 1]!;
  const middle = points.slice(1, -1);
  const params = new URLSearchParams({ api: '1', origin: at(origin), destination: at(destination), travelmode: 'driving' });
  if (middle.length) params.set('waypoints', middle.map(at).join('|'));
  return `https://www.google.com/maps/dir/?${params.toString()}`;
}

/**
 * The leg to `requestId` on the technician's planned route: from the previous stop (or home),
 * leaving so as to arrive at the start, timed by the zone speed model at that hour.
 */
export function legOf(route: StoredRoute, requestId: string): Leg | null {
  const i = route.stops.findIndex((s) => s.requestId === requestId);
  if (i < 0) return null;
  const stop = route.stops[i]!;
  const previous = i > 0 ? route.stops[i - 1]! : null;
  const origin = previous ? { lat: previous.lat, lon: previous.lon } : route.home;
  const leaveAt = DateTime.fromISO(previous ? previous.end : route.departure, { zone: CALENDAR_TIMEZONE });
  const leg = legTime(origin, { lat: stop.lat, lon: stop.lon }, leaveAt.hour * 60 + leaveAt.minute);
  const minutes = Math.round(leg.minutes);
  // Leave in time to be there at the start (never before the previous visit ends).
  const latest = DateTime.fromISO(stop.start).minus({ minutes });
  const departure = previous && latest < leaveAt ? leaveAt : latest;
  return {
    from: previous ? { ticketNumber: previous.ticketNumber, siteName: previous.siteName } : null,
    departure: departure.toUTC().toISO()!,
    km: Math.round(leg.km * 10) / 10,
    minutes,
    mapUrl: directionsUrl([route.home, ...route.stops.map((s) => ({ lat: s.lat, lon: s.lon })), route.home]),
  };
}
