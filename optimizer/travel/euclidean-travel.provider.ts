import type { GeoPoint } from '../model/problem.types.js';
import type { TravelMatrices, TravelTimeProvider } from './travel-time-provider.js';

/** Benchmark convention: Euclidean distance in double precision (x = lon, y = lat), travel time = distance. */
export class EuclideanTravelTimeProvider implements TravelTimeProvider {
  matrices(points: readonly GeoPoint[]): TravelMatrices {
    const size = points.length;
    const distances = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      const a = points[i]!;
      for (let j = 0; j < size; j++) {
        const b = points[j]!;
        distances[i * size + j] = Math.hypot(a.lon - b.lon, a.lat - b.lat);
      }
    }
    return { size, durations: distances, distances };
  }
}
