/**
 * Dispatcher overrides through the API, on the real PostgreSQL and Temporal: a day is planned,
 * then each override runs the plan-override workflow (incremental re-solve) and stores a new
 * version that supersedes the previous one; an override the optimizer cannot honour is refused
 * with its reason and stores nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
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

// A Thursday: no other test gives technicians a Thursday shift, so the day's team is this file's.
const DATE = '2026-11-26';
const THURSDAY = { weekday: 4, startsAt: '08:30', endsAt: '17:30' };

/** A request waiting for planning, at its own site (the shared fixture); its ticket number. */
async function addOpenRequest(
  db: Kysely<DB>,
  tenant: TestClient,
  serviceType: 'security' | 'hardware_upgrade',
  priority: 'P2' | 'P3',
  lat: number,
  lon: number,
) {
  return (await addPlannableRequest(db, { clientId: tenant.clientId, serviceType, priority, lat, lon })).ticketNumber;
}

interface StoredPlan {
  id: string;
  status: string;
  version: number;
  basePlanId: string | null;
  override: any;
  result: {
    routes: Array<{ technicianId: string; stops: Array<{ ticketNumber: string; start: string; locked: boolean }> }>;
    unassigned: Array<{ ticketNumber: string; reason: string; message: { en: string; fr: string } }>;
    removed?: Array<{ ticketNumber: string }>;
    overrides?: any[];
  };
}

const technicianOf = (plan: StoredPlan) =>
  new Map(plan.result.routes.flatMap((r) => r.stops.map((s) => [s.ticketNumber, r.technicianId] as const)));

