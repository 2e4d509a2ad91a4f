/**
 * iCalendar objects the technicians receive (shared by the invites of activities/ and the feed of api/): the invite of one visit (METHOD:REQUEST or CANCEL)
 * and the subscription feed of their next days. One event per visit: UID
 * `<request id>@intervention-platform`, SEQUENCE from visit_invites, times in Europe/Paris with
 * its VTIMEZONE, DTSTAMP in UTC.
 */
import ical, { ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { DateTime } from 'luxon';

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
  /** Invites only: a subscribed feed has no organizer. */
  organizer?: { name: string; email: string };
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
    ...(people.organizer ? { organizer: people.organizer } : {}),
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
