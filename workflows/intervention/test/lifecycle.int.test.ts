/**
 * The intervention lifecycle driven through the API, on the real Temporal dev server and the real
 * PostgreSQL, with a real SMTP server in process. Policy durations are shortened to seconds.
 * With RECORD_HISTORIES=1 the scenarios' histories are written as replay fixtures.
 */
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { createMailer, type Mailer } from '../../../activities/index.js';
import { messageIdFor } from '../../../activities/notifications/mailer.js';
import { createApp } from '../../../api/app.js';
import type { DB } from '../../../db/index.js';
import { listen, startTestWorker, testClient, testDb, type TestWorker } from '../../../scripts/testing/env.js';
import { addTechnician, createTestAccount, createTestClient, intakeBody, type TestClient } from '../../../scripts/testing/fixtures.js';
import { interventionWorkflowId, type InterventionPolicy } from '../intervention.contract.js';
import { apiClient, createPart, eventually, startSmtp, type Headers } from './harness.js';
import { setContractTerms } from '../../../activities/billing/test/billing-fixtures.js';
import { validateBusinessRules, validateSchema, writeAll } from '../../../activities/billing/test/einvoice-check.js';
import { enforceResponseSchemas } from '../../../scripts/testing/response-check.js';

const POLICY: Partial<InterventionPolicy> = {
  infoReminderMs: 60_000,
  validationReminderMs: 60_000,
  validationReminderCount: 2,
  surveyReminderMs: 60_000,
  surveyDeadlineMs: 120_000,
};
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]).toString('base64');
const HISTORY_DIR = new URL('./histories/', import.meta.url);

/**
 * Who performs each action, as the route table's `access` says: the client files and answers,
 * support triages, re-prioritises and cancels, the dispatcher assigns, the assigned technician
 * works on site.
 */
const ACTOR_OF: Record<string, 'client' | 'support' | 'dispatcher' | 'technician'> = {
  triage: 'support',
  'client-answer': 'client',
  priority: 'support',
  assign: 'dispatcher',
  'check-in': 'technician',
  log: 'technician',
  'check-out': 'technician',
  escalate: 'technician',
  report: 'technician',
  accept: 'client',
  reject: 'client',
  survey: 'client',
  cancel: 'support',
};

