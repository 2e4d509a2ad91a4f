/**
 * The finance workspace's API on the real app, PostgreSQL (row-level security) and Temporal:
 * the selection of invoices and credit notes with its totals and payment statuses, payments
 * recorded by finance and read by the client company's admin, the FEC export checked line by
 * line against the invoices in the database, the accounting settings, and contract consumption.
 */
import type { Server } from 'node:http';
import type { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingActivities } from '../../activities/billing/billing.activities.js';
import { createClosedIntervention, setContractTerms } from '../../activities/billing/test/billing-fixtures.js';
import { sellerProfileFromConfig } from '../../activities/billing/seller-profile.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import type { DB } from '../../db/index.js';
import { loadConfig } from '../../platform/config.js';
import { listen, startTestWorker, testClient, testDb, type TestWorker } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import { enforceResponseSchemas } from '../../scripts/testing/response-check.js';
import { createApp } from '../app.js';
import { enterScope } from '../auth/access.js';

type Headers = Record<string, string>;
interface Listing {
  items: { id: string; number: string; type: string; paymentStatus: string | null; paidOn: string | null; totalInclVatCents: number }[];
  totals: {
    count: number;
    totalExclVatCents: number;
    totalVatCents: number;
    totalInclVatCents: number;
    vatByRate: { vatRateBasisPoints: number; basisCents: number; vatCents: number }[];
  };
  truncated: boolean;
}

