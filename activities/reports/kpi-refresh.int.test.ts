/**
 * The indicator facts are refreshed the way production does it: the Temporal Schedule, triggered,
 * starts the refresh workflow on a real worker, whose activity computes the facts of a request
 * written meanwhile.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { insertHistoricalRequests } from '../../db/repositories/history.repository.js';
import { ensureKpiRefreshSchedule } from '../../scripts/reports-schedule.js';
import { startTestWorker, testClient, testDb, type TestWorker } from '../../scripts/testing/env.js';
import { createTestClient } from '../../scripts/testing/fixtures.js';
import type { KpiRefreshResult } from '../../workflows/reports/reports.contract.js';

describe('indicator facts refresh (Temporal Schedule → workflow → activity)', () => {
  let db: Kysely<DB>;
  let temporal: { client: Client; connection: Connection };
  let worker: TestWorker;

  beforeAll(async () => {
    db = testDb();
    temporal = await testClient();
    worker = await startTestWorker({ db });
  });
  afterAll(async () => {
    await worker?.stop();
    await temporal?.connection.close();
    await db?.destroy();
  });

  it('computes the facts of a request written since the last refresh', async () => {
    const client = await createTestClient(db);
    const created = new Date('2031-05-05T08:00:00Z');
    const [requestId] = await insertHistoricalRequests(db, [
      {
        ticketNumber: `INT-2031-${String(randomInt(1e9)).padStart(9, '0')}`,
        clientId: client.clientId,
        locationId: client.locationId,
        contractId: client.contractId,
        assetId: null,
        serviceType: 'security',
        priority: 'P2',
        title: 'Compte verrouillé',
        createdAt: created,
        firstResponseAt: new Date('2031-05-05T08:45:00Z'),
        resolvedAt: new Date('2031-05-05T10:00:00Z'),
        closedAt: null,
        cancelledAt: null,
        responseDueAt: null,
        resolutionDueAt: null,
        transitions: [{ at: created, from: 'new', to: 'analysis' }],
        visits: [],
        survey: null,
      },
    ]);
    const scheduleId = `kpi-refresh-test-${randomUUID()}`;
    const schedule = await ensureKpiRefreshSchedule(temporal.client, { taskQueue: worker.taskQueue, scheduleId, everyMinutes: 60 });
    try {
      await schedule.trigger();
      let workflowId: string | undefined;
      for (let i = 0; i < 100 && !workflowId; i++) {
        workflowId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!workflowId) await new Promise((r) => setTimeout(r, 100));
      }
      const result = (await temporal.client.workflow.getHandle(workflowId!).result()) as KpiRefreshResult;
      expect(result.refreshed).toBeGreaterThanOrEqual(1);
    } finally {
      await schedule.delete();
    }
    const facts = await db.selectFrom('kpiRequestFacts').selectAll().where('requestId', '=', requestId!).executeTakeFirstOrThrow();
    // Monday 5 May 2031 10:00 → 10:45 Paris, inside business hours: 45 minutes either way.
    expect(facts).toMatchObject({ firstResponseMinutes: 45, firstResponseBusinessMinutes: 45, resolutionMinutes: 120 });
  });
});
