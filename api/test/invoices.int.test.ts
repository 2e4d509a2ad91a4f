/**
 * The finance API on the real app and PostgreSQL: invoices issued by the billing activity are
 * listed by period, client and type, downloaded as issued (PDF, XML), exported to CSV for the
 * accountant, and corrected by credit notes; a client_admin sees only its own company's. Every
 * call signs in for real (session cookie) and runs under row-level security.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingActivities } from '../../activities/billing/billing.activities.js';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { pdfText, validateBusinessRules, validateSchema, writeAll } from '../../activities/billing/test/einvoice-check.js';
import { sellerProfileFromConfig } from '../../activities/billing/seller-profile.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import type { DB } from '../../db/index.js';
import { loadConfig } from '../../scripts/config.js';
import { testDb } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import { createApp } from '../app.js';

type Headers = Record<string, string>;

describe('finance API', () => {
  let db: Kysely<DB>;
  let server: Server | undefined;
  let url: string;
  let finance: Headers;
  let admin: Headers;
  /** A client_admin of beta's company. */
  let betaAdmin: Headers;
  let alpha: TestClient;
  let beta: TestClient;
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

    const app = createApp({ db, temporal: {} as never, log: () => {} });
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.close();
    await db?.destroy();
  });

  const get = (path: string, as: Headers = finance) => fetch(`${url}${path}`, { headers: as });
  const post = (path: string, body: unknown, as: Headers = finance) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...as }, body: JSON.stringify(body) });

  it('lists invoices by issue-date period, client and type', async () => {
    const april = (await (await get('/api/invoices?from=2031-04-01&to=2031-04-30')).json()) as { items: { number: string }[] };
    expect(april.items.map((i) => i.number).sort()).toEqual([issued.april!.number, issued.beta!.number].sort());
    const alphaOnly = (await (await get(`/api/invoices?from=2031-01-01&to=2031-12-31&clientId=${alpha.clientId}`)).json()) as { items: { number: string }[] };
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
    const stored = await db.selectFrom('invoices').select(['pdf', 'xml']).where('id', '=', issued.april!.invoiceId).executeTakeFirstOrThrow();
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

    const partial = await post(path, { reason: 'Déplacement non dû', lines: [{ lineId: 2, amountCents: 4500 }], idempotencyKey: 'credit-april-1' });
    expect(partial.status).toBe(201);
    const note = (await partial.json()) as { id: string; number: string; totalInclVatCents: number };
    expect(note.number).toMatch(/^AV-\d{4}-\d{6}$/);
    expect(note.totalInclVatCents).toBe(5400);
    const again = await post(path, { reason: 'Déplacement non dû', lines: [{ lineId: 2, amountCents: 4500 }], idempotencyKey: 'credit-april-1' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { number: string }).number).toBe(note.number);

    const tooMuch = await post(path, { reason: 'Erreur', lines: [{ lineId: 2, amountCents: 1 }] });
    expect(tooMuch.status).toBe(400);
    expect(((await tooMuch.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('lines');

    const detail = (await (await get(`/api/invoices/${issued.april!.invoiceId}`)).json()) as { creditNotes: { number: string }[]; lines: unknown[] };
    expect(detail.creditNotes.map((c) => c.number)).toEqual([note.number]);
    const creditNote = (await (await get(`/api/invoices/${note.id}`)).json()) as { type: string; creditedInvoiceId: string; reason: string };
    expect(creditNote).toMatchObject({ type: 'credit_note', creditedInvoiceId: issued.april!.invoiceId, reason: 'Déplacement non dû' });
    expect((await post(`/api/invoices/${note.id}/credit-notes`, { reason: 'Avoir sur avoir' })).status).toBe(400);
  });

  it('exports a CSV for accounting with French columns, VAT per rate, credit notes negative', async () => {
    const response = await get(`/api/invoices/export.csv?clientId=${alpha.clientId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = (await response.text()).replace(/^\ufeff/, '');
    const [header, ...rows] = text.trim().split('\n').map((l) => l.split(';'));
    expect(header).toEqual(['Date', 'Numéro', 'Type', 'Client', 'SIREN client', 'Intervention', 'Facture d’origine', 'Total HT', 'TVA 20 %', 'TVA 5,5 %', 'Total TVA', 'Total TTC', 'Échéance']);
    const byNumber = new Map(rows.map((r) => [r[1], r]));
    // April: 1 h 30 at 90 € + 45 € travel = 180 € at 20 % (36 €), part 19,99 € at 5,5 % (1,10 €).
    expect(byNumber.get(issued.april!.number)).toEqual([
      '2031-04-02', issued.april!.number, 'Facture', expect.stringMatching(/^Test SAS/), '552100554', expect.stringMatching(/^INT-/), '', '199,99', '36,00', '1,10', '37,10', '237,09', '2031-05-02',
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
    expect(list.items.map((i) => i.number)).toEqual(expect.arrayContaining([issued.march!.number, issued.april!.number, issued.beta!.number]));
    expect((await get(`/api/invoices/${issued.march!.invoiceId}/xml`, admin)).status).toBe(200);
    expect((await get('/api/invoices?from=2031-01-01', {})).status).toBe(401);
  });

  it('produced only documents that pass the CII schema and the EN 16931 rules', async () => {
    const clientIds = [alpha.clientId, beta.clientId];
    const rows = await db.selectFrom('invoices').select(['number', 'xml', 'pdf']).where('clientId', 'in', clientIds).execute();
    expect(rows.length).toBe(4); // three invoices and the credit note
    const dir = await writeAll(new Map(rows.map((r) => [r.number, r.xml])));
    expect((await validateSchema(dir)).ok).toBe(true);
    const rules = await validateBusinessRules(dir);
    expect(rules.reports).toBe(4);
    expect(rules.failures.filter((f) => f.flag === 'fatal')).toEqual([]);
    for (const row of rows) expect(await pdfText(row.pdf)).toContain(row.number);
  }, 120_000);
});
