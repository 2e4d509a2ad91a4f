/**
 * The time of a remote resolution is stored by the activity that records the proposal: once per
 * idempotency key, whether the activity is retried after its commit or two attempts race.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { testDb, testSupportEmail } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient } from '../../scripts/testing/fixtures.js';
import { createClosedIntervention } from '../billing/test/billing-fixtures.js';
import { createMailer, type Mailer } from '../notifications/mailer.js';
import { createLifecycleActivities } from './lifecycle.activities.js';

describe('recording the time of a remote resolution', () => {
  let db: Kysely<DB>;
  let mailer: Mailer;
  let lifecycle: ReturnType<typeof createLifecycleActivities>;

  beforeAll(async () => {
    db = testDb(4);
    mailer = createMailer({ db, from: 'Support <support@msp.test>' });
    lifecycle = createLifecycleActivities({ db, mailer, supportEmail: testSupportEmail() });
  });

  afterAll(async () => {
    await mailer?.close();
    await db?.destroy();
  });

  async function proposal() {
    const tenant = await createTestClient(db);
    const request = await createClosedIntervention(db, tenant, { visits: [] });
    const agent = await createTestAccount(db, 'support_agent');
    const input = {
      workflowId: request.workflowId,
      kind: 'solution',
      actor: 'support' as const,
      actorId: agent.userId,
      message: 'Réinstaller le pilote',
      payload: { minutes: 25 },
      idempotencyKey: `${request.workflowId}:4:solution`,
      remoteSession: { minutes: 25, at: '2026-11-20T09:05:00Z' },
    };
    const rows = async () => ({
      events: await db
        .selectFrom('requestEvents')
        .select('kind')
        .where('requestId', '=', request.requestId)
        .where('kind', '=', 'solution')
        .execute(),
      sessions: await db.selectFrom('remoteSessions').selectAll().where('requestId', '=', request.requestId).execute(),
    });
    return { input, rows, agent };
  }

  it('writes the entry and the session once when the activity runs again', async () => {
    const { input, rows, agent } = await proposal();
    expect(await lifecycle.recordEvent(input)).toBe(true);
    expect(await lifecycle.recordEvent(input)).toBe(false);
    const { events, sessions } = await rows();
    expect(events).toHaveLength(1);
    expect(sessions).toMatchObject([
      { minutes: 25, actorType: 'support', userId: agent.userId, performedAt: new Date('2026-11-20T09:05:00Z') },
    ]);
  });

  it('writes one session when two attempts race', async () => {
    const { input, rows } = await proposal();
    const results = await Promise.all([lifecycle.recordEvent(input), lifecycle.recordEvent(input), lifecycle.recordEvent(input)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await rows()).sessions).toHaveLength(1);
  });

  it('keeps the time when the proposing account no longer exists', async () => {
    const { input, rows } = await proposal();
    await lifecycle.recordEvent({ ...input, actorId: randomUUID() });
    expect((await rows()).sessions).toMatchObject([{ minutes: 25, userId: null }]);
  });

  it('is protected by row-level security and bounded like the API (1 to 480 minutes)', async () => {
    const policies = await sql<{ qual: string }>`select qual from pg_policies where tablename = 'remote_sessions'`.execute(db);
    expect(policies.rows.map((p) => p.qual)).toEqual([expect.stringContaining('app_request_visible(request_id)')]);
    const { input } = await proposal();
    for (const minutes of [0, 481]) {
      await expect(
        lifecycle.recordEvent({ ...input, idempotencyKey: randomUUID(), remoteSession: { ...input.remoteSession, minutes } }),
      ).rejects.toThrow(/remote_sessions_minutes_check|check constraint/);
    }
  });
});
