/**
 * GET /api/operations/stuck against the real PostgreSQL, Temporal and worker: the worker's
 * records activities lose their database (a pool pointed at a closed port: real ECONNREFUSED
 * errors from pg), an intake's first write keeps failing and is listed with its error; once the
 * database is back, the retry goes through, nothing is lost, and the listing is empty again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordActivities } from '../../activities/records/records.activities.js';
import { createDb } from '../../db/index.js';
import { eventually, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody } from '../../scripts/testing/fixtures.js';
import type { StuckActivity, StuckListing } from '../operations/stuck-activities.js';

describe('GET /api/operations/stuck', () => {
  let platform: TestPlatform;
  let databaseUp = false;
  const deadDb = createDb({ connectionString: 'postgres://nobody@127.0.0.1:1/down', max: 1, applicationName: 'vitest-down' });

  beforeAll(async () => {
    platform = await startTestPlatform({
      app: { log: () => {}, waits: { intakeConfirmMs: 300 } },
      // The intake's write goes to a database that is down until the test brings it back.
      activities: (db) => {
        const up = createRecordActivities({ db });
        const down = createRecordActivities({ db: deadDb });
        return { registerIntake: (input: Parameters<typeof up.registerIntake>[0]) => (databaseUp ? up : down).registerIntake(input) };
      },
    });
  });
  afterAll(async () => {
    await platform?.stop();
    await deadDb.destroy();
  });

  const get = async (path: string, headers: Record<string, string>) => {
    const response = await fetch(`${platform.url}/api${path}`, { headers });
    return { status: response.status, body: (await response.json()) as StuckListing };
  };

  it('lists an intervention whose activity keeps failing, with its error, until it recovers', async () => {
    const tenant = await createTestClient(platform.db);
    const client = await createTestAccount(platform.db, 'client_user', { clientId: tenant.clientId });
    const admin = await createTestAccount(platform.db, 'admin');
    const support = await createTestAccount(platform.db, 'support_agent');

    const created = await fetch(`${platform.url}/api/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...client.headers },
      body: JSON.stringify(intakeBody(tenant)),
    });
    expect(created.status).toBe(202);
    const { ticketNumber } = (await created.json()) as { ticketNumber: string };

    const stuck = await eventually(
      async () => (await get('/operations/stuck', admin.headers)).body.items.find((item) => item.ticketNumber === ticketNumber),
      `${ticketNumber} listed as stuck`,
      30_000,
      250,
    );
    expect(stuck).toMatchObject<Partial<StuckActivity>>({
      workflowId: `intervention-${ticketNumber}`,
      workflowType: 'interventionWorkflow',
      activityType: 'registerIntake',
    });
    expect(stuck.attempt).toBeGreaterThanOrEqual(3);
    expect(stuck.lastFailure?.message).toMatch(/ECONNREFUSED/);
    expect(Date.parse(stuck.lastAttemptAt!)).toBeLessThanOrEqual(Date.now());
    expect(stuck.nextRetryAt === null || Date.parse(stuck.nextRetryAt) > Date.parse(stuck.lastAttemptAt!)).toBe(true);
    // Bounded: the seven-day schedule-to-close of durable writes.
    expect(Date.parse(stuck.expiresAt!) - Date.now()).toBeGreaterThan(6 * 24 * 3600_000);
    const listing = (await get('/operations/stuck', admin.headers)).body;
    expect(listing.scanned).toBeGreaterThanOrEqual(1);
    expect(listing.running).toBeGreaterThanOrEqual(listing.scanned);
    expect(listing.minAttempts).toBe(3);

    // Admins only; a bad threshold is named.
    expect((await get('/operations/stuck', support.headers)).status).toBe(403);
    const bad = await fetch(`${platform.url}/api/operations/stuck?minAttempts=1`, { headers: admin.headers });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/minAttempts/);

    // The database is back: the next retry writes the request, and nothing is stuck any more.
    databaseUp = true;
    await eventually(
      async () =>
        (await platform.db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', ticketNumber).executeTakeFirst()) ?? null,
      `${ticketNumber} written after the outage`,
      60_000,
      500,
    );
    await eventually(
      async () => !(await get('/operations/stuck', admin.headers)).body.items.some((item) => item.ticketNumber === ticketNumber),
      `${ticketNumber} no longer listed`,
      30_000,
      500,
    );
  });
});
