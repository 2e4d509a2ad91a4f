/**
 * A worker killed (SIGKILL) in the middle of an intervention and replaced by another: the
 * intervention finishes, and every side effect happened exactly once (emails by key, timeline
 * rows, the invoice call).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { createMailer, type Mailer } from '../../../activities/index.js';
import { messageIdFor } from '../../../activities/notifications/mailer.js';
import { createApp } from '../../../api/app.js';
import type { DB } from '../../../db/index.js';
import { listen, startTestWorker, testClient, testDb, uniqueTaskQueue, type TestWorker } from '../../../scripts/testing/env.js';
import { addTechnician, createTestAccount, createTestClient, intakeBody } from '../../../scripts/testing/fixtures.js';
import { clientAcceptUpdate, interventionWorkflowId } from '../intervention.contract.js';
import { apiClient, createPart, eventually, startSmtp } from './harness.js';
import { enforceResponseSchemas } from '../../../scripts/testing/response-check.js';

const script = fileURLToPath(new URL('./crash-worker.ts', import.meta.url));

function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => c.toString().includes('worker ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before ready: ${stderr}`)));
  });
}

describe('a worker killed mid-flow', () => {
  let db: Kysely<DB>;
  let temporal: Client;
  let connection: Connection;
  let server: Server;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;
  let replacement: TestWorker | undefined;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    db = testDb();
    ({ client: temporal, connection } = await testClient());
    smtp = await startSmtp();
    mailer = createMailer({ db, from: 'Support <support@test.local>', smtpUrl: smtp.url });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    server?.close();
    await replacement?.stop();
    await mailer?.close();
    await smtp?.stop();
    await connection?.close();
    await db?.destroy();
  });

  it('finishes the intervention on a new worker with exactly one of each side effect', async () => {
    const taskQueue = uniqueTaskQueue('crash');
    child = await spawnWorker({ TASK_QUEUE: taskQueue, SMTP_URL: smtp.url });
    const listening = await listen(
      createApp({ db, temporal, taskQueue, log: (e) => console.error(e), checkResponses: enforceResponseSchemas }),
    );
    server = listening.server;
    const tenant = await createTestClient(db);
    const tech = await addTechnician(db, { firstName: 'Julien', lastName: 'Moreau', hourlyCostCents: 4000, rating: 4.7 });
    const sku = await createPart(db);
    // Each step by the role that performs it: the client, support, the dispatcher, the technician.
    const client = (await createTestAccount(db, 'client_user', { clientId: tenant.clientId })).headers;
    const support = (await createTestAccount(db, 'support_agent')).headers;
    const dispatcher = (await createTestAccount(db, 'dispatcher')).headers;
    const technician = (await createTestAccount(db, 'technician', { technicianId: tech.id })).headers;
    const api = apiClient(listening.url);

    const created = await api('POST', '/requests', intakeBody(tenant), client);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ticket = created.body.ticketNumber as string;
    const ok = async (action: string, body: unknown, as: Record<string, string>) => {
      const r = await api('POST', `/requests/${ticket}/${action}`, body, as);
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
    };
    await ok('triage', { decision: 'intervene' }, support);
    await ok(
      'assign',
      {
        technicianId: tech.id,
        start: new Date(Date.now() + 86_400_000).toISOString(),
        end: new Date(Date.now() + 90_000_000).toISOString(),
      },
      dispatcher,
    );
    await ok('check-in', { mode: 'on_site', travelKm: 8 }, technician);
    await ok('log', { kind: 'part', sku, quantity: 1 }, technician);
    await ok('check-out', {}, technician);
    await ok('report', { summary: 'Alimentation remplacée', recommendations: ['Onduleur'] }, technician);

    // Kill the worker process outright: no graceful shutdown, its sticky cache is lost.
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    // The client accepts while no worker is alive; a new worker picks the intervention up.
    const handle = temporal.workflow.getHandle(interventionWorkflowId(ticket));
    const accepted = handle.executeUpdate(clientAcceptUpdate, { args: [{ actor: 'client' }] });
    replacement = await startTestWorker({ db, mailer, taskQueue });
    expect((await accepted).status).not.toBe('awaiting_validation');
    const r = await db.selectFrom('serviceRequests').selectAll().where('ticketNumber', '=', ticket).executeTakeFirstOrThrow();
    await eventually(
      async () =>
        (await db.selectFrom('serviceRequests').select('status').where('id', '=', r.id).executeTakeFirstOrThrow()).status === 'survey',
      'survey',
      60_000,
    );
    await ok('survey', { rating: 5 }, client);
    expect((await handle.result()).status).toBe('closed');

    // The real invoicing ran exactly once across both workers: one invoice, one number, one email.
    const invoices = await db.selectFrom('invoices').select(['number', 'typeCode']).where('ticketNumber', '=', ticket).execute();
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.number).toMatch(/^FA-\d{4}-\d{6}$/);
    const invoiceEmails = await db
      .selectFrom('outboundMessages')
      .select('id')
      .where('idempotencyKey', '=', `${interventionWorkflowId(ticket)}:invoice-email`)
      .execute();
    expect(invoiceEmails).toHaveLength(1);

    const events = await db.selectFrom('requestEvents').select(['kind', 'toStatus']).where('requestId', '=', r.id).orderBy('id').execute();
    expect(events.filter((e) => e.kind === 'status_change').map((e) => e.toStatus)).toEqual([
      'new',
      'analysis',
      'awaiting_planning',
      'scheduled',
      'in_progress',
      'awaiting_validation',
      'validated',
      'invoiced',
      'survey',
      'closed',
    ]);
    expect(events.filter((e) => e.kind === 'log:part')).toHaveLength(1);
    expect(await db.selectFrom('siteVisits').select('id').where('requestId', '=', r.id).execute()).toHaveLength(1);
    expect(await db.selectFrom('partsUsed').select('id').where('requestId', '=', r.id).execute()).toHaveLength(1);
    expect(await db.selectFrom('interventionReports').select('id').where('requestId', '=', r.id).execute()).toHaveLength(1);

    const outbox = await db.selectFrom('outboundMessages').select(['idempotencyKey', 'status']).where('requestId', '=', r.id).execute();
    // confirmation, client slot, technician invite, validation request, invoice to finance, survey.
    expect(outbox).toHaveLength(6);
    for (const m of outbox) {
      expect(m.status).toBe('sent');
      expect(smtp.received.filter((x) => x.messageId === messageIdFor(m.idempotencyKey))).toHaveLength(1);
    }
  });
});