describe('the intervention lifecycle through the API', () => {
  let db: Kysely<DB>;
  let temporal: Client;
  let connection: Connection;
  let worker: TestWorker;
  let server: Server;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;
  let api: ReturnType<typeof apiClient>;
  let tenant: TestClient;
  let tech: { id: string; email: string };
  let otherTech: { id: string; email: string };
  let sku: string;
  /** Signed-in users: support agent, dispatcher, an admin, and per client / technician. */
  let support: Headers;
  let dispatcher: Headers;
  let admin: Headers;
  const clientUsers = new Map<string, Headers>();
  const technicianUsers = new Map<string, Headers>();
  /** The company that filed each ticket, and the technician it is currently assigned to. */
  const ticketClient = new Map<string, string>();
  const assignedTo = new Map<string, string>();

  /** The real invoicing (billing's issueInvoice) ran: the invoices issued for a ticket. */
  async function invoicesOf(ticket: string) {
    return db.selectFrom('invoices').select(['number', 'typeCode', 'requestId']).where('ticketNumber', '=', ticket).execute();
  }

  beforeAll(async () => {
    db = testDb();
    ({ client: temporal, connection } = await testClient());
    smtp = await startSmtp();
    mailer = createMailer({ db, from: 'Support <support@test.local>', smtpUrl: smtp.url });
    worker = await startTestWorker({ db, mailer });
    const app = createApp({
      db,
      temporal,
      taskQueue: worker.taskQueue,
      checkResponses: enforceResponseSchemas,
      interventionPolicy: POLICY,
      log: (e) => console.error(e),
    });
    let url: string;
    ({ url, server } = await listen(app));
    tenant = await createTestClient(db);
    tech = await addTechnician(db, { firstName: 'Julien', lastName: 'Moreau', hourlyCostCents: 4000, rating: 4.7 });
    otherTech = await addTechnician(db, { firstName: 'Sofia', lastName: 'Moreau', hourlyCostCents: 4000, rating: 4.7 });
    sku = await createPart(db);
    support = (await createTestAccount(db, 'support_agent')).headers;
    dispatcher = (await createTestAccount(db, 'dispatcher')).headers;
    admin = (await createTestAccount(db, 'admin')).headers;
    for (const t of [tech, otherTech])
      technicianUsers.set(t.id, (await createTestAccount(db, 'technician', { technicianId: t.id })).headers);
    // Calls without explicit headers are the tenant's client user's (filing requests).
    api = apiClient(url, await clientUser(tenant));
  });

  afterAll(async () => {
    server?.close();
    await worker?.stop();
    await mailer?.close();
    await smtp?.stop();
    await connection?.close();
    await db?.destroy();
  });

  /** A client_user account of the company (one per company). */
  async function clientUser(client: TestClient): Promise<Headers> {
    let headers = clientUsers.get(client.clientId);
    if (!headers) {
      headers = (await createTestAccount(db, 'client_user', { clientId: client.clientId })).headers;
      clientUsers.set(client.clientId, headers);
    }
    return headers;
  }
  /** The client's user files a request (through `call`'s app when given). */
  async function file(client: TestClient, overrides: Record<string, unknown> = {}, call = api) {
    const created = await call('POST', '/requests', intakeBody(client, overrides), await clientUser(client));
    if (created.status === 201) ticketClient.set(created.body.ticketNumber as string, client.clientId);
    return created;
  }
  /**
   * The headers of whoever performs `action` on `ticket`. Technician actions are the assigned
   * technician's; with nobody assigned yet no technician can even see the request, so the only
   * account that may try (the route admits admins) is an admin's.
   */
  function actorFor(ticket: string, action: string): Headers {
    switch (ACTOR_OF[action]) {
      case 'client':
        return clientUsers.get(ticketClient.get(ticket) ?? tenant.clientId)!;
      case 'support':
        return support;
      case 'dispatcher':
        return dispatcher;
      case 'technician': {
        const technicianId = assignedTo.get(ticket);
        return technicianId ? technicianUsers.get(technicianId)! : admin;
      }
      default:
        throw new Error(`no actor for ${action}`);
    }
  }

  async function open(overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await file(tenant, overrides);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ticket = created.body.ticketNumber as string;
    // The confirmation email follows the intake's answer (the client is not kept waiting on SMTP).
    await eventually(async () => (await messages(ticket)).some((m) => m.subject.includes('Demande reçue')), 'confirmation email');
    return ticket;
  }
  async function act(ticket: string, action: string, body: unknown = {}) {
    const r = await api('POST', `/requests/${ticket}/${action}`, body, actorFor(ticket, action));
    if (r.status === 200) {
      if (action === 'assign') assignedTo.set(ticket, (body as { technicianId: string }).technicianId);
      if (action === 'escalate') assignedTo.delete(ticket);
    }
    return r;
  }
  async function ok(ticket: string, action: string, body: unknown = {}) {
    const r = await act(ticket, action, body);
    expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  }
  const slot = (dayOffset = 1) => ({
    start: new Date(Date.now() + dayOffset * 86_400_000).toISOString(),
    end: new Date(Date.now() + dayOffset * 86_400_000 + 2 * 3_600_000).toISOString(),
  });
  async function timeline(ticket: string): Promise<Array<{ kind: string; toStatus: string | null; message: string | null }>> {
    return db
      .selectFrom('requestEvents as e')
      .innerJoin('serviceRequests as r', 'r.id', 'e.requestId')
      .select(['e.kind', 'e.toStatus', 'e.message'])
      .where('r.ticketNumber', '=', ticket)
      .orderBy('e.id')
      .execute();
  }
  /** The facts of each entry that carries them, as the page reads them. */
  async function detailsOf(ticket: string) {
    const rows = await db
      .selectFrom('requestEvents as e')
      .innerJoin('serviceRequests as r', 'r.id', 'e.requestId')
      .select(['e.kind', 'e.toStatus', 'e.details'])
      .where('r.ticketNumber', '=', ticket)
      .where('e.details', 'is not', null)
      .orderBy('e.id')
      .execute();
    return rows.map((e): Record<string, unknown> => ({ entry: e.toStatus ?? e.kind, ...e.details }));
  }
  const statuses = async (ticket: string) => (await timeline(ticket)).filter((e) => e.kind === 'status_change').map((e) => e.toStatus);
  const row = (ticket: string) => db.selectFrom('serviceRequests').selectAll().where('ticketNumber', '=', ticket).executeTakeFirstOrThrow();
  async function messages(ticket: string) {
    const r = await row(ticket);
    return db
      .selectFrom('outboundMessages')
      .select(['idempotencyKey', 'toAddresses', 'subject', 'textBody', 'status'])
      .where('requestId', '=', r.id)
      .orderBy('createdAt')
      .execute();
  }
  const smtpFor = (key: string) => smtp.received.filter((m) => m.messageId === messageIdFor(key));
  async function finished(ticket: string) {
    const result = await temporal.workflow.getHandle(interventionWorkflowId(ticket)).result();
    if (process.env.RECORD_HISTORIES) {
      const history = await temporal.workflow.getHandle(interventionWorkflowId(ticket)).fetchHistory();
      const scenario = (expect.getState().currentTestName?.split(' > ').at(-1) ?? ticket)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 90);
      // RECORD_HISTORIES=1 names the file after the scenario; any other value is a prefix, so a
      // new workflow version's histories sit beside the older ones, which must keep replaying.
      const prefix = process.env.RECORD_HISTORIES === '1' ? '' : `${process.env.RECORD_HISTORIES}-`;
      writeFileSync(new URL(`${prefix}${scenario}.json`, HISTORY_DIR), JSON.stringify(history));
    }
    return result;
  }
  async function toScheduled(ticket: string, technicianId = tech.id) {
    await ok(ticket, 'triage', { decision: 'intervene' });
    await ok(ticket, 'assign', { technicianId, ...slot(), preparation: 'Alimentation 260 W, tournevis Torx', source: 'dispatcher' });
  }
  async function toAwaitingValidation(ticket: string) {
    await toScheduled(ticket);
    await ok(ticket, 'check-in', { mode: 'on_site', travelKm: 12.5 });
    await ok(ticket, 'log', { kind: 'diagnosis', text: 'Alimentation HS' });
    await ok(ticket, 'check-out', {});
    await ok(ticket, 'report', { summary: 'Alimentation remplacée', recommendations: [] });
    // The update answers once the client has been asked to validate.
    expect((await messages(ticket)).some((m) => m.subject.includes('à valider'))).toBe(true);
  }

  it('runs the happy path end to end: intake, triage, dispatch, on-site work, validation, invoice, survey', async () => {
    const created = await file(tenant, {
      photos: [{ filename: 'ecran.png', contentType: 'image/png', dataBase64: PNG }],
      diagnostics: {
        systemInfo: { os: 'Windows 11', userName: 'cmartin' },
        errorLog: 'login user=cmartin from 10.0.0.4',
        level: 'complete',
      },
    });
    expect(created.status).toBe(201);
    const ticket = created.body.ticketNumber as string;
    expect(created.body).toMatchObject({ status: 'analysis', clientStatus: 'in_analysis', priority: 'P2' });
    expect(created.body.priorityReason).toBe('impact high × urgency medium → P2');
    // Standard contract, business hours: P2 response target 240 covered minutes.
    expect(Date.parse(created.body.estimatedInterventionAt)).toBeGreaterThan(Date.now());
    expect(created.body.estimatedInterventionAt).toBe(created.body.responseDueAt);
    const attachments = await db
      .selectFrom('requestAttachments')
      .select(['kind', 'content'])
      .where('requestId', '=', created.body.requestId)
      .orderBy('kind')
      .execute();
    expect(attachments.map((a) => a.kind)).toEqual(['diagnostic_bundle', 'photo']);
    expect(attachments[0]!.content.toString()).not.toContain('cmartin');

    await ok(ticket, 'triage', { decision: 'intervene', note: 'Déplacement nécessaire' });
    const when = slot();
    const assigned = await ok(ticket, 'assign', { technicianId: tech.id, ...when, preparation: 'Alimentation 260 W', source: 'optimizer' });
    expect(assigned.status).toBe('scheduled');
    await ok(ticket, 'check-in', { mode: 'on_site', travelKm: 12.5 });
    await ok(ticket, 'log', { kind: 'diagnosis', text: 'Alimentation HS' });
    await ok(ticket, 'log', { kind: 'part', sku, quantity: 1, serialNumbers: ['SN-1'] });
    await ok(ticket, 'log', { kind: 'action', text: 'Alimentation remplacée' });
    await ok(ticket, 'log', { kind: 'test', text: 'Démarrage OK', passed: true });
    await ok(ticket, 'check-out', {});
    const reported = await ok(ticket, 'report', {
      summary: 'Alimentation remplacée, poste opérationnel',
      recommendations: ['Onduleur conseillé'],
    });
    expect(reported).toMatchObject({ status: 'awaiting_validation', clientStatus: 'solution_proposed' });
    await ok(ticket, 'accept', {});
    await eventually(async () => (await row(ticket)).status === 'survey', 'survey');
    await ok(ticket, 'survey', { rating: 5, comment: 'Rapide et efficace' });
    const result = await finished(ticket);

    expect(result.status).toBe('closed');
    const invoices = await invoicesOf(ticket);
    expect(invoices).toEqual([{ number: result.invoiceNumber, typeCode: 380, requestId: created.body.requestId }]);
    expect(result.invoiceNumber).toMatch(/^FA-\d{4}-\d{6}$/);
    const invoiceEmails = await db
      .selectFrom('outboundMessages')
      .select('id')
      .where('idempotencyKey', '=', `${interventionWorkflowId(ticket)}:invoice-email`)
      .execute();
    expect(invoiceEmails).toHaveLength(1);
    expect(await statuses(ticket)).toEqual([
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
    const kinds = (await timeline(ticket)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['log:diagnosis', 'log:part', 'log:action', 'log:test', 'check_out']));
    // The timeline's facts as data, for the page to say in the reader's language.
    expect(await detailsOf(ticket)).toEqual([
      { entry: 'scheduled', type: 'assignment', technicianName: 'Julien Moreau', start: when.start, end: when.end, reassigned: false },
      { entry: 'in_progress', type: 'check_in', mode: 'on_site' },
      { entry: 'log:part', type: 'part', sku, quantity: 1, label: 'Alimentation 260 W', note: null },
      { entry: 'invoiced', type: 'invoice', number: result.invoiceNumber },
      { entry: 'closed', type: 'survey', rating: 5 },
    ]);
    const final = await row(ticket);
    expect(final).toMatchObject({ status: 'closed', clientStatus: 'closed' });
    expect(final.firstResponseAt).not.toBeNull();

    const visits = await db
      .selectFrom('siteVisits')
      .select(['travelKm', 'checkedOutAt', 'technicianId'])
      .where('requestId', '=', final.id)
      .execute();
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ travelKm: '12.50', technicianId: tech.id });
    expect(visits[0]!.checkedOutAt).not.toBeNull();
    const parts = await db.selectFrom('partsUsed').select(['sku', 'quantity', 'serialNumbers']).where('requestId', '=', final.id).execute();
    expect(parts).toEqual([{ sku, quantity: 1, serialNumbers: ['SN-1'] }]);
    const assignments = await db.selectFrom('assignments').select(['status', 'source']).where('requestId', '=', final.id).execute();
    expect(assignments).toEqual([{ status: 'completed', source: 'optimizer' }]);
    expect(await db.selectFrom('satisfactionSurveys').select(['rating', 'comment']).where('requestId', '=', final.id).execute()).toEqual([
      { rating: 5, comment: 'Rapide et efficace' },
    ]);
    expect(
      (await db.selectFrom('interventionReports').select('recommendations').where('requestId', '=', final.id).executeTakeFirstOrThrow())
        .recommendations,
    ).toEqual(['Onduleur conseillé']);

    // Every email went through SMTP exactly once per key, in French.
    const sent = await messages(ticket);
    const subjects = sent.map((m) => m.subject);
    expect(subjects).toEqual([
      expect.stringContaining('Demande reçue'),
      expect.stringContaining('Intervention planifiée'),
      expect.stringContaining(`Intervention ${ticket}`),
      expect.stringContaining("Rapport d'intervention à valider"),
      expect.stringContaining(`Facture ${result.invoiceNumber} — intervention ${ticket}`),
      expect.stringContaining('Votre avis'),
    ]);
    for (const m of sent) {
      expect(m.status).toBe('sent');
      expect(smtpFor(m.idempotencyKey)).toHaveLength(1);
    }
    const clientMail = sent.find((m) => m.subject.includes('planifiée'))!;
    expect(clientMail.textBody).toContain('Julien Moreau');
    expect(clientMail.textBody).toContain('hardware_repair (4/5)');
    expect(clientMail.textBody).toContain('+33 6 11 22 33 44');
    const invite = smtp.received.find((m) => m.to.includes(tech.email))!;
    expect(invite.raw).toContain('METHOD:REQUEST');
    expect(invite.raw).toContain('openstreetmap.org/directions');
    expect(invite.raw).toMatch(/10 rue de Rivoli/);
  });

  it('loops through a request for information, pausing the SLA clock while the client answers', async () => {
    // 24/7 coverage: on business hours a pause over a weekend rightly moves nothing.
    const allDay = await createTestClient(db, { coverage: '24_7' });
    const ticket = (await file(allDay)).body.ticketNumber as string;
    const before = await row(ticket);
    const waiting = await ok(ticket, 'triage', { decision: 'request_info', question: 'Quel est le message affiché ?' });
    expect(waiting).toMatchObject({ status: 'awaiting_client_info', clientStatus: 'in_analysis' });
    expect(waiting.sla.pausedAt).not.toBeNull();
    await new Promise((r) => setTimeout(r, 1500));
    const answered = await ok(ticket, 'client-answer', { answer: 'Erreur 0x0000007B' });
    expect(answered.status).toBe('analysis');
    expect(answered.sla.pausedAt).toBeNull();
    const after = await row(ticket);
    expect(after.resolutionDueAt!.getTime()).toBeGreaterThan(before.resolutionDueAt!.getTime());
    await ok(ticket, 'triage', { decision: 'route_specialist', group: 'Réseau', level: 2 });
    expect(await row(ticket)).toMatchObject({ status: 'specialist_review', specialistGroup: 'Réseau', supportLevel: 2 });
    await ok(ticket, 'cancel', { reason: 'Résolu par le client' });
    await finished(ticket);
    expect(await statuses(ticket)).toEqual(['new', 'analysis', 'awaiting_client_info', 'analysis', 'specialist_review', 'cancelled']);
    // The cancellation as data: the page says « Motif de l’annulation » over the reason.
    expect((await detailsOf(ticket)).filter((d) => d.entry === 'cancelled')).toEqual([
      { entry: 'cancelled', type: 'cancellation', reason: 'Résolu par le client' },
    ]);
    const entries = await timeline(ticket);
    expect(entries.find((e) => e.kind === 'client_answer')?.message).toBe('Erreur 0x0000007B');
    expect((await messages(ticket)).map((m) => m.subject)).toContainEqual(expect.stringContaining('Informations complémentaires'));
  });

  it('resolves remotely: support time recorded, validation reminders, acceptance, one invoice with the remote line, survey deadline', async () => {
    const app = createApp({
      db,
      temporal,
      taskQueue: worker.taskQueue,
      checkResponses: enforceResponseSchemas,
      interventionPolicy: {
        ...POLICY,
        validationReminderMs: 700,
        validationReminderCount: 1,
        surveyReminderMs: 700,
        surveyDeadlineMs: 1500,
      },
    });
    const own = await listen(app);
    try {
      // A company whose contract bills remote support at 60 €/h (the default mode: like labour,
      // and this standard contract has no included hours).
      const company = await createTestClient(db);
      await setContractTerms(db, company.contractId, { remoteSupportRateCents: 6000 });
      const created = await file(company, {}, apiClient(own.url));
      const ticket = created.body.ticketNumber as string;
      const remoteSessions = () => db.selectFrom('remoteSessions').selectAll().where('requestId', '=', created.body.requestId).execute();

      // The time is required, whole minutes from 1 to 480: otherwise a 400 naming the field, nothing changed.
      for (const minutes of [undefined, 0, -5, 12.5, 481, '25']) {
        const refused = await act(ticket, 'triage', {
          decision: 'propose_remote',
          solution: 'Mettre à jour le pilote réseau',
          ...(minutes === undefined ? {} : { minutes }),
        });
        expect(refused.status, `minutes ${String(minutes)}`).toBe(400);
        expect(refused.body.error.fields.map((f: { field: string }) => f.field)).toContain('minutes');
      }
      expect((await row(ticket)).status).toBe('analysis');
      expect(await remoteSessions()).toEqual([]);

      const proposed = await ok(ticket, 'triage', { decision: 'propose_remote', solution: 'Mettre à jour le pilote réseau', minutes: 25 });
      expect(proposed).toMatchObject({ status: 'solution_proposed', clientStatus: 'solution_proposed' });
      const sessions = await remoteSessions();
      expect(sessions).toMatchObject([{ minutes: 25, actorType: 'support', userId: expect.any(String) }]);
      const solution = (await timeline(ticket)).find((e) => e.kind === 'solution');
      expect(solution?.message).toBe('Mettre à jour le pilote réseau');
      await eventually(async () => (await messages(ticket)).some((m) => m.subject.includes('validation attendue')), 'validation reminder');
      await eventually(
        async () => (await messages(ticket)).some((m) => m.subject.includes('Validation client sans réponse')),
        'support alert',
      );
      await ok(ticket, 'accept', {});
      const result = await finished(ticket);
      expect(result).toMatchObject({ status: 'closed', survey: null, invoiceNumber: expect.stringMatching(/^FA-\d{4}-\d{6}$/) });

      // Exactly one invoice: 25 min → 30 min (15-minute increments, 30-minute minimum) at 60 €/h.
      const invoices = await db.selectFrom('invoices').selectAll().where('ticketNumber', '=', ticket).execute();
      expect(invoices).toHaveLength(1);
      const [invoice] = invoices;
      expect(invoice).toMatchObject({
        number: result.invoiceNumber,
        typeCode: 380,
        requestId: created.body.requestId,
        totalExclVatCents: 3000,
        totalVatCents: 600,
        totalInclVatCents: 3600,
      });
      const lines = invoice!.lines as Array<{
        kind: string;
        description: string;
        quantity: string;
        unitPriceCents: number;
        netAmountCents: number;
      }>;
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ kind: 'labour', quantity: '0.5', unitPriceCents: 6000, netAmountCents: 3000 });
      expect(lines[0]!.description).toMatch(/^Assistance à distance — \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}, 25 min réalisées$/);
      // The e-invoice passes the CII D16B schema and the EN 16931 rules.
      const dir = await writeAll(new Map([[invoice!.number, invoice!.xml]]));
      const schema = await validateSchema(dir);
      expect(schema.ok, schema.output).toBe(true);
      const rules = await validateBusinessRules(dir);
      expect(rules.reports).toBe(1);
      expect(rules.failures.filter((f) => f.flag === 'fatal')).toEqual([]);

      expect(await statuses(ticket)).toEqual(['new', 'analysis', 'solution_proposed', 'validated', 'invoiced', 'survey', 'closed']);
      expect((await timeline(ticket)).some((e) => e.kind === 'billing:not_billable')).toBe(false);
      expect((await timeline(ticket)).at(-1)?.message).toBe('survey unanswered');
      const subjects = (await messages(ticket)).map((m) => m.subject);
      expect(subjects).toEqual([
        expect.stringContaining('Demande reçue'),
        expect.stringContaining('Solution proposée'),
        expect.stringContaining('Rappel 1'),
        expect.stringContaining('Validation client sans réponse'),
        expect.stringContaining(result.invoiceNumber),
        expect.stringContaining('Votre avis'),
        expect.stringContaining('Rappel : votre avis compte'),
      ]);
      expect(await db.selectFrom('assignments').select('id').where('requestId', '=', created.body.requestId).execute()).toEqual([]);
      // The activity recorded the time once, whatever the retries and the replays.
      expect(await remoteSessions()).toHaveLength(1);
    } finally {
      own.server.close();
    }
  });

  it('records a remote resolution as not billable when the contract never bills remote support', async () => {
    const app = createApp({
      db,
      temporal,
      taskQueue: worker.taskQueue,
      checkResponses: enforceResponseSchemas,
      interventionPolicy: { ...POLICY, validationReminderMs: 60_000, surveyReminderMs: 300, surveyDeadlineMs: 600 },
    });
    const own = await listen(app);
    try {
      const company = await createTestClient(db);
      await setContractTerms(db, company.contractId, { remoteSupportBilling: 'not_billed' });
      const created = await file(company, {}, apiClient(own.url));
      const ticket = created.body.ticketNumber as string;
      await ok(ticket, 'triage', { decision: 'propose_remote', solution: 'Vider le cache du navigateur', minutes: 10 });
      await ok(ticket, 'accept', {});
      const result = await finished(ticket);
      expect(result).toMatchObject({ status: 'closed', invoiceNumber: null });
      // The time is kept, billing has nothing to invoice, says so, and goes on to the survey.
      expect(await db.selectFrom('remoteSessions').select('minutes').where('requestId', '=', created.body.requestId).execute()).toEqual([
        { minutes: 10 },
      ]);
      expect(await invoicesOf(ticket)).toHaveLength(0);
      const notBillable = (await timeline(ticket)).find((e) => e.kind === 'billing:not_billable');
      expect(notBillable?.message).toContain('remote support not billed by the contract');
      // And why, as data, for the page to say it in the reader's language.
      expect((await detailsOf(ticket)).filter((d) => d.type === 'not_billable')).toEqual([
        { entry: 'billing:not_billable', type: 'not_billable', reason: 'remote_not_billed' },
      ]);
      expect(await statuses(ticket)).toEqual(['new', 'analysis', 'solution_proposed', 'validated', 'survey', 'closed']);
    } finally {
      own.server.close();
    }
  });

  it('takes a technician escalation back to analysis one level up, and a priority change with its reason', async () => {
    const ticket = await open();
    const before = await row(ticket);
    const raised = await ok(ticket, 'priority', { priority: 'P1', reason: 'Direction bloquée' });
    expect(raised).toMatchObject({ priority: 'P1', priorityReason: 'Direction bloquée', status: 'analysis' });
    // The P1 targets (60/240 min against P2's 240/960) now apply, from submission.
    expect(Date.parse(raised.sla.resolutionDueAt)).toBeLessThan(before.resolutionDueAt!.getTime());
    expect((await row(ticket)).resolutionDueAt!.toISOString()).toBe(raised.sla.resolutionDueAt);
    expect((await act(ticket, 'priority', { priority: 'P1', reason: 'encore' })).status).toBe(409);
    await toScheduled(ticket);
    await ok(ticket, 'check-in', { mode: 'on_site' });
    const escalated = await ok(ticket, 'escalate', { reason: 'Carte mère, besoin N3' });
    expect(escalated).toMatchObject({ status: 'analysis', supportLevel: 2, assignment: null, openVisitId: null });
    const r = await row(ticket);
    expect(r).toMatchObject({ priority: 'P1', priorityReason: 'Direction bloquée', supportLevel: 2 });
    expect((await timeline(ticket)).find((e) => e.kind === 'priority_changed')?.message).toBe('Direction bloquée');
    expect((await detailsOf(ticket)).filter((d) => d.type === 'priority' || d.type === 'escalation')).toEqual([
      { entry: 'priority_changed', type: 'priority', from: 'P2', to: 'P1', reason: 'Direction bloquée' },
      { entry: 'analysis', type: 'escalation', level: 2, reason: 'Carte mère, besoin N3' },
    ]);
    await toScheduled(ticket, otherTech.id);
    await ok(ticket, 'cancel', { reason: 'fin du test' });
    await finished(ticket);
  });

  it('sends a rejected validation back to planning, reassigns with a CANCEL to the previous technician, then closes', async () => {
    const ticket = await open();
    await toAwaitingValidation(ticket);
    const rejected = await ok(ticket, 'reject', { reason: "L'écran clignote encore" });
    expect(rejected).toMatchObject({ status: 'awaiting_planning', validationRejections: 1 });
    await ok(ticket, 'assign', { technicianId: tech.id, ...slot(2), source: 'dispatcher' });
    const reassigned = await ok(ticket, 'assign', { technicianId: otherTech.id, ...slot(3), source: 'dispatcher' });
    expect(reassigned.assignment.technicianId).toBe(otherTech.id);
    await eventually(async () => smtp.received.find((m) => m.to.includes(tech.email) && m.raw.includes('METHOD:CANCEL')), 'CANCEL invite');
    // The previous technician still sees the request (their visit) but no longer works on it.
    const requestId = (await row(ticket)).id;
    const visitsBefore = await db.selectFrom('siteVisits').select('id').where('requestId', '=', requestId).execute();
    const stranger = await api('POST', `/requests/${ticket}/check-in`, { mode: 'remote' }, technicianUsers.get(tech.id));
    expect(stranger.status, JSON.stringify(stranger.body)).toBe(403);
    expect((await row(ticket)).status).toBe('scheduled');
    expect(await db.selectFrom('siteVisits').select('id').where('requestId', '=', requestId).execute()).toEqual(visitsBefore);
    await ok(ticket, 'check-in', { mode: 'remote' });
    await ok(ticket, 'check-out', {});
    await ok(ticket, 'report', { summary: 'Câble vidéo remplacé', recommendations: [] });
    await ok(ticket, 'accept', {});
    await eventually(async () => (await row(ticket)).status === 'survey', 'survey');
    await ok(ticket, 'survey', { rating: 3 });
    await finished(ticket);
    expect(await statuses(ticket)).toEqual([
      'new',
      'analysis',
      'awaiting_planning',
      'scheduled',
      'in_progress',
      'awaiting_validation',
      'awaiting_planning',
      'scheduled',
      'scheduled',
      'in_progress',
      'awaiting_validation',
      'validated',
      'invoiced',
      'survey',
      'closed',
    ]);
    const r = await row(ticket);
    const assignments = await db
      .selectFrom('assignments')
      .select(['technicianId', 'status'])
      .where('requestId', '=', r.id)
      .orderBy('createdAt')
      .execute();
    expect(assignments).toEqual([
      { technicianId: tech.id, status: 'completed' },
      { technicianId: tech.id, status: 'cancelled' },
      { technicianId: otherTech.id, status: 'completed' },
    ]);
    expect(await invoicesOf(ticket)).toHaveLength(1);
  });

  it('escalates on SLA risk then breach: support alerted, priority raised, then support level raised', async () => {
    // 24/7 contract, P2 response 2 min / resolution 4 min, run at 1 s per SLA minute; risk at half.
    const fast = await createTestClient(db, { coverage: '24_7', slaMinutes: { P2: [2, 4], P1: [1, 2] } });
    const app = createApp({
      db,
      temporal,
      taskQueue: worker.taskQueue,
      checkResponses: enforceResponseSchemas,
      interventionPolicy: { ...POLICY, slaTimeScale: 1 / 60, slaRiskRatio: 0.5 },
    });
    const own = await listen(app);
    try {
      const created = await file(fast, {}, apiClient(own.url));
      const ticket = created.body.ticketNumber as string;
      expect(Date.parse(created.body.responseDueAt) - Date.now()).toBeLessThan(2500);
      await eventually(async () => (await timeline(ticket)).some((e) => e.kind === 'sla:resolution_breached'), 'resolution breach', 15_000);
      const entries = (await timeline(ticket)).filter((e) => e.kind.startsWith('sla:') || e.kind === 'priority_changed');
      expect(entries.map((e) => e.kind)).toEqual([
        'sla:response_at_risk',
        'priority_changed',
        'sla:response_breached',
        'sla:resolution_at_risk',
        'sla:resolution_breached',
      ]);
      expect(entries[2]!.message).toBe('priority raised to P1');
      expect(entries[4]!.message).toBe('support level raised to N2');
      expect(await row(ticket)).toMatchObject({ priority: 'P1', supportLevel: 2, priorityReason: 'SLA response breached' });
      // The same facts as data, for the page to say them in the reader's language.
      const due = (d: Record<string, unknown>) => expect(Date.parse(String(d.dueAt))).not.toBeNaN();
      const facts = (await detailsOf(ticket)).filter((d) => d.type === 'sla' || d.type === 'priority');
      facts.filter((d) => d.type === 'sla').forEach(due);
      expect(facts).toEqual([
        {
          entry: 'sla:response_at_risk',
          type: 'sla',
          milestone: 'response_at_risk',
          dueAt: expect.any(String),
          priorityRaisedTo: null,
          supportLevelRaisedTo: null,
        },
        {
          entry: 'priority_changed',
          type: 'priority',
          from: 'P2',
          to: 'P1',
          reason: 'SLA response breached',
          slaMilestone: 'response_breached',
        },
        {
          entry: 'sla:response_breached',
          type: 'sla',
          milestone: 'response_breached',
          dueAt: expect.any(String),
          priorityRaisedTo: 'P1',
          supportLevelRaisedTo: null,
        },
        {
          entry: 'sla:resolution_at_risk',
          type: 'sla',
          milestone: 'resolution_at_risk',
          dueAt: expect.any(String),
          priorityRaisedTo: null,
          supportLevelRaisedTo: null,
        },
        {
          entry: 'sla:resolution_breached',
          type: 'sla',
          milestone: 'resolution_breached',
          dueAt: expect.any(String),
          priorityRaisedTo: null,
          supportLevelRaisedTo: 2,
        },
      ]);
      // The alert of the last milestone is sent after its timeline entry: wait for it.
      const alerts = await eventually(async () => {
        const sla = (await messages(ticket)).filter((m) => m.subject.includes('SLA'));
        return sla.length >= 4 ? sla : null;
      }, 'four SLA alerts');
      expect(alerts).toHaveLength(4);
      expect(alerts.every((m) => m.toAddresses.includes('support@intervention.local'))).toBe(true);
      await ok(ticket, 'cancel', { reason: 'fin du test' });
      await finished(ticket);
    } finally {
      own.server.close();
    }
  });

  describe('cancellation at each stage', () => {
    const stages: Array<[string, (ticket: string) => Promise<void>, string]> = [
      ['analysis', async () => {}, 'analysis'],
      [
        'awaiting client information',
        async (t) => void (await ok(t, 'triage', { decision: 'request_info', question: '?' })),
        'awaiting_client_info',
      ],
      [
        'specialist review',
        async (t) => void (await ok(t, 'triage', { decision: 'route_specialist', group: 'Sécurité' })),
        'specialist_review',
      ],
      [
        'solution proposed',
        async (t) => void (await ok(t, 'triage', { decision: 'propose_remote', solution: 'Redémarrer', minutes: 10 })),
        'solution_proposed',
      ],
      ['awaiting planning', async (t) => void (await ok(t, 'triage', { decision: 'intervene' })), 'awaiting_planning'],
      ['scheduled', (t) => toScheduled(t), 'scheduled'],
      [
        'in progress',
        async (t) => {
          await toScheduled(t);
          await ok(t, 'check-in', { mode: 'on_site' });
        },
        'in_progress',
      ],
      ['awaiting validation', (t) => toAwaitingValidation(t), 'awaiting_validation'],
    ];
    it.each(stages)('cancels during %s and ends the workflow as cancelled', async (_name, reach, status) => {
      const ticket = await open();
      await reach(ticket);
      expect((await row(ticket)).status).toBe(status);
      const cancelled = await ok(ticket, 'cancel', { reason: 'Plus nécessaire' });
      expect(cancelled).toMatchObject({ status: 'cancelled', clientStatus: 'closed', cancelReason: 'Plus nécessaire' });
      expect((await finished(ticket)).status).toBe('cancelled');
      const r = await row(ticket);
      expect(r.cancelledAt).not.toBeNull();
      const live = await db
        .selectFrom('assignments')
        .select('status')
        .where('requestId', '=', r.id)
        .where('status', 'in', ['proposed', 'confirmed', 'on_site'])
        .execute();
      expect(live).toEqual([]);
      const openVisits = await db
        .selectFrom('siteVisits')
        .select('id')
        .where('requestId', '=', r.id)
        .where('checkedOutAt', 'is', null)
        .execute();
      expect(openVisits).toEqual([]);
      if (status === 'scheduled' || status === 'in_progress') {
        await eventually(
          async () => smtp.received.find((m) => m.to.includes(tech.email) && m.raw.includes('METHOD:CANCEL') && m.raw.includes(ticket)),
          'CANCEL invite',
        );
      }
    });
  });

  describe('an invalid action at each stage is refused with 409 and changes nothing', () => {
    const cases: Array<[string, string, (t: string) => Promise<void>, unknown]> = [
      ['analysis', 'accept', async () => {}, {}],
      [
        'awaiting_client_info',
        'triage',
        async (t) => void (await ok(t, 'triage', { decision: 'request_info', question: '?' })),
        { decision: 'intervene' },
      ],
      [
        'solution_proposed',
        'check-in',
        async (t) => void (await ok(t, 'triage', { decision: 'propose_remote', solution: 'x', minutes: 5 })),
        { mode: 'remote' },
      ],
      ['awaiting_planning', 'check-in', async (t) => void (await ok(t, 'triage', { decision: 'intervene' })), { mode: 'on_site' }],
      ['scheduled', 'report', (t) => toScheduled(t), { summary: 'trop tôt', recommendations: [] }],
      [
        'in_progress',
        'report',
        async (t) => {
          await toScheduled(t);
          await ok(t, 'check-in', { mode: 'on_site' });
        },
        { summary: 'sans check-out', recommendations: [] },
      ],
      ['awaiting_validation', 'survey', (t) => toAwaitingValidation(t), { rating: 5 }],
    ];
    it.each(cases)('in %s, refuses %s', async (status, action, reach, body) => {
      const ticket = await open();
      await reach(ticket);
      const before = { events: await timeline(ticket), row: await row(ticket), mails: (await messages(ticket)).length };
      expect(before.row.status).toBe(status);
      const refused = await act(ticket, action, body);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('invalid_transition');
      expect(refused.body.error.message).toMatch(new RegExp(`${status}|check`));
      expect(await timeline(ticket)).toEqual(before.events);
      expect((await row(ticket)).status).toBe(status);
      expect((await row(ticket)).updatedAt).toEqual(before.row.updatedAt);
      expect((await messages(ticket)).length).toBe(before.mails);
      await ok(ticket, 'cancel', { reason: 'fin du test' });
    });

    it('refuses a part missing from the catalogue with 422 and stores no part', async () => {
      const ticket = await open();
      await toScheduled(ticket);
      await ok(ticket, 'check-in', { mode: 'on_site' });
      const refused = await act(ticket, 'log', { kind: 'part', sku: 'NOPE-404', quantity: 1 });
      expect(refused.status).toBe(422);
      expect(refused.body.error.message).toContain('NOPE-404');
      const r = await row(ticket);
      expect(await db.selectFrom('partsUsed').select('id').where('requestId', '=', r.id).execute()).toEqual([]);
      expect((await timeline(ticket)).some((e) => e.kind === 'log:part')).toBe(false);
      await ok(ticket, 'log', { kind: 'part', sku, quantity: 2 });
      await ok(ticket, 'cancel', { reason: 'fin du test' });
    });

    it('refuses any action on a closed intervention with 409, and a second cancel', async () => {
      const ticket = await open();
      await ok(ticket, 'cancel', { reason: 'Doublon' });
      await finished(ticket);
      expect((await act(ticket, 'triage', { decision: 'intervene' })).status).toBe(409);
      expect((await act(ticket, 'cancel', { reason: 'encore' })).status).toBe(409);
      expect((await act('INT-2026-999999', 'cancel', { reason: 'x' })).status).toBe(404);
    });
  });

  it('lists interventions by search attributes (status, priority, client, technician)', async () => {
    const ticket = await open();
    await toScheduled(ticket, otherTech.id);
    const found = await eventually(async () => {
      const r = await api(
        'GET',
        `/interventions?technicianId=${otherTech.id}&status=scheduled&clientId=${tenant.clientId}&priority=P2`,
        undefined,
        dispatcher,
      );
      return r.body.items.find((i: { ticketNumber: string }) => i.ticketNumber === ticket);
    }, 'visibility');
    expect(found).toMatchObject({
      status: 'scheduled',
      priority: 'P2',
      clientId: tenant.clientId,
      technicianId: otherTech.id,
      running: true,
    });
    await ok(ticket, 'cancel', { reason: 'fin du test' });
  });

  it('refuses invalid intake photos and diagnostic consent with 400 naming the field', async () => {
    const notPng = await api(
      'POST',
      '/requests',
      intakeBody(tenant, {
        photos: [{ filename: 'x.png', contentType: 'image/png', dataBase64: Buffer.from('hello').toString('base64') }],
      }),
    );
    expect(notPng.status).toBe(400);
    expect(notPng.body.error.fields[0].field).toBe('photos.0.dataBase64');
    const tooMany = await api(
      'POST',
      '/requests',
      intakeBody(tenant, { photos: Array.from({ length: 6 }, () => ({ filename: 'a.png', contentType: 'image/png', dataBase64: PNG })) }),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields[0].field).toBe('photos');
    const gif = await api(
      'POST',
      '/requests',
      intakeBody(tenant, { photos: [{ filename: 'a.gif', contentType: 'image/gif', dataBase64: PNG }] }),
    );
    expect(gif.body.error.fields[0].field).toBe('photos.0.contentType');
    const noConsent = await api('POST', '/requests/diagnostic-preview', { systemInfo: { os: 'Linux' }, includeSensitive: true });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.fields[0].field).toBe('sensitiveDataConsent');
    const preview = await api('POST', '/requests/diagnostic-preview', {
      systemInfo: { os: 'Linux', hostname: 'pc-42' },
      errorLog: 'from 10.1.2.3',
      level: 'essential',
    });
    expect(preview.body).toMatchObject({ level: 'essential', systemInfo: { os: 'Linux' }, errorLog: 'from [ip]' });
  });

  it('serves an OpenAPI 3.1 document that declares every action route', async () => {
    const doc = (await api('GET', '/openapi.json')).body;
    expect(doc.openapi).toMatch(/^3\.1/);
    for (const action of [
      'triage',
      'client-answer',
      'priority',
      'assign',
      'check-in',
      'log',
      'check-out',
      'escalate',
      'report',
      'accept',
      'reject',
      'survey',
      'cancel',
    ]) {
      expect(Object.keys(doc.paths)).toContain(`/api/requests/{ticket}/${action}`);
    }
  });
});
