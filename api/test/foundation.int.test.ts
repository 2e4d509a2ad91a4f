/**
 * Foundation: the API starts an intervention workflow on the real Temporal server, the workflow
 * writes to the real PostgreSQL, and the health check tells the truth about both.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { createApp } from '../app.js';
import { createDb, type DB } from '../../db/index.js';
import { startPostgres } from '../../scripts/postgres.js';
import { listen, startTestPlatform, type TestPlatform, type TestWorker } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';
import { getStateQuery, interventionWorkflowId } from '../../workflows/intervention/intervention.contract.js';
import { enforceResponseSchemas } from '../../scripts/testing/response-check.js';

describe('the platform on real Temporal and PostgreSQL', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let client: Client;
  let worker: TestWorker;
  let url: string;
  let tenant: TestClient;
  let auth: Record<string, string>;

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { log: () => {} } });
    ({ db, client, url } = platform);
    worker = platform.worker!;
    tenant = await createTestClient(db);
    auth = (await createTestAccount(db, 'support_agent')).headers;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('starts a workflow through the API that the Temporal client can see and query', async () => {
    const response = await fetch(`${url}/api/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(intakeBody(tenant)),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as any;
    expect(body.ticketNumber).toMatch(/^INT-\d{4}-\d{6}$/);
    expect(body.priority).toBe('P2');
    expect(response.headers.get('location')).toBe(`/api/requests/${body.ticketNumber}`);

    const handle = client.workflow.getHandle(interventionWorkflowId(body.ticketNumber));
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.taskQueue).toBe(worker.taskQueue);
    const state = await handle.query(getStateQuery);
    expect(state.ticketNumber).toBe(body.ticketNumber);
    expect(state.status).toBe('analysis');

    const row = await db
      .selectFrom('serviceRequests')
      .select(['status', 'clientStatus', 'priority', 'clientId'])
      .where('ticketNumber', '=', body.ticketNumber)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'analysis', clientStatus: 'in_analysis', priority: 'P2', clientId: tenant.clientId });

    const detail = (await (await fetch(`${url}/api/requests/${body.ticketNumber}`, { headers: auth })).json()) as any;
    expect(detail.timeline.map((e: { toStatus: string }) => e.toStatus)).toEqual(['new', 'analysis']);
  });

  it('refuses an invalid intake with a 400 naming the fields, and stores nothing', async () => {
    const before = await db.selectFrom('serviceRequests').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const response = await fetch(`${url}/api/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(intakeBody(tenant, { serviceType: 'plumbing', contact: { name: 'X', email: 'not-an-email' } })),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.error.code).toBe('validation_failed');
    const fields = body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['serviceType', 'contact.email']));
    const after = await db.selectFrom('serviceRequests').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('cancels through an update and refuses a second cancel with 409, changing nothing', async () => {
    const created = (await (
      await fetch(`${url}/api/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify(intakeBody(tenant)),
      })
    ).json()) as any;
    const cancel = (reason: string) =>
      fetch(`${url}/api/requests/${created.ticketNumber}/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ reason }),
      });
    const first = await cancel('Doublon');
    expect(first.status).toBe(200);
    expect(((await first.json()) as any).status).toBe('cancelled');
    const second = await cancel('Encore');
    expect(second.status).toBe(409);
    expect(((await second.json()) as any).error.code).toBe('invalid_transition');
    const events = await db
      .selectFrom('requestEvents as e')
      .innerJoin('serviceRequests as r', 'r.id', 'e.requestId')
      .select(['e.toStatus', 'e.message'])
      .where('r.ticketNumber', '=', created.ticketNumber)
      .orderBy('e.id')
      .execute();
    expect(events.map((e) => e.toStatus)).toEqual(['new', 'analysis', 'cancelled']);
    expect(events[2]?.message).toBe('Doublon');
  });

  it('reports healthy, then names PostgreSQL when it is stopped', async () => {
    const healthy = await fetch(`${url}/healthz`);
    expect(healthy.status).toBe(200);
    expect(((await healthy.json()) as any).checks.postgres.ok).toBe(true);

    const scratch = process.env.TEST_SCRATCH_DIR!;
    const pg = await startPostgres({
      dataDir: path.join(scratch, `pg-health-${randomUUID().slice(0, 6)}`),
      database: 'health',
      persistent: false,
      log: () => {},
    });
    const ownDb = createDb({ connectionString: pg.url, max: 1 });
    const own = await listen(createApp({ db: ownDb, temporal: client, log: () => {}, checkResponses: enforceResponseSchemas }));
    try {
      expect((await fetch(`${own.url}/healthz`)).status).toBe(200);
      await pg.stop();
      const down = await fetch(`${own.url}/healthz`);
      expect(down.status).toBe(503);
      const body = (await down.json()) as any;
      expect(body.status).toBe('unavailable');
      expect(body.message).toBe('unavailable: postgres');
      expect(body.checks.postgres.ok).toBe(false);
      expect(body.checks.postgres.error).toBeTruthy();
      expect(body.checks.temporal.ok).toBe(true);
    } finally {
      own.server.close();
      await ownDb.destroy();
    }
  });
});
