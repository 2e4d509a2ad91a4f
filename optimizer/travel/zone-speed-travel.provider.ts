import type { GeoPoint } from '../model/problem.types.js';
import type { TravelMatrices, TravelTimeProvider } from './travel-time-provider.js';

/**
 * Offline road travel times for Île-de-France: great-circle distance × a detour factor, driven at
 * a speed that depends on the zone (Paris intra-muros, petite couronne, grande couronne, by the
 * distance from Notre-Dame) and the time of day (rush hours, night). The calibration and its
 * sources are in docs/travel.md.
 */

export type Zone = 'paris' | 'petite_couronne' | 'grande_couronne';
export type Period = 'night' | 'morning_rush' | 'day' | 'evening_rush';

/** Notre-Dame de Paris, point zéro des routes de France. */
export const PARIS_CENTRE: GeoPoint = { lat: 48.8534, lon: 2.3488 };

export interface ZoneSpeedModel {
  /** Outer radius (km from Notre-Dame) of Paris intra-muros and of the petite couronne. */
  readonly parisRadiusKm: number;
  readonly petiteCouronneRadiusKm: number;
  /** Road speed (km/h) per zone and period. */
  readonly speedKmh: Readonly<Record<Zone, Readonly<Record<Period, number>>>>;
  /** Rush hours, minutes after midnight: [start, end). */
  readonly morningRush: readonly [number, number];
  readonly eveningRush: readonly [number, number];
  /** Outside [dayStart, dayEnd) it is night. */
  readonly dayStart: number;
  readonly dayEnd: number;
  /** Road distance / great-circle distance. */
  readonly detourFactor: number;
}

/** See docs/travel.md for where each figure comes from. */
export const ILE_DE_FRANCE_SPEEDS: ZoneSpeedModel = {
  parisRadiusKm: 5,
  petiteCouronneRadiusKm: 15,
  speedKmh: {
    paris: { night: 20, morning_rush: 12, day: 14, evening_rush: 12 },
    petite_couronne: { night: 35, morning_rush: 18, day: 24, evening_rush: 18 },
    grande_couronne: { night: 50, morning_rush: 28, day: 36, evening_rush: 28 },
  },
  morningRush: [7 * 60, 10 * 60],
  eveningRush: [16 * 60 + 30, 19 * 60 + 30],
  dayStart: 7 * 60,
  dayEnd: 20 * 60,
  detourFactor: 1.3,
};

/** Great-circle distance in km (the haversine formula, turf's mean Earth radius). */
function greatCircleKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const ZONES: readonly Zone[] = ['paris', 'petite_couronne', 'grande_couronne'];
const PERIODS: readonly Period[] = ['night', 'morning_rush', 'day', 'evening_rush'];

export function zoneOf(p: GeoPoint, model: ZoneSpeedModel = ILE_DE_FRANCE_SPEEDS): Zone {
  const km = greatCircleKm(PARIS_CENTRE, p);
  return km < model.parisRadiusKm ? 'paris' : km < model.petiteCouronneRadiusKm ? 'petite_couronne' : 'grande_couronne';
}

/** The period of a time of day (minutes after midnight, taken modulo a day). */
export function periodAt(minuteOfDay: number, model: ZoneSpeedModel = ILE_DE_FRANCE_SPEEDS): Period {
  const m = ((minuteOfDay % 1440) + 1440) % 1440;
  if (m >= model.morningRush[0] && m < model.morningRush[1]) return 'morning_rush';
  if (m >= model.eveningRush[0] && m < model.eveningRush[1]) return 'evening_rush';
  return m >= model.dayStart && m < model.dayEnd ? 'day' : 'night';
}

/** Segments a leg is cut into: each is driven at the speed of the zone of its midpoint. */
const SEGMENTS = 8;

/** Road km of the leg a → b, and how many of them lie in each zone (by segment midpoints). */
function legShares(a: GeoPoint, b: GeoPoint, model: ZoneSpeedModel): { km: number; byZone: number[] } {
  const km = greatCircleKm(a, b) * model.detourFactor;
  const byZone = [0, 0, 0];
  if (km === 0) return { km, byZone };
  for (let s = 0; s < SEGMENTS; s++) {
    const f = (s + 0.5) / SEGMENTS;
    const zone = zoneOf({ lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f }, model);
    byZone[ZONES.indexOf(zone)]! += km / SEGMENTS;
  }
  return { km, byZone };
}

function minutesOf(byZone: readonly number[], period: Period, model: ZoneSpeedModel): number {
  let hours = 0;
  ZONES.forEach((z, i) => (hours += byZone[i]! / model.speedKmh[z][period]));
  return hours * 60;
}

/**
 * One leg from a to b leaving at `departure` (minutes after midnight): road km and minutes. The
 * straight line is cut into segments, each driven at its zone's speed (a leg across Paris is slow
 * in the middle only); the period is the one at departure.
 */
export function legTime(a: GeoPoint, b: GeoPoint, departure: number, model: ZoneSpeedModel = ILE_DE_FRANCE_SPEEDS) {
  const { km, byZone } = legShares(a, b, model);
  return { km, minutes: minutesOf(byZone, periodAt(departure, model), model) };
}

export interface ZoneSpeedOptions {
  readonly model?: ZoneSpeedModel;
  /**
   * When the legs are driven (minutes after midnight): one departure time, or an interval whose
   * departures every 30 minutes are averaged (the solver uses one matrix per day; default the
   * working day 08:00–18:00, rush hours included at their share).
   */
  readonly at?: number | { readonly from: number; readonly to: number };
}

/** The zone and time-of-day model as a matrix provider (see `legTime`). */
export class ZoneSpeedTravelTimeProvider implements TravelTimeProvider {
  private readonly model: ZoneSpeedModel;
  /** Share of the departures in each period. */
  private readonly weights: number[];

  constructor(options: ZoneSpeedOptions = {}) {
    this.model = options.model ?? ILE_DE_FRANCE_SPEEDS;
    const at = options.at ?? { from: 8 * 60, to: 18 * 60 };
    const departures: number[] = [];
    if (typeof at === 'number') departures.push(at);
    else for (let m = at.from; m < at.to; m += 30) departures.push(m);
    if (departures.length === 0 && typeof at !== 'number') departures.push(at.from);
    this.weights = PERIODS.map((p) => departures.filter((d) => periodAt(d, this.model) === p).length / departures.length);
  }

  matrices(points: readonly GeoPoint[]): TravelMatrices {
    const size = points.length;
    const durations = new Float64Array(size * size);
    const distances = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      for (let j = i + 1; j < size; j++) {
        const { km, byZone } = legShares(points[i]!, points[j]!, this.model);
        let minutes = 0;
        PERIODS.forEach((p, k) => {
          if (this.weights[k]! > 0) minutes += this.weights[k]! * minutesOf(byZone, p, this.model);
        });
        distances[i * size + j] = distances[j * size + i] = km;
        durations[i * size + j] = durations[j * size + i] = minutes;
      }
    }
    return { size, durations, distances };
  }
}
