/**
 * A day already under way, through the API on the real PostgreSQL and Temporal, with the worker's
 * clock fixed at 10:00 (Paris) on that day: visits checked in (or done) are frozen on the board,
 * nothing new starts before now or before the technician's current visit ends, an override cannot
 * move a started visit, and a fresh "Optimiser la journée" keeps the dispatcher's overrides
 * (unless asked for a clean run).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import {
  addPlannableRequest,
  addTechnician,
  createTestAccount,
  createTestClient,
  type TestClient,
} from '../../scripts/testing/fixtures.js';
import { createDispatchActivities } from './dispatch.activities.js';

// A Saturday: no other test gives technicians a Saturday shift, so the day's team is this file's.
// Every open request of the database is a visit of every day, so this file's are data recovery,
// which no other test's technician can do (and only one other test's request needs).
const DATE = '2026-11-28';
const SATURDAY = { weekday: 6, startsAt: '08:00', endsAt: '18:00' };
const at = (hhmm: string) => DateTime.fromISO(`${DATE}T${hhmm}`, { zone: 'Europe/Paris' }).toJSDate();
const NOW = at('10:00');
const hhmm = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Paris' }).toFormat('HH:mm');

/** A data recovery request (see above), moved on to `status` for the visits already under way or done. */
async function addRequest(
  db: Kysely<DB>,
  tenant: TestClient,
  status: 'awaiting_planning' | 'in_progress' | 'awaiting_validation',
  lat: number,
  lon: number,
  priority: 'P1' | 'P2' = 'P2',
) {
  const request = await addPlannableRequest(db, { clientId: tenant.clientId, lat, lon, serviceType: 'data_recovery', priority });
  if (status !== 'awaiting_planning') await db.updateTable('serviceRequests').set({ status }).where('id', '=', request.id).execute();
  return request;
}

