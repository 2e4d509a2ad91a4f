import { distance, point } from '@turf/turf';
import type { GeoPoint } from '../model/problem.types.js';
import type { TravelMatrices, TravelTimeProvider } from './travel-time-provider.js';

export interface HaversineOptions {
  /** Average speed in km/h (default 30, urban Île-de-France). */
  readonly speedKmh?: number;
  /** Road distance / great-circle distance (default 1.3). */
  readonly detourFactor?: number;
}

/** Great-circle distance (turf, km) × detour factor, turned into minutes by an average speed. */
export class HaversineTravelTimeProvider implements TravelTimeProvider {
  private readonly speedKmh: number;
  private readonly detour: number;

  constructor(options: HaversineOptions = {}) {
    this.speedKmh = options.speedKmh ?? 30;
    this.detour = options.detourFactor ?? 1.3;
  }

  matrices(points: readonly GeoPoint[]): TravelMatrices {
    const size = points.length;
    const durations = new Float64Array(size * size);
    const distances = new Float64Array(size * size);
    const features = points.map((p) => point([p.lon, p.lat]));
    for (let i = 0; i < size; i++) {
      for (let j = i + 1; j < size; j++) {
        const km = distance(features[i]!, features[j]!, { units: 'kilometers' }) * this.detour;
        const min = (km / this.speedKmh) * 60;
        distances[i * size + j] = distances[j * size + i] = km;
        durations[i * size + j] = durations[j * size + i] = min;
      }
    }
    return { size, durations, distances };
  }
}
