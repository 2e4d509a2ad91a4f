/**
 * The retention run, started the way production starts it (the Temporal Schedule, triggered
 * now), on the real worker and PostgreSQL: it anonymises exactly the personal data of the
 * interventions past their contract's retention period, and nothing else.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Connection } from '@temporalio/client';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { ensureRetentionSchedule } from '../../scripts/retention-schedule.js';
import { startTestWorker, testClient, testDb, uniqueTaskQueue, type TestWorker } from '../../scripts/testing/env.js';
import { interventionWorkflowId } from '../../workflows/intervention/intervention.contract.js';
import { createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import type { RetentionResult } from '../../workflows/retention/retention.contract.js';
import { createBillingActivities } from '../billing/billing.activities.js';
import { sellerProfileFromConfig } from '../billing/seller-profile.js';
import { createClosedIntervention } from '../billing/test/billing-fixtures.js';
import { createMailer } from '../notifications/mailer.js';
import { loadConfig } from '../../platform/config.js';
import { ANONYMISED } from './retention.activities.js';

let counter = 900_000 + Math.floor(Math.random() * 90_000);

async function insertRequest(
  db: Kysely<DB>,
  tenant: TestClient,
  contractId: string,
  status: 'closed' | 'cancelled' | 'analysis',
  endedMonthsAgo: number,
): Promise<{ id: string; ticket: string }> {
  const ticket = `INT-2019-${String(counter++)}`;
  const ended = sql<Date>`now() - make_interval(months => ${endedMonthsAgo})`;
  const row = await db
    .insertInto('serviceRequests')
    .values({
      ticketNumber: ticket,
      workflowId: `intervention:${ticket}`,
      clientId: tenant.clientId,
      locationId: tenant.locationId,
      contractId,
      requesterContactId: tenant.contactId,
      serviceType: 'hardware_repair',
      title: 'Imprimante en panne',
      description: 'Bourrage papier permanent',
      businessImpact: 'Pas de factures imprimées',
      impactLevel: 'medium',
      urgency: 'medium',
      priority: 'P3',
      status,
      contactDetails: JSON.stringify({ name: 'Claire Martin', email: tenant.contactEmail, phone: '+33 6 00 00 00 00' }),
      locationDetails: JSON.stringify({
        name: 'Siège',
        city: 'Paris',
        onSiteContactName: 'Paul Durand',
        onSiteContactPhone: '+33 1 40 00 00 01',
      }),
      deviceDetails: JSON.stringify({ brand: 'HP', model: 'LaserJet', assignedUser: 'p.durand' }),
      createdAt: sql<Date>`now() - make_interval(months => ${endedMonthsAgo + 1})`,
      ...(status === 'closed' ? { closedAt: ended } : status === 'cancelled' ? { cancelledAt: ended } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('requestAttachments')
    .values(
      (['diagnostic_bundle', 'photo', 'report'] as const).map((kind) => ({
        requestId: row.id,
        kind,
        filename: `${kind}.bin`,
        contentType: 'application/octet-stream',
        sizeBytes: 3,
        sha256: 'x',
        content: Buffer.from('abc'),
      })),
    )
    .execute();
  await db
    .insertInto('outboundMessages')
    .values({
      idempotencyKey: `retention-test:${ticket}`,
      requestId: row.id,
      fromAddress: 'support@test.local',
      toAddresses: [tenant.contactEmail],
      subject: `Votre demande ${ticket}`,
      textBody: 'Bonjour Claire Martin, …',
      transport: 'outbox',
      status: 'stored',
    })
    .execute();
  await db
    .insertInto('consents')
    .values({ requestId: row.id, subjectEmail: tenant.contactEmail, purpose: 'diagnostic_data', granted: true })
    .execute();
  return { id: row.id, ticket };
}

/** Everything stored about a request, to compare before/after. */
async function snapshot(db: Kysely<DB>, requestId: string) {
  const request = await db.selectFrom('serviceRequests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
  const attachments = await db
    .selectFrom('requestAttachments')
    .select(['kind', 'filename'])
    .where('requestId', '=', requestId)
    .orderBy('kind')
    .execute();
  const messages = await db
    .selectFrom('outboundMessages')
    .select(['subject', 'toAddresses', 'textBody', 'createdAt'])
    .where('requestId', '=', requestId)
    .execute();
  const consents = await db
    .selectFrom('consents')
    .select(['subjectEmail', 'granted', 'recordedAt'])
    .where('requestId', '=', requestId)
    .execute();
  return { request, attachments, messages, consents };
}

describe('GDPR retention run (Temporal Schedule → workflow → activity)', () => {
  let db: Kysely<DB>;
  let client: Client;
  let connection: Connection;
  let worker: TestWorker;

  beforeAll(async () => {
    db = testDb();
    ({ client, connection } = await testClient());
    worker = await startTestWorker({ db });
  });

  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await db?.destroy();
  });

  it("anonymises exactly the personal data of interventions closed longer ago than their contract's retention, and nothing else", async () => {
    const tenant = await createTestClient(db); // contract retention: 36 months (default)
    const shortContract = await db
      .insertInto('contracts')
      .values({
        clientId: tenant.clientId,
        reference: `CT-SHORT-${randomUUID().slice(0, 8)}`,
        name: 'Contrat 12 mois',
        kind: 'standard',
        coverage: 'business_hours',
        startsOn: '2019-01-01',
        hourlyRateCents: 9000,
        dataRetentionMonths: 12,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const expiredLong = await insertRequest(db, tenant, tenant.contractId, 'closed', 40); // 40 > 36
    const expiredShort = await insertRequest(db, tenant, shortContract.id, 'cancelled', 13); // 13 > 12
    const keptRecent = await insertRequest(db, tenant, tenant.contractId, 'closed', 30); // 30 < 36
    const keptShortRecent = await insertRequest(db, tenant, shortContract.id, 'closed', 11); // 11 < 12
    const keptOpen = await insertRequest(db, tenant, tenant.contractId, 'analysis', 60); // still open

    // An invoiced intervention past retention: its personal data goes, its invoice stays as issued
    // (a legal record kept 10 years, Code de commerce L123-22).
    const billing = createBillingActivities({
      db,
      mailer: createMailer({ db, from: 'facturation@msp.test' }),
      seller: sellerProfileFromConfig(loadConfig({})),
      financeEmail: 'compta@msp.test',
    });
    const invoicedRequest = await createClosedIntervention(db, tenant, { visits: [{ minutes: 60 }] });
    const issued = await billing.issueInvoice(invoicedRequest);
    await db
      .updateTable('serviceRequests')
      .set({
        status: 'closed',
        closedAt: sql<Date>`now() - make_interval(months => 40)`,
        contactDetails: JSON.stringify({ name: 'Claire Martin', email: tenant.contactEmail }),
      })
      .where('id', '=', invoicedRequest.requestId)
      .execute();
    await db
      .insertInto('requestAttachments')
      .values({
        requestId: invoicedRequest.requestId,
        kind: 'photo',
        filename: 'p.png',
        contentType: 'image/png',
        sizeBytes: 1,
        sha256: 'x',
        content: Buffer.from('p'),
      })
      .execute();
    const invoiceBefore = await db.selectFrom('invoices').selectAll().where('id', '=', issued.invoiceId).executeTakeFirstOrThrow();
    const invoiced = { id: invoicedRequest.requestId, ticket: invoicedRequest.ticketNumber };

    const everyRequest = [expiredLong, expiredShort, keptRecent, keptShortRecent, keptOpen, invoiced].map((r) => r.id);
    const attachmentsBefore = await db
      .selectFrom('requestAttachments')
      .select(['id', 'requestId', 'kind'])
      .where('requestId', 'in', everyRequest)
      .execute();

    const kept = [keptRecent, keptShortRecent, keptOpen];
    const keptBefore = await Promise.all(kept.map((r) => snapshot(db, r.id)));
    const expiredBefore = await Promise.all([expiredLong, expiredShort].map((r) => snapshot(db, r.id)));
    const contactBefore = await db.selectFrom('clientContacts').selectAll().where('id', '=', tenant.contactId).executeTakeFirstOrThrow();

    const scheduleId = `retention-test-${randomUUID()}`;
    const schedule = await ensureRetentionSchedule(client, { taskQueue: worker.taskQueue, scheduleId, input: { batchSize: 1 } });
    try {
      // Create-or-update: a second registration updates the same schedule.
      await ensureRetentionSchedule(client, { taskQueue: worker.taskQueue, scheduleId, input: { batchSize: 1 }, hour: 4 });
      const described = await schedule.describe();
      expect(described.spec.timezone).toBe('Europe/Paris');
      expect(described.spec.calendars?.[0]?.hour).toEqual([{ start: 4, end: 4, step: 1 }]);

      await schedule.trigger();
      let workflowId: string | undefined;
      for (let i = 0; i < 100 && !workflowId; i++) {
        const action = (await schedule.describe()).info.recentActions[0];
        workflowId = action?.action.workflow.workflowId;
        if (!workflowId) await new Promise((r) => setTimeout(r, 100));
      }
      expect(workflowId).toBeDefined();
      const result = (await client.workflow.getHandle(workflowId!).result()) as RetentionResult;
      expect(result.anonymised).toEqual(expect.arrayContaining([expiredLong.ticket, expiredShort.ticket, invoiced.ticket]));
      for (const r of kept) expect(result.anonymised).not.toContain(r.ticket);
      // batchSize 1: one batch per anonymised request, plus the empty one that ends the run.
      expect(result.batches).toBe(result.anonymised.length + 1);
    } finally {
      await schedule.delete();
    }

    // Exactly the photos and diagnostic bundles of the expired interventions are gone.
    const expiredIds = [expiredLong.id, expiredShort.id, invoiced.id];
    const remaining = new Set(
      (await db.selectFrom('requestAttachments').select('id').where('requestId', 'in', everyRequest).execute()).map((a) => a.id),
    );
    const removed = attachmentsBefore.filter((a) => !remaining.has(a.id));
    const expectedRemoved = attachmentsBefore.filter(
      (a) => expiredIds.includes(a.requestId) && (a.kind === 'photo' || a.kind === 'diagnostic_bundle'),
    );
    expect(removed.map((a) => a.id).sort()).toEqual(expectedRemoved.map((a) => a.id).sort());
    expect(removed).toHaveLength(5);

    // The invoice is a legal record: kept as issued, buyer snapshot included.
    expect(await db.selectFrom('invoices').selectAll().where('id', '=', issued.invoiceId).executeTakeFirstOrThrow()).toEqual(invoiceBefore);
    expect(
      (await db.selectFrom('serviceRequests').select('contactDetails').where('id', '=', invoiced.id).executeTakeFirstOrThrow())
        .contactDetails,
    ).toEqual({ anonymised: true });

    // Untouched, to the byte.
    const keptAfter = await Promise.all(kept.map((r) => snapshot(db, r.id)));
    expect(keptAfter).toEqual(keptBefore);
    // Company directory data is not per-intervention personal data: untouched.
    expect(await db.selectFrom('clientContacts').selectAll().where('id', '=', tenant.contactId).executeTakeFirstOrThrow()).toEqual(
      contactBefore,
    );

    for (const [index, target] of [expiredLong, expiredShort].entries()) {
      const before = expiredBefore[index]!;
      const after = await snapshot(db, target.id);
      const { contactDetails, locationDetails, deviceDetails, requesterContactId, anonymisedAt, updatedAt, ...business } = after.request;
      const {
        contactDetails: _c,
        locationDetails: _l,
        deviceDetails: _d,
        requesterContactId: _r,
        anonymisedAt: _a,
        updatedAt: _u,
        ...businessBefore
      } = before.request;
      // Business and legal record: identical.
      expect(business).toEqual(businessBefore);
      // Personal data: gone.
      expect(contactDetails).toEqual({ anonymised: true });
      expect(locationDetails).toEqual({ name: 'Siège', city: 'Paris' });
      expect(deviceDetails).toEqual({ brand: 'HP', model: 'LaserJet' });
      expect(requesterContactId).toBeNull();
      expect(anonymisedAt).toBeInstanceOf(Date);
      expect(after.attachments.map((a) => a.kind)).toEqual(['report']);
      expect(after.messages).toEqual([{ ...before.messages[0], toAddresses: [ANONYMISED], textBody: ANONYMISED }]);
      expect(after.consents).toEqual([{ ...before.consents[0], subjectEmail: ANONYMISED }]);
      const audit = await db
        .selectFrom('auditLog')
        .selectAll()
        .where('action', '=', 'retention_anonymise')
        .where('entityId', '=', target.ticket)
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actorRole).toBe('system');
    }
  });

  it('purges intake files staged past the grace period that no running workflow will attach, and only those', async () => {
    const tenant = await createTestClient(db);
    const suffix = randomUUID().slice(0, 8);
    const ticket = (name: string) => `INT-2019-S${name}-${suffix}`;
    const orphan = ticket('orphan'); // the API stopped before starting its workflow, two days ago
    const waiting = ticket('waiting'); // its workflow runs, no worker has picked it up for two days
    const recent = ticket('recent'); // staged an hour ago: within the grace period
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    const file = (ticketNumber: string, createdAt: Date) => ({
      ticketNumber,
      clientId: tenant.clientId,
      kind: 'photo' as const,
      filename: `${ticketNumber}.png`,
      contentType: 'image/png',
      sizeBytes: 3,
      sha256: 'x',
      content: Buffer.from('abc'),
      createdAt,
    });
    await db
      .insertInto('intakeAttachments')
      .values([
        file(orphan, twoDaysAgo),
        { ...file(orphan, twoDaysAgo), kind: 'diagnostic_bundle', filename: 'diagnostic.json' },
        file(waiting, twoDaysAgo),
        file(recent, new Date(Date.now() - 3600_000)),
      ])
      .execute();
    await db
      .insertInto('intakeIdempotencyKeys')
      .values({ id: `idem-test-${suffix}`, clientId: tenant.clientId, ticketNumber: orphan, requestHash: 'h' })
      .execute();
    // A workflow that stays running: started on a task queue no worker polls.
    const running = await client.workflow.start('interventionWorkflow', {
      workflowId: interventionWorkflowId(waiting),
      taskQueue: uniqueTaskQueue('no-worker'),
      args: [],
    });
    try {
      const result = (await client.workflow.execute('retentionWorkflow', {
        workflowId: `retention-staged-${suffix}`,
        taskQueue: worker.taskQueue,
        args: [{ batchSize: 1 }],
      })) as RetentionResult;
      expect(result.purgedStaged).toContain(orphan);
      expect(result.purgedStaged).not.toContain(waiting);
      expect(result.purgedStaged).not.toContain(recent);
    } finally {
      await running.terminate('test done');
    }
    const left = await db
      .selectFrom('intakeAttachments')
      .select('ticketNumber')
      .where('ticketNumber', 'in', [orphan, waiting, recent])
      .orderBy('ticketNumber')
      .execute();
    expect(left.map((f) => f.ticketNumber).sort()).toEqual([recent, waiting].sort());
    expect(await db.selectFrom('intakeIdempotencyKeys').select('id').where('ticketNumber', '=', orphan).execute()).toEqual([]);
    const audit = await db.selectFrom('auditLog').select(['action', 'actorRole', 'details']).where('entityId', '=', orphan).execute();
    expect(audit).toEqual([
      {
        action: 'retention_purge_staged_intake',
        actorRole: 'system',
        details: expect.objectContaining({
          files: expect.arrayContaining([
            { filename: 'diagnostic.json', sizeBytes: 3 },
            { filename: `${orphan}.png`, sizeBytes: 3 },
          ]),
        }),
      },
    ]);
  });
});
