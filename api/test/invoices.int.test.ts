/**
 * The finance API on the real app and PostgreSQL: invoices issued by the billing activity are
 * listed by period, client and type, downloaded as issued (PDF, XML), exported to CSV for the
 * accountant, and corrected by credit notes (the credit-note workflow on the real Temporal and a
 * real worker); a client_admin sees only its own company's. Every call signs in for real
 * (session cookie) and runs under row-level security. With RECORD_HISTORIES=1 the credit-note
 * workflows' histories are written as replay fixtures (workflows/billing/test/histories/).
 */
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingActivities } from '../../activities/billing/billing.activities.js';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { pdfAttachments, pdfText, validateBusinessRules, validateSchema, writeAll } from '../../activities/billing/test/einvoice-check.js';
import { sellerProfileFromConfig } from '../../activities/billing/seller-profile.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import type { DB } from '../../db/index.js';
import { loadConfig } from '../../platform/config.js';
import { listen, startTestWorker, testClient, testDb, testFinanceEmail, type TestWorker } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import { createApp } from '../app.js';
import { enforceResponseSchemas } from '../../scripts/testing/response-check.js';

type Headers = Record<string, string>;
const HISTORY_DIR = new URL('../../workflows/billing/test/histories/', import.meta.url);

describe('finance API', () => {
  let db: Kysely<DB>;
  let temporal: { client: Client; connection: Connection };
  let worker: TestWorker;
  let server: Server | undefined;
  let url: string;
  let finance: Headers;
  let admin: Headers;
  /** A client_admin of beta's company. */
  let betaAdmin: Headers;
  let alpha: TestClient;
  let beta: TestClient;
  /** A company of its own for the idempotency test, so the listings above stay as they are. */
  let gamma: TestClient;
  const issued: Record<string, { invoiceId: string; number: string; totalInclVatCents: number }> = {};

  beforeAll(async () => {
    db = testDb();
    const mailer = createMailer({ db, from: 'facturation@msp.test' });
    const seller = sellerProfileFromConfig(loadConfig({}));
    // Issue dates pinned in a year of their own so the period filters are exact.
    const at = (iso: string) => createBillingActivities({ db, mailer, seller, financeEmail: 'compta@msp.test', now: () => new Date(iso) });
    alpha = await createTestClient(db);
    beta = await createTestClient(db);
    issued.march = await at('2031-03-15T10:00:00Z').issueInvoice(await createClosedIntervention(db, alpha, { visits: [{ minutes: 60 }] }));
    issued.april = await at('2031-04-02T10:00:00Z').issueInvoice(
      await createClosedIntervention(db, alpha, { visits: [{ minutes: 90 }], parts: [{ unitPriceCents: 1999, vatRateBasisPoints: 550 }] }),
    );
    issued.beta = await at('2031-04-03T10:00:00Z').issueInvoice(await createClosedIntervention(db, beta, { visits: [{ minutes: 30 }] }));

    finance = (await createTestAccount(db, 'finance')).headers;
    admin = (await createTestAccount(db, 'admin')).headers;
    betaAdmin = (await createTestAccount(db, 'client_admin', { clientId: beta.clientId })).headers;

    temporal = await testClient();
    worker = await startTestWorker({ db, mailer });
    const app = createApp({
      db,
      temporal: temporal.client,
      taskQueue: worker.taskQueue,
      log: () => {},
      checkResponses: enforceResponseSchemas,
    });
    ({ server, url } = await listen(app));
  });

  afterAll(async () => {
    server?.close();
    await worker?.stop();
    await temporal?.connection.close();
    await db?.destroy();
  });

  /** Writes a finished credit-note workflow's history as a replay fixture (RECORD_HISTORIES=1). */
  async function record(workflowId: string, scenario: string) {
    if (!process.env.RECORD_HISTORIES) return;
    const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(new URL(`${scenario}.json`, HISTORY_DIR), JSON.stringify(history));
  }

  const get = (path: string, as: Headers = finance) => fetch(`${url}${path}`, { headers: as });
  const post = (path: string, body: unknown, as: Headers = finance, extra: Headers = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as, ...extra },
      body: JSON.stringify(body),
    });

  it('lists invoices by issue-date period, client and type', async () => {
    const april = (await (await get('/api/invoices?from=2031-04-01&to=2031-04-30')).json()) as { items: { number: string }[] };
    expect(april.items.map((i) => i.number).sort()).toEqual([issued.april!.number, issued.beta!.number].sort());
    const alphaOnly = (await (await get(`/api/invoices?from=2031-01-01&to=2031-12-31&clientId=${alpha.clientId}`)).json()) as {
      items: { number: string }[];
    };
    expect(alphaOnly.items.map((i) => i.number)).toEqual([issued.april!.number, issued.march!.number]);
    const notes = (await (await get('/api/invoices?from=2031-01-01&type=credit_note')).json()) as { items: unknown[] };
    expect(notes.items).toEqual([]);
  });

  it('rejects a bad filter naming the field', async () => {
    const response = await get('/api/invoices?from=2031-13-01');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; fields: { field: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields.map((f) => f.field)).toContain('query.from');
  });

  it('serves the PDF and the CII XML exactly as stored', async () => {
    const pdf = await get(`/api/invoices/${issued.april!.invoiceId}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    const stored = await db
      .selectFrom('invoices')
      .select(['pdf', 'xml'])
      .where('id', '=', issued.april!.invoiceId)
      .executeTakeFirstOrThrow();
    expect(bytes.equals(stored.pdf)).toBe(true);
    const xml = await get(`/api/invoices/${issued.april!.invoiceId}/xml`);
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(Buffer.from(await xml.arrayBuffer()).equals(stored.xml)).toBe(true);
    expect((await get('/api/invoices/2b1f7a52-9b1e-4a63-8f1e-000000000000/pdf')).status).toBe(404);
    expect((await get('/api/invoices/not-a-uuid')).status).toBe(400);
  });

  it('issues credit notes through the API: full or partial, idempotent, never beyond the invoice', async () => {
    const path = `/api/invoices/${issued.april!.invoiceId}/credit-notes`;
    const missingReason = await post(path, {});
    expect(missingReason.status).toBe(400);
    expect(((await missingReason.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('reason');

    const partial = await post(path, {
      reason: 'Déplacement non dû',
      lines: [{ lineId: 2, amountCents: 4500 }],
      idempotencyKey: 'credit-april-1',
    });
    expect(partial.status).toBe(201);
    const note = (await partial.json()) as { id: string; number: string; totalInclVatCents: number };
    expect(note.number).toMatch(/^AV-\d{4}-\d{6}$/);
    expect(note.totalInclVatCents).toBe(5400);
    const again = await post(path, {
      reason: 'Déplacement non dû',
      lines: [{ lineId: 2, amountCents: 4500 }],
      idempotencyKey: 'credit-april-1',
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { number: string }).number).toBe(note.number);

    const tooMuch = await post(path, { reason: 'Erreur', lines: [{ lineId: 2, amountCents: 1 }], idempotencyKey: 'credit-april-2' });
    expect(tooMuch.status).toBe(400);
    expect(((await tooMuch.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('lines');

    const workflows = temporal.client.workflow.list({ query: `WorkflowType = 'creditNoteWorkflow' AND TaskQueue = '${worker.taskQueue}'` });
    const started: string[] = [];
    for await (const w of workflows) started.push(w.workflowId);
    expect(started).toContain(`credit-note:${issued.april!.invoiceId}:credit-april-1`);
    await record(`credit-note:${issued.april!.invoiceId}:credit-april-1`, 'issues-a-partial-credit-note-and-emails-finance');
    await record(`credit-note:${issued.april!.invoiceId}:credit-april-2`, 'refuses-a-credit-beyond-what-remains-on-the-line');

    const detail = (await (await get(`/api/invoices/${issued.april!.invoiceId}`)).json()) as {
      creditNotes: { number: string }[];
      lines: unknown[];
    };
    expect(detail.creditNotes.map((c) => c.number)).toEqual([note.number]);
    const creditNote = (await (await get(`/api/invoices/${note.id}`)).json()) as {
      type: string;
      creditedInvoiceId: string;
      reason: string;
    };
    expect(creditNote).toMatchObject({ type: 'credit_note', creditedInvoiceId: issued.april!.invoiceId, reason: 'Déplacement non dû' });
    const onNote = await post(`/api/invoices/${note.id}/credit-notes`, { reason: 'Avoir sur avoir' });
    expect(onNote.status).toBe(400);
    expect(((await onNote.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('invoiceId');
    const unknown = await post('/api/invoices/2b1f7a52-9b1e-4a63-8f1e-000000000000/credit-notes', { reason: 'Erreur de saisie' });
    expect(unknown.status).toBe(404);
  });

  it('takes the idempotency key from the Idempotency-Key header: 201, then 200 with the same note, one email to finance', async () => {
    gamma = await createTestClient(db);
    const invoice = await createBillingActivities({
      db,
      mailer: createMailer({ db, from: 'facturation@msp.test' }),
      seller: sellerProfileFromConfig(loadConfig({})),
      financeEmail: 'compta@msp.test',
      now: () => new Date('2031-05-10T10:00:00Z'),
    }).issueInvoice(await createClosedIntervention(db, gamma, { visits: [{ minutes: 45 }] }));
    const path = `/api/invoices/${invoice.invoiceId}/credit-notes`;
    const key = { 'Idempotency-Key': `retry-${invoice.invoiceId}` };
    const body = { reason: 'Intervention non réalisée', lines: [{ lineId: 1 }] };
    const [first, second] = [await post(path, body, finance, key), await post(path, body, finance, key)];
    expect([first.status, second.status]).toEqual([201, 200]);
    const [a, b] = [
      (await first.json()) as { id: string; number: string; alreadyIssued: boolean },
      (await second.json()) as { id: string; alreadyIssued: boolean },
    ];
    expect(b).toEqual({ ...a, alreadyIssued: true });
    expect(a.alreadyIssued).toBe(false);
    const notes = await db.selectFrom('invoices').select('number').where('creditedInvoiceId', '=', invoice.invoiceId).execute();
    expect(notes).toEqual([{ number: a.number }]);

    const mails = await db
      .selectFrom('outboundMessages')
      .select(['toAddresses', 'subject', 'attachments'])
      .where('idempotencyKey', '=', `credit-note:${invoice.invoiceId}:retry-${invoice.invoiceId}:email`)
      .execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.toAddresses).toEqual([testFinanceEmail()]);
    expect(mails[0]!.subject).toBe(`Avoir ${a.number} sur la facture ${invoice.number}`);
    expect(mails[0]!.attachments.map((f) => f.filename)).toEqual([`${a.number}.pdf`, `${a.number}.xml`]);
    const stored = await db.selectFrom('invoices').select(['pdf', 'xml']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(Buffer.from(mails[0]!.attachments[0]!.content, 'base64').equals(stored.pdf)).toBe(true);
    expect((await pdfAttachments(stored.pdf)).get('factur-x.xml')?.equals(stored.xml)).toBe(true);

    // The key reused for another credit note is refused rather than answered with the first one.
    const reused = await post(path, { ...body, reason: 'Autre motif' }, finance, key);
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('idempotencyKey');

    // The same key on the body and a different one in the header is ambiguous: refused, nothing issued.
    const clash = await post(path, { ...body, idempotencyKey: 'another-key-1' }, finance, key);
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('idempotencyKey');
    const short = await post(path, body, finance, { 'Idempotency-Key': 'x' });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('Idempotency-Key');
    expect(await db.selectFrom('invoices').select('id').where('creditedInvoiceId', '=', invoice.invoiceId).execute()).toHaveLength(1);
  });

  it('exports a CSV for accounting with French columns, VAT per rate, credit notes negative', async () => {
    const response = await get(`/api/invoices/export.csv?clientId=${alpha.clientId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = (await response.text()).replace(/^\ufeff/, '');
    const [header, ...rows] = text
      .trim()
      .split('\n')
      .map((l) => l.split(';'));
    expect(header).toEqual([
      'Date',
      'Numéro',
      'Type',
      'Client',
      'SIREN client',
      'Intervention',
      'Facture d’origine',
      'Total HT',
      'TVA 20 %',
      'TVA 5,5 %',
      'Total TVA',
      'Total TTC',
      'Échéance',
    ]);
    const byNumber = new Map(rows.map((r) => [r[1], r]));
    // April: 1 h 30 at 90 € + 45 € travel = 180 € at 20 % (36 €), part 19,99 € at 5,5 % (1,10 €).
    expect(byNumber.get(issued.april!.number)).toEqual([
      '2031-04-02',
      issued.april!.number,
      'Facture',
      expect.stringMatching(/^Test SAS/),
      '552100554',
      expect.stringMatching(/^INT-/),
      '',
      '199,99',
      '36,00',
      '1,10',
      '37,10',
      '237,09',
      '2031-05-02',
    ]);
    const creditRow = rows.find((r) => r[2] === 'Avoir')!;
    expect(creditRow.slice(6)).toEqual([issued.april!.number, '-45,00', '-9,00', '0,00', '-9,00', '-54,00', expect.any(String)]);
    expect(rows.some((r) => r[1] === issued.beta!.number)).toBe(false);
  });

  it('shows a client_admin its own company only', async () => {
    const list = (await (await get('/api/invoices?from=2031-01-01&to=2031-12-31', betaAdmin)).json()) as { items: { number: string }[] };
    expect(list.items.map((i) => i.number)).toEqual([issued.beta!.number]);
    expect((await get(`/api/invoices/${issued.march!.invoiceId}`, betaAdmin)).status).toBe(404);
    expect((await get(`/api/invoices/${issued.march!.invoiceId}/pdf`, betaAdmin)).status).toBe(404);
    expect((await get(`/api/invoices/${issued.beta!.invoiceId}/pdf`, betaAdmin)).status).toBe(200);
    expect((await get(`/api/invoices?clientId=${alpha.clientId}`, betaAdmin)).status).toBe(403);
    // Finance tools stay finance's: no export, no credit note for a client.
    expect((await get('/api/invoices/export.csv', betaAdmin)).status).toBe(403);
    expect((await post(`/api/invoices/${issued.beta!.invoiceId}/credit-notes`, { reason: 'Pas d’accord' }, betaAdmin)).status).toBe(403);
  });

  it('lets an admin read every company and answers 401 to an anonymous caller', async () => {
    const list = (await (await get('/api/invoices?from=2031-01-01&to=2031-12-31', admin)).json()) as { items: { number: string }[] };
    expect(list.items.map((i) => i.number)).toEqual(
      expect.arrayContaining([issued.march!.number, issued.april!.number, issued.beta!.number]),
    );
    expect((await get(`/api/invoices/${issued.march!.invoiceId}/xml`, admin)).status).toBe(200);
    expect((await get('/api/invoices?from=2031-01-01', {})).status).toBe(401);
  });

  it('produced only documents that pass the CII schema and the EN 16931 rules', async () => {
    const clientIds = [alpha.clientId, beta.clientId, gamma.clientId];
    const rows = await db.selectFrom('invoices').select(['number', 'xml', 'pdf']).where('clientId', 'in', clientIds).execute();
    expect(rows.length).toBe(6); // four invoices and two credit notes
    const dir = await writeAll(new Map(rows.map((r) => [r.number, r.xml])));
    expect((await validateSchema(dir)).ok).toBe(true);
    const rules = await validateBusinessRules(dir);
    expect(rules.reports).toBe(6);
    expect(rules.failures.filter((f) => f.flag === 'fatal')).toEqual([]);
    for (const row of rows) expect(await pdfText(row.pdf)).toContain(row.number);
  }, 120_000);
});
