/**
 * The daily plan end to end: the API starts the workflow, the dispatch activity loads the day
 * from PostgreSQL, the optimizer plans it while heartbeating, the plan is stored once and served.
 */
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
  intakeBody,
  type TestClient,
} from '../../scripts/testing/fixtures.js';
import type { Priority, ServiceType } from '../../workflows/intervention/intervention.vocabulary.js';
import { getStateQuery, interventionWorkflowId } from '../../workflows/intervention/intervention.contract.js';

const DATE = '2026-11-23'; // a Monday
const MONDAY = { weekday: 1, startsAt: '08:30', endsAt: '17:30' };

/** A request waiting for planning, at its own site (the shared fixture). */
const addOpenRequest = (db: Kysely<DB>, tenant: TestClient, serviceType: ServiceType, priority: Priority, lat: number, lon: number) =>
  addPlannableRequest(db, { clientId: tenant.clientId, serviceType, priority, lat, lon, siteName: `Site ${lat}` });

describe('daily plan', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let client: Client;
  let url: string;
  let dispatcher: Record<string, string>;
  const json = (headers: Record<string, string>) => ({ ...headers, 'content-type': 'application/json' });

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { log: () => {} } });
    ({ db, client, url } = platform);
    dispatcher = (await createTestAccount(db, 'dispatcher')).headers;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('plans the day through the API: every P1 placed, the unplaceable one explained, progress then summary', async () => {
    const tenant = await createTestClient(db);
    await addTechnician(db, {
      firstName: 'Réseau',
      latitude: 48.86,
      longitude: 2.38,
      skills: { network_configuration: 5, hardware_repair: 3 },
      shift: MONDAY,
    });
    await addTechnician(db, {
      firstName: 'Matériel',
      latitude: 48.84,
      longitude: 2.3,
      skills: { hardware_repair: 4, software_troubleshooting: 3 },
      shift: MONDAY,
    });
    const p1 = await addOpenRequest(db, tenant, 'network_configuration', 'P1', 48.87, 2.32);
    const p2 = await addOpenRequest(db, tenant, 'hardware_repair', 'P2', 48.85, 2.35);
    const p3 = await addOpenRequest(db, tenant, 'software_troubleshooting', 'P3', 48.83, 2.31);
    // Nobody in this day's team does data recovery at the required level.
    const nobody = await addOpenRequest(db, tenant, 'data_recovery', 'P2', 48.88, 2.36);

    const start = await fetch(`${url}/api/dispatch/plans`, {
      method: 'POST',
      headers: json(dispatcher),
      body: JSON.stringify({ date: DATE, seconds: 2, seed: 7 }),
    });
    expect(start.status).toBe(202);
    const { workflowId } = (await start.json()) as { workflowId: string };

    let run: any;
    const seenPhases = new Set<string>();
    for (let i = 0; i < 120; i++) {
      run = await (await fetch(`${url}/api/dispatch/runs/${workflowId}`, { headers: dispatcher })).json();
      if (run.progress?.phase) seenPhases.add(run.progress.phase);
      if (run.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(run.status).toBe('COMPLETED');
    expect(seenPhases.has('solving')).toBe(true);
    expect(run.summary.feasible).toBe(true);

    const plan = (await (await fetch(`${url}/api/dispatch/plans?date=${DATE}`, { headers: dispatcher })).json()) as any;
    // Every open request of the database is a visit of the day, including other test files' (an
    // urgent one their team alone can do, say): this day's P1 is placed, and the summary says
    // whether all of the day's P1 were.
    expect(run.summary.allP1Placed).toBe(plan.result.unassigned.every((u: any) => u.priority !== 'P1'));
    const routed = plan.result.routes.flatMap((r: any) => r.stops.map((s: any) => s.ticketNumber));
    const unassigned = plan.result.unassigned.map((u: any) => u.ticketNumber);
    for (const r of [p1, p2, p3, nobody]) {
      expect(routed.includes(r.ticketNumber) !== unassigned.includes(r.ticketNumber), r.ticketNumber).toBe(true);
    }
    expect(routed).toEqual(expect.arrayContaining([p1.ticketNumber, p2.ticketNumber, p3.ticketNumber]));
    const explained = plan.result.unassigned.find((u: any) => u.ticketNumber === nobody.ticketNumber);
    expect(explained.reason).toBe('NO_QUALIFIED_TECHNICIAN');
    expect(explained.message.fr).toMatch(/data_recovery/);
    // Times are wall-clock Paris times within the shifts.
    for (const route of plan.result.routes) {
      for (const stop of route.stops) {
        expect(stop.start).toMatch(/^2026-11-23T(0[89]|1[0-8]):\d\d:00\.000\+01:00$/);
      }
    }

    const stored = await db.selectFrom('dispatchPlans').select(['workflowId']).where('workflowId', '=', workflowId).execute();
    expect(stored).toHaveLength(1);
  });

  it('refuses a bad date with a 400 naming the field', async () => {
    const response = await fetch(`${url}/api/dispatch/plans`, {
      method: 'POST',
      headers: json(dispatcher),
      body: JSON.stringify({ date: '2026-13-40', seconds: 2 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.fields[0].field).toBe('date');
  });

  it('publishes a plan: each planned visit becomes the intervention’s assignment, through its workflow', async () => {
    const date = '2026-11-24'; // a Tuesday
    const tenant = await createTestClient(db);
    const clientUser = (await createTestAccount(db, 'client_user', { clientId: tenant.clientId })).headers;
    const support = (await createTestAccount(db, 'support_agent')).headers;
    const { id: tech } = await addTechnician(db, {
      firstName: 'Publication',
      latitude: 48.8556,
      longitude: 2.3585,
      skills: { hardware_repair: 4 },
      shift: MONDAY,
    });
    await db.insertInto('technicianShifts').values({ technicianId: tech, weekday: 2, startsAt: '08:30', endsAt: '17:30' }).execute();
    const tickets: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = (await (
        await fetch(`${url}/api/requests`, { method: 'POST', headers: json(clientUser), body: JSON.stringify(intakeBody(tenant)) })
      ).json()) as any;
      tickets.push(created.ticketNumber);
      const triage = await fetch(`${url}/api/requests/${created.ticketNumber}/triage`, {
        method: 'POST',
        headers: json(support),
        body: JSON.stringify({ decision: 'intervene' }),
      });
      expect(triage.status).toBe(200);
    }
    const start = (await (
      await fetch(`${url}/api/dispatch/plans`, { method: 'POST', headers: json(dispatcher), body: JSON.stringify({ date, seconds: 2 }) })
    ).json()) as any;
    await client_result(start.workflowId);
    const plan = (await (await fetch(`${url}/api/dispatch/plans?date=${date}`, { headers: dispatcher })).json()) as any;
    const planned = plan.result.routes.flatMap((r: any) =>
      r.stops.map((s: any) => ({ ticket: s.ticketNumber, technicianId: r.technicianId, start: s.start })),
    );
    const ours = planned.filter((p: any) => tickets.includes(p.ticket));
    expect(ours).toHaveLength(2);

    const published = await fetch(`${url}/api/dispatch/plans/${plan.id}/publish`, { method: 'POST', headers: dispatcher });
    expect(published.status).toBe(200);
    const outcome = (await published.json()) as any;
    expect(outcome.assigned).toEqual(expect.arrayContaining(tickets));
    for (const p of ours) {
      const state = await client.workflow.getHandle(interventionWorkflowId(p.ticket)).query(getStateQuery);
      expect(state.status).toBe('scheduled');
      const row = await db
        .selectFrom('assignments as a')
        .innerJoin('serviceRequests as r', 'r.id', 'a.requestId')
        .select(['a.technicianId', 'a.scheduledStart', 'a.source', 'a.status'])
        .where('r.ticketNumber', '=', p.ticket)
        .executeTakeFirstOrThrow();
      expect(row.technicianId).toBe(p.technicianId);
      expect(row.scheduledStart.toISOString()).toBe(new Date(p.start).toISOString());
      expect(row.source).toBe('optimizer');
    }
    // A plan is published once.
    expect((await fetch(`${url}/api/dispatch/plans/${plan.id}/publish`, { method: 'POST', headers: dispatcher })).status).toBe(409);
  });

  async function client_result(workflowId: string) {
    return client.workflow.getHandle(workflowId).result();
  }
});
