/**
 * The travel times a plan is made with. With ROUTING_URL, an OSRM-compatible `table` service
 * gives road-network matrices (seconds, meters), kept in a small cache of matrices keyed by the
 * exact list of points; when the service fails (down, slow, an error answer), the plan is made
 * with the offline model instead and says so. Without ROUTING_URL: the offline model, haversine
 * with speeds by zone and time of day (optimizer/travel/zone-speed-travel.provider.ts, docs/travel.md).
 */
import {
  MatrixTravelTimeProvider,
  ZoneSpeedTravelTimeProvider,
  type GeoPoint,
  type OsrmTableResponse,
  type Problem,
  type TravelTimeProvider,
} from '../../optimizer/index.js';

export interface RoutingOptions {
  /** Base URL of an OSRM-compatible service, e.g. http://osrm:5000 (ROUTING_URL). */
  url?: string;
  /** How long to wait for the matrix (default 5 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type TravelSource = 'road' | 'road_cached' | 'zone_model' | 'zone_model_fallback';

export interface DayTravel {
  travel: TravelTimeProvider;
  source: TravelSource;
  /** Why the road service was not used (fallback only). */
  error?: string;
}

/** The offline model, averaged over the working day (the solver works with one matrix per day). */
export const offlineTravel = (): TravelTimeProvider => new ZoneSpeedTravelTimeProvider();

const CACHE_SIZE = 16;
/** Matrices by their points (most recent last): a re-plan or an override of the same day reuses one. */
const cache = new Map<string, OsrmTableResponse>();

const keyOf = (points: readonly GeoPoint[]) => points.map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`).join(';');

/** Every distinct location of the day: technicians' homes and ends, then the visits. */
export function pointsOf(problem: Problem): GeoPoint[] {
  const seen = new Map<string, GeoPoint>();
  const add = (p: GeoPoint) => seen.set(`${p.lon.toFixed(6)},${p.lat.toFixed(6)}`, p);
  for (const t of problem.technicians) {
    add(t.home);
    if (t.end) add(t.end);
  }
  for (const v of problem.visits) add(v.location);
  return [...seen.values()];
}

async function fetchTable(points: readonly GeoPoint[], options: RoutingOptions & { url: string }): Promise<OsrmTableResponse> {
  const coordinates = keyOf(points);
  const url = `${options.url.replace(/\/+$/, '')}/table/v1/driving/${coordinates}?annotations=duration,distance`;
  const response = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
  if (!response.ok) throw new Error(`routing service answered HTTP ${response.status}`);
  const body = (await response.json()) as { code?: string; message?: string } & Partial<OsrmTableResponse>;
  if (body.code !== 'Ok' || !Array.isArray(body.durations) || body.durations.length !== points.length)
    throw new Error(`routing service answered ${body.code ?? 'no code'}${body.message ? `: ${body.message}` : ''}`);
  return { durations: body.durations, ...(body.distances ? { distances: body.distances } : {}) };
}

/** The travel times of the day's problem: the road service's matrix if configured and answering, else the offline model. */
export async function dayTravel(problem: Problem, options: RoutingOptions = {}): Promise<DayTravel> {
  const offline = offlineTravel();
  if (!options.url) return { travel: offline, source: 'zone_model' };
  const points = pointsOf(problem);
  if (points.length < 2) return { travel: offline, source: 'zone_model' };
  const key = keyOf(points);
  const cached = cache.get(key);
  if (cached) {
    cache.delete(key);
    cache.set(key, cached);
    // Unroutable pairs (null) fall back to the offline model, pair by pair.
    return { travel: new MatrixTravelTimeProvider(points, cached, offline), source: 'road_cached' };
  }
  try {
    const table = await fetchTable(points, { ...options, url: options.url });
    cache.set(key, table);
    while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return { travel: new MatrixTravelTimeProvider(points, table, offline), source: 'road' };
  } catch (error) {
    return { travel: offline, source: 'zone_model_fallback', error: error instanceof Error ? error.message : String(error) };
  }
}

/** Empties the matrix cache (tests). */
export function clearTravelCache(): void {
  cache.clear();
}
