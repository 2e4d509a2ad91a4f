import type { GeoPoint } from '../model/problem.types.js';
import type { TravelMatrices, TravelTimeProvider } from './travel-time-provider.js';

/** The part of an OSRM `table` response we use: seconds and meters, indexed like `points`. */
export interface OsrmTableResponse {
  readonly durations: readonly (readonly (number | null)[])[];
  readonly distances?: readonly (readonly (number | null)[])[];
}

function key(p: GeoPoint): string {
  return `${p.lat.toFixed(6)},${p.lon.toFixed(6)}`;
}

/**
 * Road-network matrix, e.g. an OSRM `table` response computed for `points` (the same order).
 * Durations are converted from seconds to minutes and distances from meters to km.
 * Unknown points or `null` entries (unroutable) fall back to the `fallback` provider.
 */
export class MatrixTravelTimeProvider implements TravelTimeProvider {
  private readonly index = new Map<string, number>();

  constructor(
    points: readonly GeoPoint[],
    private readonly table: OsrmTableResponse,
    private readonly fallback?: TravelTimeProvider,
  ) {
    points.forEach((p, i) => this.index.set(key(p), i));
  }

  matrices(points: readonly GeoPoint[]): TravelMatrices {
    const size = points.length;
    const durations = new Float64Array(size * size);
    const distances = new Float64Array(size * size);
    const idx = points.map((p) => this.index.get(key(p)) ?? -1);
    const fb = this.fallback?.matrices(points);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        if (i === j) continue;
        const a = idx[i]!;
        const b = idx[j]!;
        const d = a >= 0 && b >= 0 ? this.table.durations[a]?.[b] : undefined;
        const m = a >= 0 && b >= 0 ? this.table.distances?.[a]?.[b] : undefined;
        if (d == null) {
          if (!fb) throw new Error(`no travel time from point ${i} to ${j} and no fallback provider`);
          durations[i * size + j] = fb.durations[i * size + j]!;
          distances[i * size + j] = fb.distances[i * size + j]!;
        } else {
          durations[i * size + j] = d / 60;
          distances[i * size + j] = m == null ? 0 : m / 1000;
        }
      }
    }
    return { size, durations, distances };
  }
}
