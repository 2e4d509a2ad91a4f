/**
 * The plan's travel times: the offline zone model by default; with ROUTING_URL, an OSRM-compatible
 * `table` service, its matrices cached, and the offline model when it fails. The service here is
 * a small local HTTP server speaking the OSRM table protocol (no OSRM runs in the tests).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { legTime, ZoneSpeedTravelTimeProvider, type Problem } from '../../optimizer/index.js';
import { clearTravelCache, dayTravel, pointsOf } from './day-travel.js';

const problem: Problem = {
  technicians: [{ id: 't1', shiftStart: 480, shiftEnd: 1020, home: { lat: 48.8589, lon: 2.3799 } }],
  visits: [
    { id: 'v1', location: { lat: 48.8727, lon: 2.3167 }, duration: 60, priority: 3 },
    { id: 'v2', location: { lat: 48.8918, lon: 2.2389 }, duration: 60, priority: 3 },
  ],
};

describe('dayTravel', () => {
  let server: Server;
  let url: string;
  const requests: string[] = [];
  let failing = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (failing) {
        res.writeHead(503).end();
        return;
      }
      const coords = decodeURIComponent((req.url ?? '').split('/table/v1/driving/')[1]!.split('?')[0]!).split(';');
      const n = coords.length;
      // Road minutes i → j: 10 + i + j (seconds × 60), unroutable from the last point to the first.
      const durations = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => (i === j ? 0 : i === n - 1 && j === 0 ? null : (10 + i + j) * 60)),
      );
      const distances = durations.map((row) => row.map((d) => (d === null ? null : d * 10)));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'Ok', durations, distances }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    clearTravelCache();
    requests.length = 0;
    failing = false;
  });

  it('uses the offline zone model without ROUTING_URL', async () => {
    const { travel, source } = await dayTravel(problem);
    expect(source).toBe('zone_model');
    const m = travel.matrices(pointsOf(problem));
    const [home, v1] = pointsOf(problem);
    const noon = legTime(home!, v1!, 12 * 60).minutes;
    expect(m.durations[1]).toBeGreaterThan(noon); // the working day's mean includes rush hours
    expect(m.durations[1]).toBeLessThan(noon * 1.3);
  });

  it('asks the service once for the day’s points, then serves the cached matrix', async () => {
    const first = await dayTravel(problem, { url });
    expect(first.source).toBe('road');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toBe('/table/v1/driving/2.379900,48.858900;2.316700,48.872700;2.238900,48.891800?annotations=duration,distance');
    const points = pointsOf(problem);
    const m = first.travel.matrices(points);
    expect(m.durations[0 * 3 + 1]).toBe(11);
    expect(m.distances[1 * 3 + 2]).toBeCloseTo((13 * 60 * 10) / 1000, 9);
    // The unroutable pair is timed by the offline model.
    expect(m.durations[2 * 3 + 0]).toBeCloseTo(new ZoneSpeedTravelTimeProvider().matrices([points[2]!, points[0]!]).durations[1]!, 9);
    const second = await dayTravel(problem, { url });
    expect(second.source).toBe('road_cached');
    expect(requests).toHaveLength(1);
  });

  it('falls back to the offline model when the service fails or cannot be reached', async () => {
    failing = true;
    const down = await dayTravel(problem, { url });
    expect(down).toMatchObject({ source: 'zone_model_fallback', error: 'routing service answered HTTP 503' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await dayTravel(problem, { url: `http://127.0.0.1:${port}` });
    expect(refused.source).toBe('zone_model_fallback');
    const m = refused.travel.matrices(pointsOf(problem));
    expect(m.durations[1]).toBeGreaterThan(0);
  });
});
