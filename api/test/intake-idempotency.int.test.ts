/**
 * POST /api/requests with an Idempotency-Key, on the real app, PostgreSQL and Temporal: a
 * resubmission (double click, retry after a dropped connection or a 202) gets the ticket of the
 * first attempt — one ticket number, one workflow, one set of files — and the same key with
 * another body is refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { eventually as waitUntil, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';
import { interventionWorkflowId } from '../../workflows/intervention/intervention.contract.js';
import { enterScope } from '../auth/access.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('idem-photo-'), Buffer.alloc(64, 7)]);
const PHOTO = { filename: 'ecran.png', contentType: 'image/png', dataBase64: PNG.toString('base64') };
const INTAKE_MS = 1_500;

/** Background work here waits on a worker coming back: 30 s, polled every 200 ms. */
const eventually = <T>(probe: () => Promise<T | undefined | null | false>, what: string) => waitUntil(probe, what, 30_000, 200);

describe('intake with an Idempotency-Key', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let tenant: TestClient;
  let client: Record<string, string>;
  let colleague: Record<string, string>;
  let clientUserId: string;
  let colleagueUserId: string;

  const post = async (body: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${platform.url}/api/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const requestsOfTenant = async () =>
    db.selectFrom('serviceRequests').select('ticketNumber').where('clientId', '=', tenant.clientId).execute();
  const filesOf = async (ticket: string) =>
    db
      .selectFrom('requestAttachments')
      .innerJoin('serviceRequests', 'serviceRequests.id', 'requestAttachments.requestId')
      .select('requestAttachments.filename')
      .where('serviceRequests.ticketNumber', '=', ticket)
      .execute();
  const acceptedIntakeUpdates = async (ticket: string) => {
    const history = await platform.client.workflow.getHandle(interventionWorkflowId(ticket)).fetchHistory();
    return (history.events ?? []).filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'confirmIntake',
    );
  };

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { log: () => {}, waits: { intakeConfirmMs: INTAKE_MS } } });
    db = platform.db;
    tenant = await createTestClient(db);
    ({ headers: client, userId: clientUserId } = await createTestAccount(db, 'client_user', { clientId: tenant.clientId }));
    ({ headers: colleague, userId: colleagueUserId } = await createTestAccount(db, 'client_user', { clientId: tenant.clientId }));
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers two concurrent identical submissions with one key with one ticket, one workflow, one set of files', async () => {
    const key = randomUUID();
    const body = intakeBody(tenant, { photos: [PHOTO] });
    // Truly concurrent: the staging table is locked until both submissions are inside their first
    // transaction and waiting (on the key's lock, or on this one), so neither can finish first.
    const { pending } = await db.transaction().execute(async (trx) => {
      await sql`lock table intake_attachments in share row exclusive mode`.execute(trx);
      const both = Promise.all([post(body, { ...client, 'Idempotency-Key': key }), post(body, { ...client, 'Idempotency-Key': key })]);
      await eventually(async () => {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_locks where not granted and (locktype = 'advisory' or relation = 'intake_attachments'::regclass)`.execute(
          db,
        );
        return rows[0]!.n >= 2;
      }, 'both submissions to wait inside their transaction');
      return { pending: both };
    });
    const [a, b] = await pending;
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.ticketNumber).toMatch(/^INT-\d{4}-\d{6}$/);
    expect(b.body.ticketNumber).toBe(a.body.ticketNumber);
    expect(b.body.requestId).toBe(a.body.requestId);
    expect(await requestsOfTenant()).toEqual([{ ticketNumber: a.body.ticketNumber }]);
    expect(await filesOf(a.body.ticketNumber)).toEqual([{ filename: 'ecran.png' }]);
    expect(await db.selectFrom('intakeAttachments').select('id').where('ticketNumber', '=', a.body.ticketNumber).execute()).toEqual([]);
    // Both attempts joined one update of one run.
    expect(await acceptedIntakeUpdates(a.body.ticketNumber)).toHaveLength(1);
    // A later retry (the first answer was lost) is answered the same.
    const later = await post(body, { ...client, 'Idempotency-Key': key });
    expect(later.status).toBe(201);
    expect(later.body).toMatchObject({
      ticketNumber: a.body.ticketNumber,
      requestId: a.body.requestId,
      attachments: [{ kind: 'photo', filename: 'ecran.png', sizeBytes: PNG.length }],
    });
    expect(await requestsOfTenant()).toHaveLength(1);

    // After the intervention ended, a retry never starts it again: the read model answers.
    const cancelled = await fetch(`${platform.url}/api/requests/${a.body.ticketNumber}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...client },
      body: JSON.stringify({ reason: 'Doublon' }),
    });
    expect(cancelled.status).toBe(200);
    await eventually(
      async () =>
        (await platform.client.workflow.getHandle(interventionWorkflowId(a.body.ticketNumber)).describe()).status.name === 'COMPLETED',
      'the workflow to end',
    );
    const afterEnd = await post(body, { ...client, 'Idempotency-Key': key });
    expect(afterEnd.status).toBe(201);
    expect(afterEnd.body).toMatchObject({ ticketNumber: a.body.ticketNumber, requestId: a.body.requestId, status: 'cancelled' });
    expect((await platform.client.workflow.getHandle(interventionWorkflowId(a.body.ticketNumber)).describe()).status.name).toBe(
      'COMPLETED',
    );
    expect(await requestsOfTenant()).toHaveLength(1);
  });

  it('refuses the same key with a different body (409 naming Idempotency-Key) and stores nothing', async () => {
    const key = randomUUID();
    const first = await post(intakeBody(tenant), { ...client, 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const before = await requestsOfTenant();
    const other = await post(intakeBody(tenant, { title: 'Une autre panne' }), { ...client, 'Idempotency-Key': key });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('conflict');
    expect(other.body.error.fields).toEqual([
      { field: 'Idempotency-Key', message: `already used for request ${first.body.ticketNumber} with a different body` },
    ]);
    expect(await requestsOfTenant()).toEqual(before);
  });

  it('treats the same key from another account as another intake', async () => {
    const key = randomUUID();
    const mine = await post(intakeBody(tenant), { ...client, 'Idempotency-Key': key });
    const theirs = await post(intakeBody(tenant), { ...colleague, 'Idempotency-Key': key });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.ticketNumber).not.toBe(mine.body.ticketNumber);
  });

  it('lets only the account that wrote a key, and staff, read its mapping (row-level security)', async () => {
    const created = await post(intakeBody(tenant), { ...client, 'Idempotency-Key': randomUUID() });
    expect(created.status).toBe(201);
    const seen = (principal: Parameters<typeof enterScope>[1]) =>
      db.transaction().execute(async (trx) => {
        await enterScope(trx, principal);
        return (
          await trx
            .selectFrom('intakeIdempotencyKeys')
            .select('ticketNumber')
            .where('ticketNumber', '=', created.body.ticketNumber)
            .execute()
        ).length;
      });
    expect(await seen({ userId: clientUserId, role: 'client_user', clientId: tenant.clientId, technicianId: null })).toBe(1);
    expect(await seen({ userId: colleagueUserId, role: 'client_user', clientId: tenant.clientId, technicianId: null })).toBe(0);
    expect(await seen({ userId: randomUUID(), role: 'finance', clientId: null, technicianId: null })).toBe(0);
    expect(await seen({ userId: randomUUID(), role: 'support_agent', clientId: null, technicianId: null })).toBe(1);
  });

  it('refuses a malformed Idempotency-Key with a 400 naming the header', async () => {
    const before = await requestsOfTenant();
    const response = await post(intakeBody(tenant), { ...client, 'Idempotency-Key': 'short' });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([{ field: 'Idempotency-Key', message: 'expected 8 to 200 characters' }]);
    expect(await requestsOfTenant()).toEqual(before);
  });

  it('answers a retry after a 202 with the same ticket, and once a worker is back, with its confirmation', async () => {
    await platform.stopWorker();
    const key = randomUUID();
    const body = intakeBody(tenant, { photos: [PHOTO], title: 'Imprimante réseau hors ligne' });
    const first = await post(body, { ...client, 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ confirmed: false, status: 'new' });
    const ticket: string = first.body.ticketNumber;
    const retry = await post(body, { ...client, 'Idempotency-Key': key });
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({
      ticketNumber: ticket,
      confirmed: false,
      attachments: [{ kind: 'photo', filename: 'ecran.png', sizeBytes: PNG.length }],
    });
    // One set of staged files, one key row.
    expect(await db.selectFrom('intakeAttachments').select('filename').where('ticketNumber', '=', ticket).execute()).toEqual([
      { filename: 'ecran.png' },
    ]);
    expect(await db.selectFrom('intakeIdempotencyKeys').select('ticketNumber').where('ticketNumber', '=', ticket).execute()).toHaveLength(
      1,
    );

    await platform.startWorker();
    const confirmed = await eventually(async () => {
      const response = await post(body, { ...client, 'Idempotency-Key': key });
      return response.status === 201 ? response : null;
    }, 'the retried intake to be confirmed');
    expect(confirmed.body).toMatchObject({ ticketNumber: ticket, status: 'analysis', requestId: expect.any(String) });
    expect((await requestsOfTenant()).filter((r) => r.ticketNumber === ticket)).toHaveLength(1);
    expect(await filesOf(ticket)).toEqual([{ filename: 'ecran.png' }]);
    expect(await acceptedIntakeUpdates(ticket)).toHaveLength(1);
  });
});
