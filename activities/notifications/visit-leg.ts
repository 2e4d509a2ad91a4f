/**
 * The leg to a visit from the previous stop of the technician's stored plan route (or home), and
 * a directions link through the day's waypoints, for the technician's invite.
 */
import { DateTime } from 'luxon';
import { legTime } from '../../optimizer/index.js';
import { CALENDAR_TIMEZONE } from '../../platform/calendar.js';

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
