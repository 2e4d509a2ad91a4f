/**
 * The API while no worker polls the task queue, on the real app, PostgreSQL and Temporal: the
 * intake answers 202 with its ticket within its bound, actions answer 503 within theirs without
 * holding database connections (reads keep answering), and when a worker comes back the
 * intervention is confirmed once, with its attachments, and a retried action is applied once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { eventually as waitUntil, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';
import { interventionWorkflowId } from '../../workflows/intervention/intervention.contract.js';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('outage-photo-'),
  Buffer.alloc(64, 3),
]);
const INTAKE_MS = 1_500;
const ACTION_MS = 3_000;
/** The API's pool: fewer connections than concurrent actions, as in the outage it guards against. */
const POOL = 4;

/** Background work here waits on a worker coming back: 30 s, polled every 200 ms. */
const eventually = <T>(probe: () => Promise<T | undefined | null | false>, what: string) => waitUntil(probe, what, 30_000, 200);

describe('API during a worker outage', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let tenant: TestClient;
  let client: Record<string, string>;
  let support: Record<string, string>;
  /** Created while a worker ran: its request row exists, so actions on it pass the ticket guard. */
  let live: string;
  /** Submitted during the outage. */
  let pending: { ticketNumber: string; elapsedMs: number; status: number; body: any };
  const idempotencyKey = `retry-${Date.now()}-priority`;

  const post = async (path: string, body: unknown, headers: Record<string, string>) => {
    const started = Date.now();
    const response = await fetch(`${platform.url}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any, elapsedMs: Date.now() - started };
  };
  const confirmations = async (ticket: string) =>
    (
      await db
        .selectFrom('outboundMessages')
        .innerJoin('serviceRequests', 'serviceRequests.id', 'outboundMessages.requestId')
        .select('outboundMessages.subject')
        .where('serviceRequests.ticketNumber', '=', ticket)
        .execute()
    ).filter((m) => m.subject.includes('Demande reçue'));

  beforeAll(async () => {
    platform = await startTestPlatform({
      app: { log: () => {}, waits: { intakeConfirmMs: INTAKE_MS, actionMs: ACTION_MS } },
      poolSize: POOL,
    });
    db = platform.db;
    tenant = await createTestClient(db);
    client = (await createTestAccount(db, 'client_user', { clientId: tenant.clientId })).headers;
    support = (await createTestAccount(db, 'support_agent')).headers;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('confirms an intake at once (201) while a worker runs', async () => {
    const created = await post('/requests', intakeBody(tenant), client);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'analysis', clientStatus: 'in_analysis', priority: 'P2' });
    expect(created.body.requestId).toEqual(expect.any(String));
    live = created.body.ticketNumber;
    await platform.stopWorker();
  });

  it('answers an intake with 202 and its ticket number within the bound when no worker polls', async () => {
    const response = await post(
      '/requests',
      intakeBody(tenant, { photos: [{ filename: 'ecran.png', contentType: 'image/png', dataBase64: PNG.toString('base64') }] }),
      client,
    );
    pending = { ticketNumber: response.body.ticketNumber, elapsedMs: response.elapsedMs, status: response.status, body: response.body };
    console.info(`[outage] intake answered ${response.status} after ${response.elapsedMs} ms (bound ${INTAKE_MS} ms)`);
    expect(response.status).toBe(202);
    // 'new' is the client status the web app shows as « Nouvelle demande ».
    expect(response.body).toMatchObject({ status: 'new', clientStatus: 'new', priority: 'P2', confirmed: false });
    expect(response.body.ticketNumber).toMatch(/^INT-\d{4}-\d{6}$/);
    expect(response.body.message).toMatch(/email/);
    expect(response.body.attachments).toEqual([{ kind: 'photo', filename: 'ecran.png', sizeBytes: PNG.length }]);
    expect(response.headers.get('location')).toBe(`/api/requests/${response.body.ticketNumber}`);
    expect(response.elapsedMs).toBeGreaterThanOrEqual(INTAKE_MS);
    expect(response.elapsedMs).toBeLessThan(INTAKE_MS + 5_000);
    // Started, not lost: Temporal holds the workflow; the files are stored, awaiting the request row.
    const description = await platform.client.workflow.getHandle(interventionWorkflowId(pending.ticketNumber)).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(
      await db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', pending.ticketNumber).executeTakeFirst(),
    ).toBeUndefined();
    const staged = await db
      .selectFrom('intakeAttachments')
      .select(['kind', 'sha256', 'clientId'])
      .where('ticketNumber', '=', pending.ticketNumber)
      .execute();
    expect(staged).toEqual([{ kind: 'photo', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), clientId: tenant.clientId }]);
  });

  it('answers 20 concurrent actions with 503 within the bound while reads and /healthz still answer', async () => {
    let settled = 0;
    const actions = Array.from({ length: 20 }, () =>
      post(
        `/requests/${live}/priority`,
        { priority: 'P1', reason: 'Toute la comptabilité est bloquée' },
        { ...support, 'Idempotency-Key': idempotencyKey },
      ).finally(() => {
        settled += 1;
      }),
    );
    // Give the actions time to reach Temporal (and, before this change, to take every pooled connection).
    await new Promise((r) => setTimeout(r, 500));
    const readStarted = Date.now();
    const list = await fetch(`${platform.url}/api/requests?limit=5`, { headers: support });
    const listMs = Date.now() - readStarted;
    const healthStarted = Date.now();
    const health = await fetch(`${platform.url}/healthz`);
    const healthMs = Date.now() - healthStarted;
    const settledDuringReads = settled;
    const results = await Promise.all(actions);
    console.info(
      `[outage] GET /api/requests ${listMs} ms, /healthz ${healthMs} ms during 20 pending actions; ` +
        `503s after ${Math.min(...results.map((r) => r.elapsedMs))}-${Math.max(...results.map((r) => r.elapsedMs))} ms (bound ${ACTION_MS} ms, pool ${POOL})`,
    );
    expect(list.status).toBe(200);
    expect(health.status).toBe(200);
    // The reads were answered while every action was still waiting on Temporal.
    expect(settledDuringReads).toBe(0);
    for (const result of results) {
      expect(result.status).toBe(503);
      expect(result.body.error.code).toBe('worker_unavailable');
      expect(result.body.error.message).toMatch(/same Idempotency-Key/);
      expect(result.headers.get('retry-after')).toBe('30');
      expect(result.elapsedMs).toBeGreaterThanOrEqual(ACTION_MS);
      expect(result.elapsedMs).toBeLessThan(ACTION_MS + 5_000);
    }
    // A 503 changed nothing in the read model.
    const row = await db.selectFrom('serviceRequests').select('priority').where('ticketNumber', '=', live).executeTakeFirstOrThrow();
    expect(row.priority).toBe('P2');
  });

  it('once a worker is back: the pending intake is confirmed once, with its attachments', async () => {
    await platform.startWorker();
    const row = await eventually(
      () =>
        db
          .selectFrom('serviceRequests')
          .select(['id', 'status'])
          .where('ticketNumber', '=', pending.ticketNumber)
          .where('status', '=', 'analysis')
          .executeTakeFirst(),
      'the pending intake to reach analysis',
    );
    await eventually(async () => (await confirmations(pending.ticketNumber)).length > 0, 'the confirmation email');
    expect(await confirmations(pending.ticketNumber)).toHaveLength(1);
    const files = await db
      .selectFrom('requestAttachments')
      .select(['kind', 'filename', 'content', 'uploadedByUserId'])
      .where('requestId', '=', row.id)
      .execute();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ kind: 'photo', filename: 'ecran.png' });
    expect(Buffer.compare(files[0]!.content, PNG)).toBe(0);
    expect(files[0]!.uploadedByUserId).toEqual(expect.any(String));
    expect(await db.selectFrom('intakeAttachments').select('id').where('ticketNumber', '=', pending.ticketNumber).execute()).toEqual([]);
    // And the client sees it on the request, through the API.
    const listed = await fetch(`${platform.url}/api/requests/${pending.ticketNumber}/attachments`, { headers: client });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as any).items.map((i: { filename: string }) => i.filename)).toEqual(['ecran.png']);
  });

  it('applies an action retried with the same Idempotency-Key exactly once', async () => {
    const retried = await eventually(async () => {
      const response = await post(
        `/requests/${live}/priority`,
        { priority: 'P1', reason: 'Toute la comptabilité est bloquée' },
        { ...support, 'Idempotency-Key': idempotencyKey },
      );
      return response.status === 200 ? response : null;
    }, 'the retried action to be answered');
    expect(retried.body.priority).toBe('P1');
    const history = await platform.client.workflow.getHandle(interventionWorkflowId(live)).fetchHistory();
    const accepted = (history.events ?? []).filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'changePriority',
    );
    // 21 requests (20 during the outage, then the retry) with one key: one update in the history.
    expect(accepted).toHaveLength(1);
    // A new key is a new action: the priority goes back down only when asked again.
    const other = await post(
      `/requests/${live}/priority`,
      { priority: 'P3', reason: 'Contournement trouvé' },
      { ...support, 'Idempotency-Key': `${idempotencyKey}-2` },
    );
    expect(other.status).toBe(200);
    expect(other.body.priority).toBe('P3');
  });

  it('refuses a malformed Idempotency-Key with a 400 naming the header', async () => {
    const response = await post(`/requests/${live}/priority`, { priority: 'P2', reason: 'x' }, { ...support, 'Idempotency-Key': 'short' });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([{ field: 'Idempotency-Key', message: 'expected 8 to 200 characters' }]);
  });
});