describe('plan overrides', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let client: Client;
  let url: string;
  let dispatcher: { headers: Record<string, string>; userId: string };
  let east: { id: string; name: string };
  let west: { id: string; name: string };
  let upgrades: { id: string; name: string };
  const tickets: string[] = [];
  const json = (headers: Record<string, string>) => ({ ...headers, 'content-type': 'application/json' });

  const latest = async () =>
    (await (await fetch(`${url}/api/dispatch/plans?date=${DATE}`, { headers: dispatcher.headers })).json()) as StoredPlan;
  const override = (planId: string, body: unknown) =>
    fetch(`${url}/api/dispatch/plans/${planId}/overrides`, {
      method: 'POST',
      headers: json(dispatcher.headers),
      body: JSON.stringify(body),
    });
  const versions = async () =>
    await db.selectFrom('dispatchPlans').select(['id', 'status']).where('planDate', '=', DATE).orderBy('createdAt').execute();

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { log: () => {} } });
    ({ db, client, url } = platform);
    dispatcher = await createTestAccount(db, 'dispatcher');
    const tenant = await createTestClient(db);
    east = await addTechnician(db, {
      firstName: 'Est',
      latitude: 48.86,
      longitude: 2.4,
      skills: { security: 4, hardware_upgrade: 3 },
      shift: THURSDAY,
    });
    west = await addTechnician(db, {
      firstName: 'Ouest',
      latitude: 48.86,
      longitude: 2.28,
      skills: { security: 4, hardware_upgrade: 3 },
      shift: THURSDAY,
    });
    upgrades = await addTechnician(db, {
      firstName: 'Matériel',
      latitude: 48.85,
      longitude: 2.34,
      skills: { hardware_upgrade: 4 },
      shift: THURSDAY,
    });
    for (const [lat, lon] of [
      [48.87, 2.39],
      [48.85, 2.41],
      [48.88, 2.37],
    ] as const)
      tickets.push(await addOpenRequest(db, tenant, 'security', 'P2', lat, lon));
    for (const [lat, lon] of [
      [48.86, 2.29],
      [48.84, 2.3],
    ] as const)
      tickets.push(await addOpenRequest(db, tenant, 'security', 'P3', lat, lon));
    for (const [lat, lon] of [
      [48.855, 2.345],
      [48.845, 2.335],
    ] as const)
      tickets.push(await addOpenRequest(db, tenant, 'hardware_upgrade', 'P3', lat, lon));

    const start = await fetch(`${url}/api/dispatch/plans`, {
      method: 'POST',
      headers: json(dispatcher.headers),
      body: JSON.stringify({ date: DATE, seconds: 2, seed: 3 }),
    });
    expect(start.status).toBe(202);
    await client.workflow.getHandle(((await start.json()) as { workflowId: string }).workflowId).result();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('moves a visit to another qualified technician: a new version, the visit there, the others where they were', async () => {
    const v1 = await latest();
    expect(v1.version).toBe(1);
    const before = technicianOf(v1);
    for (const ticket of tickets) expect(before.has(ticket), ticket).toBe(true);
    // A security visit of the east technician goes west.
    const ticket = tickets.find((t) => before.get(t) === east.id) ?? tickets.find((t) => before.get(t) === west.id)!;
    const to = before.get(ticket) === east.id ? west : east;

    const response = await override(v1.id, { kind: 'move', ticketNumber: ticket, technicianId: to.id });
    const body = (await response.json()) as any;
    expect(response.status, JSON.stringify(body)).toBe(200);
    console.log(`override (move) through the API: ${body.elapsedMs} ms (re-solve ${body.solveMs} ms)`);
    expect(body).toMatchObject({
      basePlanId: v1.id,
      version: 2,
      override: {
        kind: 'move',
        ticketNumber: ticket,
        technicianId: to.id,
        technicianName: to.name,
        by: { userId: dispatcher.userId, role: 'dispatcher' },
      },
    });

    const v2 = await latest();
    expect(v2.id).toBe(body.planId);
    expect(v2).toMatchObject({ version: 2, basePlanId: v1.id, status: 'proposed' });
    expect(await versions()).toEqual([
      { id: v1.id, status: 'superseded' },
      { id: v2.id, status: 'proposed' },
    ]);
    const after = technicianOf(v2);
    expect(after.get(ticket)).toBe(to.id);
    expect(v2.result.routes.flatMap((r) => r.stops).find((s) => s.ticketNumber === ticket)!.locked).toBe(true);
    // The moved list is exactly the other confirmed visits that changed technician (or dropped out).
    const changed = [...before]
      .filter(([t, tech]) => t !== ticket && after.get(t) !== tech)
      .map(([t]) => t)
      .sort();
    expect(body.moved.map((m: any) => m.ticketNumber).sort()).toEqual(changed);
    for (const m of body.moved) expect(m.from.technicianId).toBe(before.get(m.ticketNumber));
    // Mostly unchanged: moving one visit reshuffles at most one other here.
    expect(changed.length).toBeLessThanOrEqual(1);
    // The audit log has the call, with who made it.
    const audit = await db
      .selectFrom('auditLog')
      .select(['actorUserId', 'entityId'])
      .where('action', '=', 'POST /dispatch/plans/:planId/overrides')
      .where('entityId', '=', v1.id)
      .execute();
    expect(audit).toEqual([{ actorUserId: dispatcher.userId, entityId: v1.id }]);
  });

  it('refuses a pin to a technician without the skill with the optimizer’s reason, and stores nothing', async () => {
    const v2 = await latest();
    const ticket = tickets[0]!; // security: the hardware-upgrade technician cannot do it
    const stored = await versions();
    const response = await override(v2.id, { kind: 'move', ticketNumber: ticket, technicianId: upgrades.id, at: '10:00' });
    expect(response.status).toBe(409);
    const { error } = (await response.json()) as any;
    expect(error.code).toBe('conflict');
    expect(error.reason).toBe('NO_QUALIFIED_TECHNICIAN');
    expect(error.message).toContain(`Cannot move ${ticket} to ${upgrades.name}`);
    expect(error.messages.fr).toContain(`Impossible d’affecter ${ticket} à ${upgrades.name}`);
    expect(error.message).toContain(`${upgrades.name} lacks security`);
    expect(error.messages.fr).toContain(`${upgrades.name} n’a pas la qualification security`);
    expect(error.fields).toEqual([{ field: 'technicianId', message: error.message }]);
    expect(await versions()).toEqual(stored);
    expect((await latest()).id).toBe(v2.id);
  });

  it('refuses a pinned time outside the shift, and an old version', async () => {
    const v2 = await latest();
    const ticket = tickets[5]!; // hardware upgrade
    const late = await override(v2.id, { kind: 'move', ticketNumber: ticket, technicianId: upgrades.id, at: '22:00' });
    expect(late.status).toBe(409);
    const lateError = ((await late.json()) as any).error;
    expect(['PINNED_TIME_OUTSIDE_WINDOWS', 'WINDOW_UNREACHABLE']).toContain(lateError.reason);
    expect(lateError.messages.fr).toMatch(/^Impossible d’affecter/);
    const stale = await override(v2.basePlanId!, { kind: 'lock', ticketNumber: ticket });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as any).error.reason).toBe('PLAN_SUPERSEDED');
    const unknown = await override(randomUUID(), { kind: 'lock', ticketNumber: ticket });
    expect(unknown.status).toBe(404);
  });

  it('marks a technician absent: their visits are re-planned or unassigned with reasons, earlier overrides kept', async () => {
    const v2 = await latest();
    const before = technicianOf(v2);
    const theirs = [...before].filter(([, tech]) => tech === east.id).map(([t]) => t);
    expect(theirs.length).toBeGreaterThan(0);
    const response = await override(v2.id, { kind: 'absent', technicianId: east.id });
    const body = (await response.json()) as any;
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.version).toBe(3);
    const v3 = await latest();
    expect(v3.result.routes.find((r) => r.technicianId === east.id)?.stops ?? []).toEqual([]);
    const after = technicianOf(v3);
    for (const ticket of theirs) {
      const unassigned = v3.result.unassigned.find((u) => u.ticketNumber === ticket);
      expect(after.has(ticket) !== (unassigned !== undefined), ticket).toBe(true);
      if (after.has(ticket)) expect(after.get(ticket)).not.toBe(east.id);
      else expect(unassigned!.message.fr.length).toBeGreaterThan(10);
    }
    expect(body.moved.map((m: any) => m.ticketNumber).sort()).toEqual(expect.arrayContaining([...theirs].sort()));
    expect(v3.result.overrides!.map((o) => o.kind)).toEqual(['move', 'absent']);
  });

  it('locks a visit where it is and removes another from the day', async () => {
    const v3 = await latest();
    const lockedStop = v3.result.routes.flatMap((r) => r.stops).find((s) => tickets.includes(s.ticketNumber) && !s.locked)!;
    const lock = await override(v3.id, { kind: 'lock', ticketNumber: lockedStop.ticketNumber });
    expect(lock.status).toBe(200);
    const v4 = await latest();
    const stop = v4.result.routes.flatMap((r) => r.stops).find((s) => s.ticketNumber === lockedStop.ticketNumber)!;
    expect(stop).toMatchObject({ locked: true, start: lockedStop.start });

    const removedTicket = tickets.find((t) => t !== lockedStop.ticketNumber && technicianOf(v4).has(t))!;
    const remove = await override(v4.id, { kind: 'remove', ticketNumber: removedTicket });
    expect(remove.status).toBe(200);
    const v5 = await latest();
    expect(v5.version).toBe(5);
    expect(technicianOf(v5).has(removedTicket)).toBe(false);
    expect(v5.result.unassigned.some((u) => u.ticketNumber === removedTicket)).toBe(false);
    expect(v5.result.removed!.map((r) => r.ticketNumber)).toEqual([removedTicket]);
    // The request itself is untouched: still waiting for another day.
    expect(
      (await db.selectFrom('serviceRequests').select('status').where('ticketNumber', '=', removedTicket).executeTakeFirstOrThrow()).status,
    ).toBe('awaiting_planning');
  });

  it('applies an override sent twice with the same Idempotency-Key once, and answers the retry with that outcome', async () => {
    const v5 = await latest();
    const ticket = v5.result.routes.flatMap((r) => r.stops).find((s) => tickets.includes(s.ticketNumber) && !s.locked)!.ticketNumber;
    const send = () =>
      fetch(`${url}/api/dispatch/plans/${v5.id}/overrides`, {
        method: 'POST',
        headers: { ...json(dispatcher.headers), 'Idempotency-Key': `lock-${ticket}-retry-test` },
        body: JSON.stringify({ kind: 'lock', ticketNumber: ticket }),
      });
    const first = (await (await send()).json()) as any;
    const retry = await send();
    expect(retry.status).toBe(200);
    const second = (await retry.json()) as any;
    expect(second.planId).toBe(first.planId);
    expect(second.version).toBe(6);
    const stored = await versions();
    expect(stored.length).toBe(6);
    expect((await latest()).id).toBe(first.planId);
  });

  it('refuses a malformed override with a 400 naming the field', async () => {
    const v = await latest();
    const response = await override(v.id, { kind: 'move', ticketNumber: tickets[0], technicianId: east.id, at: '25:00' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.fields[0].field).toBe('at');
  });
});