/** A visit checked in by the technician (and out, if given), with its assignment's planned slot. */
async function checkIn(
  db: Kysely<DB>,
  requestId: string,
  technicianId: string,
  slot: [string, string],
  checkedIn: string,
  checkedOut: string | null,
) {
  const assignment = await db
    .insertInto('assignments')
    .values({
      requestId,
      technicianId,
      scheduledStart: at(slot[0]),
      scheduledEnd: at(slot[1]),
      priority: 'P2',
      status: checkedOut ? 'completed' : 'on_site',
      source: 'optimizer',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('siteVisits')
    .values({
      requestId,
      assignmentId: assignment.id,
      technicianId,
      checkedInAt: at(checkedIn),
      checkedOutAt: checkedOut ? at(checkedOut) : null,
      idempotencyKey: randomUUID(),
    })
    .execute();
}

interface Stop {
  ticketNumber: string;
  start: string;
  end: string;
  locked: boolean;
  pinned: boolean;
  started?: 'in_progress' | 'done';
}
interface StoredPlan {
  id: string;
  version: number;
  result: {
    routes: Array<{ technicianId: string; stops: Stop[] }>;
    unassigned: Array<{ ticketNumber: string }>;
    removed?: Array<{ ticketNumber: string }>;
    overrides?: Array<{ kind: string; ticketNumber?: string; technicianId?: string }>;
  };
}

describe('a day under way', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let client: Client;
  let url: string;
  let dispatcher: { headers: Record<string, string>; userId: string };
  let east: { id: string; name: string };
  let west: { id: string; name: string };
  let spare: { id: string; name: string };
  let onSite: { id: string; ticketNumber: string };
  let overrun: { id: string; ticketNumber: string };
  let done: { id: string; ticketNumber: string };
  const open: string[] = [];
  let tenant: TestClient;
  const json = (headers: Record<string, string>) => ({ ...headers, 'content-type': 'application/json' });

  const latest = async () =>
    (await (await fetch(`${url}/api/dispatch/plans?date=${DATE}`, { headers: dispatcher.headers })).json()) as StoredPlan;
  const override = (planId: string, body: unknown) =>
    fetch(`${url}/api/dispatch/plans/${planId}/overrides`, {
      method: 'POST',
      headers: json(dispatcher.headers),
      body: JSON.stringify(body),
    });
  const optimize = async (extra: Record<string, unknown> = {}) => {
    const start = await fetch(`${url}/api/dispatch/plans`, {
      method: 'POST',
      headers: json(dispatcher.headers),
      body: JSON.stringify({ date: DATE, seconds: 2, seed: 5, ...extra }),
    });
    expect(start.status).toBe(202);
    return (await client.workflow.getHandle(((await start.json()) as { workflowId: string }).workflowId).result()) as {
      keptOverrides: number;
      started: number;
    };
  };
  const stopsOf = (plan: StoredPlan) => plan.result.routes.flatMap((r) => r.stops.map((s) => ({ ...s, technicianId: r.technicianId })));
  const stopOf = (plan: StoredPlan, ticket: string) => stopsOf(plan).find((s) => s.ticketNumber === ticket);

  beforeAll(async () => {
    platform = await startTestPlatform({
      app: { log: () => {} },
      activities: (pool) => createDispatchActivities({ db: pool, now: () => NOW }),
    });
    ({ db, client, url } = platform);
    dispatcher = await createTestAccount(db, 'dispatcher');
    tenant = await createTestClient(db);
    east = await addTechnician(db, { firstName: 'Est', latitude: 48.86, longitude: 2.4, skills: { data_recovery: 4 }, shift: SATURDAY });
    west = await addTechnician(db, { firstName: 'Ouest', latitude: 48.86, longitude: 2.28, skills: { data_recovery: 4 }, shift: SATURDAY });
    spare = await addTechnician(db, {
      firstName: 'Centre',
      latitude: 48.855,
      longitude: 2.34,
      skills: { data_recovery: 4 },
      shift: SATURDAY,
    });
    // East has been on site since 09:30 for a 2-hour visit; west checked in at 08:00 for a
    // 1-hour visit and is still there (an overrun); east also finished a visit at 09:15.
    onSite = await addRequest(db, tenant, 'in_progress', 48.87, 2.39);
    await checkIn(db, onSite.id, east.id, ['09:30', '11:30'], '09:30', null);
    overrun = await addRequest(db, tenant, 'in_progress', 48.86, 2.3);
    await checkIn(db, overrun.id, west.id, ['08:00', '09:00'], '08:00', null);
    done = await addRequest(db, tenant, 'awaiting_validation', 48.85, 2.41);
    await checkIn(db, done.id, east.id, ['08:15', '09:15'], '08:20', '09:15');
    for (const [lat, lon] of [
      [48.88, 2.38],
      [48.86, 2.29],
      [48.855, 2.345],
      [48.865, 2.35],
    ] as const) {
      open.push((await addRequest(db, tenant, 'awaiting_planning', lat, lon)).ticketNumber);
    }
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('shows visits under way and done as started, and plans nothing before now or before their end', async () => {
    const summary = await optimize();
    expect(summary.started).toBe(3);
    const plan = await latest();
    expect(stopOf(plan, onSite.ticketNumber)).toMatchObject({ technicianId: east.id, started: 'in_progress' });
    expect(hhmm(stopOf(plan, onSite.ticketNumber)!.start)).toBe('09:30');
    expect(hhmm(stopOf(plan, onSite.ticketNumber)!.end)).toBe('11:30');
    // Planned for 60 min from 08:00 and still open at 10:00: expected to end now at the earliest.
    expect(stopOf(plan, overrun.ticketNumber)).toMatchObject({ technicianId: west.id, started: 'in_progress' });
    expect(hhmm(stopOf(plan, overrun.ticketNumber)!.end)).toBe('10:00');
    expect(stopOf(plan, done.ticketNumber)).toMatchObject({ technicianId: east.id, started: 'done' });
    expect([hhmm(stopOf(plan, done.ticketNumber)!.start), hhmm(stopOf(plan, done.ticketNumber)!.end)]).toEqual(['08:20', '09:15']);

    const planned = stopsOf(plan).filter((s) => open.includes(s.ticketNumber));
    expect(planned.length).toBe(open.length);
    for (const s of planned) {
      expect(s.started).toBeUndefined();
      expect(new Date(s.start).getTime(), s.ticketNumber).toBeGreaterThanOrEqual(NOW.getTime());
      if (s.technicianId === east.id) expect(new Date(s.start).getTime()).toBeGreaterThan(at('11:30').getTime());
    }
  });

  it('refuses to move a started visit, and an absence leaves it where it is', async () => {
    const v1 = await latest();
    const move = await override(v1.id, { kind: 'move', ticketNumber: onSite.ticketNumber, technicianId: west.id });
    expect(move.status).toBe(409);
    const { error } = (await move.json()) as any;
    expect(error.reason).toBe('VISIT_STARTED');
    expect(error.messages.fr).toContain('déjà en cours');

    const absent = await override(v1.id, { kind: 'absent', technicianId: east.id, from: '11:30' });
    const body = (await absent.json()) as any;
    expect(absent.status, JSON.stringify(body)).toBe(200);
    const v2 = await latest();
    expect(stopOf(v2, onSite.ticketNumber)).toMatchObject({ technicianId: east.id, started: 'in_progress' });
    expect(stopsOf(v2).filter((s) => s.technicianId === east.id && !s.started)).toEqual([]);
    // The started visits are never reported as moved.
    expect(body.moved.map((m: any) => m.ticketNumber)).not.toContain(onSite.ticketNumber);
    for (const s of stopsOf(v2).filter((x) => open.includes(x.ticketNumber)))
      expect(new Date(s.start).getTime()).toBeGreaterThanOrEqual(NOW.getTime());
  });

  it('keeps the day’s overrides in a fresh run (locks, moves, absences, removals), or drops them on request', async () => {
    const v2 = await latest();
    const westStop = stopsOf(v2).find((s) => s.technicianId === west.id && open.includes(s.ticketNumber))!;
    const moved = await override(v2.id, { kind: 'move', ticketNumber: westStop.ticketNumber, technicianId: spare.id, at: '15:00' });
    expect(moved.status, JSON.stringify(await moved.clone().json())).toBe(200);
    const v3 = await latest();
    const lockable = stopsOf(v3).find((s) => open.includes(s.ticketNumber) && s.ticketNumber !== westStop.ticketNumber && !s.locked)!;
    expect((await override(v3.id, { kind: 'lock', ticketNumber: lockable.ticketNumber })).status).toBe(200);
    const v4 = await latest();
    const removed = open.find((t) => t !== westStop.ticketNumber && t !== lockable.ticketNumber)!;
    expect((await override(v4.id, { kind: 'remove', ticketNumber: removed })).status).toBe(200);
    const v5 = await latest();
    expect(v5.result.overrides!.map((o) => o.kind)).toEqual(['absent', 'move', 'lock', 'remove']);

    const summary = await optimize({ seed: 11 });
    expect(summary.keptOverrides).toBe(4);
    const fresh = await latest();
    expect(fresh.version).toBe(1);
    expect(fresh.id).not.toBe(v5.id);
    expect(fresh.result.overrides!.map((o) => o.kind)).toEqual(['absent', 'move', 'lock', 'remove']);
    expect(stopOf(fresh, westStop.ticketNumber)).toMatchObject({ technicianId: spare.id, locked: true });
    expect(hhmm(stopOf(fresh, westStop.ticketNumber)!.start)).toBe('15:00');
    expect(stopOf(fresh, lockable.ticketNumber)).toMatchObject({
      technicianId: lockable.technicianId,
      start: lockable.start,
      locked: true,
    });
    expect(stopOf(fresh, removed)).toBeUndefined();
    expect(fresh.result.removed!.map((r) => r.ticketNumber)).toEqual([removed]);
    expect(stopsOf(fresh).filter((s) => s.technicianId === east.id && !s.started)).toEqual([]);
    expect(stopOf(fresh, onSite.ticketNumber)).toMatchObject({ technicianId: east.id, started: 'in_progress' });
    // A later override chains on the kept ones.
    const next = await override(fresh.id, {
      kind: 'lock',
      ticketNumber: stopsOf(fresh).find((s) => open.includes(s.ticketNumber) && !s.locked)!.ticketNumber,
    });
    expect(next.status).toBe(200);
    expect((await latest()).result.overrides!.map((o) => o.kind)).toEqual(['absent', 'move', 'lock', 'remove', 'lock']);

    const clean = await optimize({ keepOverrides: false });
    expect(clean.keptOverrides).toBe(0);
    const cleanPlan = await latest();
    expect(cleanPlan.result.overrides).toBeUndefined();
    expect(stopOf(cleanPlan, removed)).toBeDefined();
    expect(stopsOf(cleanPlan).every((s) => !s.locked)).toBe(true);
    // Reality is not an override: the started visits are still frozen.
    expect(stopOf(cleanPlan, onSite.ticketNumber)).toMatchObject({ technicianId: east.id, started: 'in_progress' });
  });

  it('inserts a P1 that reached planning after the published plan as an emergency, moving few confirmed visits', async () => {
    const base = await latest();
    const published = await fetch(`${url}/api/dispatch/plans/${base.id}/publish`, { method: 'POST', headers: json(dispatcher.headers) });
    expect(published.status).toBe(200);
    const urgent = await addRequest(db, tenant, 'awaiting_planning', 48.87, 2.36, 'P1');
    const board = (await latest()) as StoredPlan & { status: string; pendingEmergencies: Array<{ ticketNumber: string }> };
    expect(board.status).toBe('published');
    expect(board.pendingEmergencies.map((e) => e.ticketNumber)).toContain(urgent.ticketNumber);

    const response = await fetch(`${url}/api/dispatch/plans/${base.id}/emergencies`, { method: 'POST', headers: dispatcher.headers });
    const body = (await response.json()) as any;
    expect(response.status, JSON.stringify(body)).toBe(200);
    console.log(
      `emergency insertion through the API: ${body.elapsedMs} ms (re-solve ${body.solveMs} ms), ${body.moved.length} confirmed visit(s) moved`,
    );
    expect(body).toMatchObject({ basePlanId: base.id, version: base.version + 1, override: { kind: 'emergency' } });
    expect(body.override.ticketNumbers).toContain(urgent.ticketNumber);
    const after = (await latest()) as StoredPlan & { pendingEmergencies: Array<{ ticketNumber: string }> };
    expect(after.id).toBe(body.planId);
    const placed = stopOf(after, urgent.ticketNumber)!;
    expect(placed).toBeDefined();
    expect(new Date(placed.start).getTime()).toBeGreaterThanOrEqual(NOW.getTime());
    expect(after.pendingEmergencies.map((e) => e.ticketNumber)).not.toContain(urgent.ticketNumber);
    // The started visits stay; the moved list is exactly the confirmed visits that changed technician.
    expect(stopOf(after, onSite.ticketNumber)).toMatchObject({ technicianId: east.id, started: 'in_progress' });
    const before = new Map(
      stopsOf(base)
        .filter((s) => !s.started)
        .map((s) => [s.ticketNumber, s.technicianId]),
    );
    const changed = [...before]
      .filter(([t, tech]) => stopOf(after, t)?.technicianId !== tech)
      .map(([t]) => t)
      .sort();
    expect(body.moved.map((m: any) => m.ticketNumber).sort()).toEqual(changed);
    expect(changed.length).toBeLessThanOrEqual(2);
    // Open requests are visits of every day: this urgent one, which only this file's team can do,
    // must not linger in other test files' days.
    await db.updateTable('serviceRequests').set({ status: 'cancelled' }).where('id', '=', urgent.id).execute();
  });

  it('refuses a malformed keepOverrides with a 400 naming the field', async () => {
    const response = await fetch(`${url}/api/dispatch/plans`, {
      method: 'POST',
      headers: json(dispatcher.headers),
      body: JSON.stringify({ date: DATE, keepOverrides: 'yes' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.fields[0].field).toBe('keepOverrides');
  });
});
