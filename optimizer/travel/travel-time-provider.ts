import type { GeoPoint } from '../model/problem.types.js';

/** Square matrices in row-major order: entry `i * size + j` is from point i to point j. */
export interface TravelMatrices {
  readonly size: number;
  /** Travel times, in the problem's time unit (minutes for field service). */
  readonly durations: Float64Array;
  /** Distances (km for geographic providers, instance units for Euclidean). */
  readonly distances: Float64Array;
}

/** Source of travel times; swap the haversine estimate for a road-network matrix (OSRM) without touching the solver. */
export interface TravelTimeProvider {
  matrices(points: readonly GeoPoint[]): TravelMatrices;
}