describe('finance workspace API', () => {
  let db: Kysely<DB>;
  let temporal: { client: Client; connection: Connection };
  let worker: TestWorker;
  let server: Server | undefined;
  let url: string;
  let finance: Headers;
  let support: Headers;
  /** client_admin of alpha's company, and a client_user of it. */
  let alphaAdmin: Headers;
  let alphaUser: Headers;
  let alpha: TestClient;
  let beta: TestClient;
  const issued: Record<string, { invoiceId: string; number: string; totalInclVatCents: number }> = {};

  beforeAll(async () => {
    db = testDb();
    const mailer = createMailer({ db, from: 'facturation@msp.test' });
    const seller = sellerProfileFromConfig(loadConfig({}));
    const at = (iso: string) => createBillingActivities({ db, mailer, seller, financeEmail: 'compta@msp.test', now: () => new Date(iso) });
    alpha = await createTestClient(db);
    beta = await createTestClient(db);
    // For the consumption: 2 included hours a month, labour drawn from them first.
    await setContractTerms(db, alpha.contractId, {}, { kind: 'premium', includedHoursPerMonth: '2', hourlyRateCents: 8000 });
    // Issued long ago, due long ago: overdue unless paid.
    issued.old = await at('2025-01-10T10:00:00Z').issueInvoice(
      await createClosedIntervention(db, alpha, { visits: [{ minutes: 60, at: '2025-01-08T08:30:00Z' }] }),
    );
    issued.march = await at('2032-03-15T10:00:00Z').issueInvoice(
      await createClosedIntervention(db, alpha, { visits: [{ minutes: 150, at: '2032-03-10T08:30:00Z' }] }),
    );
    issued.april = await at('2032-04-02T10:00:00Z').issueInvoice(
      await createClosedIntervention(db, alpha, {
        visits: [{ minutes: 90, at: '2032-03-28T08:30:00Z' }],
        parts: [{ unitPriceCents: 1999, vatRateBasisPoints: 550 }],
      }),
    );
    issued.beta = await at('2032-04-03T10:00:00Z').issueInvoice(
      await createClosedIntervention(db, beta, { visits: [{ minutes: 30, at: '2032-04-01T08:30:00Z' }] }),
    );

    finance = (await createTestAccount(db, 'finance')).headers;
    support = (await createTestAccount(db, 'support_agent')).headers;
    alphaAdmin = (await createTestAccount(db, 'client_admin', { clientId: alpha.clientId })).headers;
    alphaUser = (await createTestAccount(db, 'client_user', { clientId: alpha.clientId })).headers;

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

  const get = (path: string, as: Headers = finance) => fetch(`${url}${path}`, { headers: as });
  const send = (method: string, path: string, body: unknown, as: Headers = finance) =>
    fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...as }, body: JSON.stringify(body) });
  const list = async (query: string, as: Headers = finance) => {
    const response = await get(`/api/invoices?${query}`, as);
    expect(response.status).toBe(200);
    return (await response.json()) as Listing;
  };

  /** The same totals, summed from the stored documents (credit notes negative). */
  async function storedTotals(ids: string[]) {
    const rows = await db.selectFrom('invoices').selectAll().where('id', 'in', ids).execute();
    const sign = (r: { typeCode: number }) => (r.typeCode === 381 ? -1 : 1);
    const byRate = new Map<number, { basisCents: number; vatCents: number }>();
    for (const r of rows) {
      for (const v of r.vatBreakdown as { vatRateBasisPoints: number; basisCents: number; vatCents: number }[]) {
        const t = byRate.get(v.vatRateBasisPoints) ?? { basisCents: 0, vatCents: 0 };
        t.basisCents += sign(r) * v.basisCents;
        t.vatCents += sign(r) * v.vatCents;
        byRate.set(v.vatRateBasisPoints, t);
      }
    }
    return {
      count: rows.length,
      totalExclVatCents: rows.reduce((s, r) => s + sign(r) * r.totalExclVatCents, 0),
      totalVatCents: rows.reduce((s, r) => s + sign(r) * r.totalVatCents, 0),
      totalInclVatCents: rows.reduce((s, r) => s + sign(r) * r.totalInclVatCents, 0),
      vatByRate: [...byRate.entries()].sort(([a], [b]) => b - a).map(([vatRateBasisPoints, t]) => ({ vatRateBasisPoints, ...t })),
    };
  }

  it('lists the selection with its totals: excl. VAT, VAT per rate, incl. VAT', async () => {
    const april = await list(`from=2032-04-01&to=2032-04-30&clientId=${alpha.clientId}`);
    expect(april.items.map((i) => i.number)).toEqual([issued.april!.number]);
    const year = await list(`from=2032-01-01&to=2032-12-31&clientId=${alpha.clientId}`);
    expect(year.items.map((i) => i.number)).toEqual([issued.april!.number, issued.march!.number]);
    expect(year.totals).toEqual(await storedTotals([issued.april!.invoiceId, issued.march!.invoiceId]));
    // Two rates: the part at 5.5 %, labour and travel at 20 %.
    expect(year.totals.vatByRate.map((v) => v.vatRateBasisPoints)).toEqual([2000, 550]);
    expect(year.totals.totalInclVatCents).toBe(issued.april!.totalInclVatCents + issued.march!.totalInclVatCents);
    expect(year.truncated).toBe(false);
    const none = await list(`from=2032-01-01&to=2032-12-31&clientId=${alpha.clientId}&type=credit_note`);
    expect(none).toEqual({
      items: [],
      totals: { count: 0, totalExclVatCents: 0, totalVatCents: 0, totalInclVatCents: 0, vatByRate: [] },
      truncated: false,
    });
  });

  it('shows the lines of a document, its PDF inline and its XML as a download', async () => {
    const detail = (await (await get(`/api/invoices/${issued.april!.invoiceId}`)).json()) as {
      lines: { lineId: number; kind: string; netAmountCents: number }[];
    };
    expect(detail.lines.map((l) => l.kind)).toEqual(['labour', 'travel', 'part']);
    const pdf = await get(`/api/invoices/${issued.april!.invoiceId}/pdf`);
    expect(pdf.headers.get('content-disposition')).toBe(`inline; filename="${issued.april!.number}.pdf"`);
    // Framed by the invoice page (same origin only).
    expect(pdf.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(pdf.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const xml = await get(`/api/invoices/${issued.april!.invoiceId}/xml`);
    expect(xml.headers.get('content-disposition')).toBe(`attachment; filename="${issued.april!.number}.xml"`);
    expect(await xml.text()).toContain(issued.april!.number);
  });

  it('scopes a client admin to its own company; a client user and support see no invoices', async () => {
    const own = await list('from=2032-01-01&to=2032-12-31', alphaAdmin);
    expect(own.items.map((i) => i.number)).toEqual([issued.april!.number, issued.march!.number]);
    expect((await get(`/api/invoices?clientId=${beta.clientId}`, alphaAdmin)).status).toBe(403);
    expect((await get(`/api/invoices/${issued.beta!.invoiceId}`, alphaAdmin)).status).toBe(404);
    expect((await get('/api/invoices', alphaUser)).status).toBe(403);
    expect((await get('/api/invoices', support)).status).toBe(403);
  });

  it('records a payment (audited), derives unpaid / paid / overdue, and filters by status', async () => {
    const all = `from=2025-01-01&to=2032-12-31&clientId=${alpha.clientId}`;
    const statuses = async (query = all) => Object.fromEntries((await list(query)).items.map((i) => [i.number, i.paymentStatus]));
    expect(await statuses()).toEqual({
      [issued.old!.number]: 'overdue',
      [issued.march!.number]: 'unpaid',
      [issued.april!.number]: 'unpaid',
    });

    const path = `/api/invoices/${issued.old!.invoiceId}/payment`;
    const early = await send('PUT', path, { paidOn: '2024-12-31' });
    expect(early.status).toBe(400);
    expect(((await early.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('paidOn');
    expect((await send('PUT', path, { paidOn: '2999-01-01' })).status).toBe(400);
    expect((await send('PUT', path, { paidOn: '2025-02-31' })).status).toBe(400);
    expect((await send('PUT', path, { paidOn: '2025-02-10' }, alphaAdmin)).status).toBe(403);
    expect((await send('PUT', path, { paidOn: '2025-02-10' }, support)).status).toBe(403);

    const paid = await send('PUT', path, { paidOn: '2025-02-10' });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ number: issued.old!.number, status: 'paid', paidOn: '2025-02-10' });
    const moved = await send('PUT', path, { paidOn: '2025-02-12' });
    expect(await moved.json()).toMatchObject({ status: 'paid', paidOn: '2025-02-12' });
    const audit = await db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('entityId', '=', issued.old!.number)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['invoice_payment_recorded', 'invoice_payment_recorded']);
    expect(audit[1]!.details).toMatchObject({ before: { paidOn: '2025-02-10' }, after: { paidOn: '2025-02-12' } });
    const routeAudit = await db.selectFrom('auditLog').select('action').where('entityId', '=', issued.old!.invoiceId).execute();
    expect(routeAudit.map((a) => a.action)).toEqual(['PUT /invoices/:id/payment', 'PUT /invoices/:id/payment']);

    expect(await statuses()).toEqual({ [issued.old!.number]: 'paid', [issued.march!.number]: 'unpaid', [issued.april!.number]: 'unpaid' });
    expect((await list(`${all}&status=paid`)).items.map((i) => [i.number, i.paidOn])).toEqual([[issued.old!.number, '2025-02-12']]);
    expect((await list(`${all}&status=unpaid`)).totals.count).toBe(2);
    expect((await list(`${all}&status=overdue`)).items).toEqual([]);

    // The client company's admin sees the status on its invoices (list and detail).
    expect((await list(all, alphaAdmin)).items.find((i) => i.number === issued.old!.number)).toMatchObject({
      paymentStatus: 'paid',
      paidOn: '2025-02-12',
    });
    const detail = (await (await get(`/api/invoices/${issued.old!.invoiceId}`, alphaAdmin)).json()) as { payment: unknown };
    expect(detail.payment).toMatchObject({ status: 'paid', paidOn: '2025-02-12' });

    // Withdrawn: overdue again (its due date has passed).
    const withdrawn = await fetch(`${url}${path}`, { method: 'DELETE', headers: finance });
    expect(await withdrawn.json()).toMatchObject({ status: 'overdue', paidOn: null });
    expect((await list(`${all}&status=overdue`)).items.map((i) => i.number)).toEqual([issued.old!.number]);
    // Paid again for the rest of the file.
    expect((await send('PUT', path, { paidOn: '2025-02-12' })).status).toBe(200);
  });

  it('refuses a payment on a credit note; row-level security keeps payments from clients', async () => {
    const response = await send('POST', `/api/invoices/${issued.march!.invoiceId}/credit-notes`, {
      reason: 'Intervention couverte par le contrat',
    });
    expect(response.status).toBe(201);
    const note = (await response.json()) as { id: string; number: string };
    expect(note.number).toMatch(/^AV-2\d{3}-\d{6}$/);
    const onNote = await send('PUT', `/api/invoices/${note.id}/payment`, { paidOn: '2026-01-01' });
    expect(onNote.status).toBe(409);
    issued.note = { invoiceId: note.id, number: note.number, totalInclVatCents: 0 };
    // Under row-level security, a client admin reads its own company's payments only and writes none.
    const asClientAdmin = <T>(clientId: string, fn: (trx: Kysely<DB>) => Promise<T>) =>
      db.transaction().execute(async (trx) => {
        await enterScope(trx, { userId: '00000000-0000-0000-0000-000000000001', role: 'client_admin', clientId, technicianId: null });
        return fn(trx);
      });
    const seen = await asClientAdmin(alpha.clientId, (trx) => trx.selectFrom('invoicePayments').select('invoiceId').execute());
    expect(seen.map((p) => p.invoiceId)).toEqual([issued.old!.invoiceId]);
    expect(await asClientAdmin(beta.clientId, (trx) => trx.selectFrom('invoicePayments').select('invoiceId').execute())).toEqual([]);
    await expect(
      asClientAdmin(alpha.clientId, (trx) =>
        trx
          .insertInto('invoicePayments')
          .values({ invoiceId: issued.april!.invoiceId, clientId: alpha.clientId, paidOn: '2032-04-05' })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  /** "1234,56" → 123456. */
  const cents = (amount: string) => {
    expect(amount).toMatch(/^-?\d+,\d{2}$/);
    return Math.round(Number(amount.replace(',', '.')) * 100);
  };

  /**
   * Checks a FEC file line by line against the documents stored for the period: one entry per
   * document in journal order, the client line = total incl. VAT, the sales lines = the line
   * amounts per account, the VAT lines = the VAT per rate, credit notes on the other side.
   */
  async function checkFec(
    text: string,
    from: string,
    to: string,
    separator: string,
    accounts: { journal: string; client: string; aux: string; sales: Record<string, string>; vat: Record<number, string> },
    /** Only this document: other files issue invoices today while this one runs. */
    only?: string,
  ) {
    const rows = text.split('\r\n');
    expect(rows.pop()).toBe('');
    const header = rows.shift()!.split(separator);
    expect(header).toEqual([
      'JournalCode',
      'JournalLib',
      'EcritureNum',
      'EcritureDate',
      'CompteNum',
      'CompteLib',
      'CompAuxNum',
      'CompAuxLib',
      'PieceRef',
      'PieceDate',
      'EcritureLib',
      'Debit',
      'Credit',
      'EcritureLet',
      'DateLet',
      'ValidDate',
      'Montantdevise',
      'Idevise',
    ]);
    const all = rows.map((r) => {
      const cells = r.split(separator);
      expect(cells).toHaveLength(18);
      return Object.fromEntries(header.map((h, i) => [h, cells[i]!]));
    });
    // Entries are numbered 1, 2, 3… in the file, one number per document.
    const numbers = [...new Set(all.map((l) => `${l.EcritureNum}:${l.PieceRef}`))];
    expect(numbers.map((n) => n.split(':')[0])).toEqual(numbers.map((_, i) => String(i + 1)));
    const lines = all.filter((l) => only === undefined || l.PieceRef === only);
    const ours = new Set(
      (await db.selectFrom('invoices').select('number').where('clientId', 'in', [alpha.clientId, beta.clientId]).execute()).map(
        (d) => d.number,
      ),
    );
    const mine = lines.filter((l) => ours.has(l.PieceRef!));
    // This file's documents: other files issue invoices of their own (other VAT rates, today's
    // date) in the shared database while this one runs.
    const documents = await db
      .selectFrom('invoices')
      .select(['number', 'typeCode', 'issueDate', 'buyer', 'lines', 'vatBreakdown', 'totalInclVatCents'])
      .where('issueDate', '>=', from)
      .where('issueDate', '<=', to)
      .where('clientId', 'in', [alpha.clientId, beta.clientId])
      .$if(only !== undefined, (q) => q.where('number', '=', only!))
      .orderBy('issueDate')
      .orderBy('number')
      .execute();
    expect(documents.length).toBeGreaterThan(0);
    expect([...new Set(mine.map((l) => l.PieceRef))]).toEqual(documents.map((d) => d.number));
    documents.forEach((doc) => {
      const entry = mine.filter((l) => l.PieceRef === doc.number);
      const date = doc.issueDate.replaceAll('-', '');
      const reversed = doc.typeCode === 381;
      const debit = (l: Record<string, string>) => cents(reversed ? l.Credit! : l.Debit!);
      const credit = (l: Record<string, string>) => cents(reversed ? l.Debit! : l.Credit!);
      for (const l of entry) {
        expect(l).toMatchObject({
          JournalCode: accounts.journal,
          EcritureNum: entry[0]!.EcritureNum,
          EcritureDate: date,
          PieceDate: date,
          ValidDate: date,
          Montantdevise: '',
          Idevise: '',
        });
      }
      const buyer = doc.buyer as { name: string; siren: string };
      const [client, ...others] = entry;
      expect(client).toMatchObject({ CompteNum: accounts.client, CompAuxNum: `${accounts.aux}${buyer.siren}`, CompAuxLib: buyer.name });
      expect(debit(client!)).toBe(doc.totalInclVatCents);
      expect(credit(client!)).toBe(0);
      const expectedCredits = new Map<string, number>();
      for (const line of doc.lines as { kind: string; netAmountCents: number }[]) {
        const account = accounts.sales[line.kind]!;
        expectedCredits.set(account, (expectedCredits.get(account) ?? 0) + line.netAmountCents);
      }
      for (const v of doc.vatBreakdown as { vatRateBasisPoints: number; vatCents: number }[]) {
        const account = accounts.vat[v.vatRateBasisPoints]!;
        expectedCredits.set(account, (expectedCredits.get(account) ?? 0) + v.vatCents);
      }
      for (const [account, amount] of expectedCredits) if (amount === 0) expectedCredits.delete(account);
      expect(new Map(others.map((l) => [l.CompteNum!, credit(l)]))).toEqual(expectedCredits);
      for (const l of others) expect(debit(l)).toBe(0);
      // Balanced: debits = credits.
      const sum = (side: 'Debit' | 'Credit') => entry.reduce((s, l) => s + cents(l[side]!), 0);
      expect(sum('Debit')).toBe(sum('Credit'));
    });
    return mine;
  }

  it('exports the FEC of a period, checked line by line against the invoices in the database', async () => {
    const response = await get('/api/invoices/export.fec?from=2032-01-01&to=2032-12-31');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="\d{9}FEC20321231\.txt"$/);
    const defaults = {
      journal: 'VE',
      client: '411000',
      aux: '411',
      sales: { labour: '706000', travel: '708500', part: '707000' },
      vat: { 2000: '445712', 550: '445713' },
    };
    const lines = await checkFec(await response.text(), '2032-01-01', '2032-12-31', '\t', defaults);
    // Alpha's two 2032 invoices and beta's one: three entries at least (other files may add theirs).
    expect(new Set(lines.map((l) => l.EcritureNum)).size).toBeGreaterThanOrEqual(3);
    // The credit note of the March invoice (issued today), reversed: the client account credited.
    const noteDate = (
      await db.selectFrom('invoices').select('issueDate').where('id', '=', issued.note!.invoiceId).executeTakeFirstOrThrow()
    ).issueDate;
    const today = await (await get(`/api/invoices/export.fec?from=${noteDate}&to=${noteDate}`)).text();
    const noteLines = await checkFec(today, noteDate, noteDate, '\t', defaults, issued.note!.number);
    expect(noteLines[0]).toMatchObject({ CompteNum: '411000', Debit: '0,00' });
    expect(cents(noteLines[0]!.Credit!)).toBeGreaterThan(0);
    const pipe = await get('/api/invoices/export.fec?from=2032-04-01&to=2032-04-30&separator=pipe');
    await checkFec(await pipe.text(), '2032-04-01', '2032-04-30', '|', defaults);
    expect((await get('/api/invoices/export.fec?from=2032-05-01&to=2032-04-30')).status).toBe(400);
    expect((await get('/api/invoices/export.fec?separator=comma')).status).toBe(400);
    expect((await get('/api/invoices/export.fec', alphaAdmin)).status).toBe(403);
  });

  it('lets finance change the accounting settings (validated, audited) and the FEC follows them', async () => {
    const initial = (await (await get('/api/finance/accounting-settings')).json()) as { settings: Record<string, unknown>; saved: boolean };
    const settings = {
      ...initial.settings,
      journalCode: 'VT',
      clientAccount: { number: '41100000', label: 'Clients France' },
      clientAuxiliaryPrefix: 'C',
      salesAccounts: {
        labour: { number: '70610000', label: 'Main-d’œuvre' },
        travel: { number: '70620000', label: 'Déplacements' },
        part: { number: '70700000', label: 'Pièces' },
      },
      vatAccounts: [
        { rateBasisPoints: 2000, number: '44571120', label: 'TVA 20 %' },
        { rateBasisPoints: 550, number: '44571055', label: 'TVA 5,5 %' },
      ],
    };
    const bad = await send('PUT', '/api/finance/accounting-settings', { ...settings, clientAccount: { number: '4', label: 'Clients' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('clientAccount.number');
    const twice = await send('PUT', '/api/finance/accounting-settings', {
      ...settings,
      vatAccounts: [...settings.vatAccounts, settings.vatAccounts[0]],
    });
    expect(twice.status).toBe(400);
    expect((await send('PUT', '/api/finance/accounting-settings', settings, support)).status).toBe(403);
    const saved = await send('PUT', '/api/finance/accounting-settings', settings);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ saved: true, settings: { journalCode: 'VT' } });
    try {
      const text = await (await get('/api/invoices/export.fec?from=2032-04-01&to=2032-04-30')).text();
      await checkFec(text, '2032-04-01', '2032-04-30', '\t', {
        journal: 'VT',
        client: '41100000',
        aux: 'C',
        sales: { labour: '70610000', travel: '70620000', part: '70700000' },
        vat: { 2000: '44571120', 550: '44571055' },
      });
      const audit = await db
        .selectFrom('auditLog')
        .select('details')
        .where('action', '=', 'accounting_settings_updated')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit.details).toMatchObject({ after: { journalCode: 'VT' } });
    } finally {
      // Back to what other tests expect.
      await send('PUT', '/api/finance/accounting-settings', initial.settings);
    }
  });

  it('reports contract consumption per month: included hours used and remaining, covered and billed amounts', async () => {
    const response = await get(`/api/finance/contract-consumption?from=2032-02&to=2032-04&clientId=${alpha.clientId}`);
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as {
      items: {
        month: string;
        includedMinutes: number;
        usedMinutes: number;
        remainingMinutes: number;
        coveredCents: number;
        billedExclVatCents: number;
        invoiceCount: number;
      }[];
    };
    expect(items.map((i) => i.month)).toEqual(['2032-02', '2032-03', '2032-04']);
    const [february, march, april] = items;
    expect(february).toMatchObject({ includedMinutes: 120, usedMinutes: 0, remainingMinutes: 120, billedExclVatCents: 0, invoiceCount: 0 });
    // March: the 150-minute visit drew the 120 included minutes (the 90-minute one of the 28th found none left).
    const stored = await db
      .selectFrom('invoices')
      .select(['number', 'includedMinutesUsed', 'totalExclVatCents', 'typeCode'])
      .where('contractId', '=', alpha.contractId)
      .where('deliveryDate', '>=', '2032-03-01')
      .where('deliveryDate', '<', '2032-04-01')
      .execute();
    expect(march).toMatchObject({
      includedMinutes: 120,
      usedMinutes: stored.reduce((s, d) => s + d.includedMinutesUsed, 0),
      invoiceCount: 2,
      billedExclVatCents: stored.reduce((s, d) => s + (d.typeCode === 381 ? -1 : 1) * d.totalExclVatCents, 0),
    });
    expect(march!.usedMinutes).toBe(120);
    expect(march!.remainingMinutes).toBe(0);
    // 120 minutes at 80 €/h covered.
    expect(march!.coveredCents).toBe(16000);
    expect(april).toMatchObject({ usedMinutes: 0, billedExclVatCents: 0 });
    expect((await get('/api/finance/contract-consumption?from=2032-13')).status).toBe(400);
    expect((await get('/api/finance/contract-consumption?from=2030-01&to=2032-04')).status).toBe(400);
  });
});
