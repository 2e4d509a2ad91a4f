/**
 * The finance workspace in chromium, against the real API, worker, PostgreSQL and Temporal, walked
 * as a finance user: filters the invoices (totals checked against the database), opens an
 * invoice (lines, PDF inline, XML link), issues a credit note on chosen lines and sees its AV-
 * number, records a payment, downloads the FEC (checked line by line against the documents in
 * the database), opens the contract consumption; then the client company's admin sees the
 * payment status of its invoices. Every screen passes axe (no serious or critical violation)
 * and is written as a screenshot (SCREENSHOT_DIR).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { createBillingActivities } from '../../activities/billing/billing.activities.js';
import { sellerProfileFromConfig } from '../../activities/billing/seller-profile.js';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import { loadConfig } from '../../platform/config.js';
import { buildWeb } from '../../scripts/build-web.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestClient, type TestRole } from '../../scripts/testing/fixtures.js';
import { checkPage, checkPageAtWidths, launchChromium } from './axe.js';

/** Issue dates of this file's documents: a year no other test issues in. */
const YEAR = '2024';

describe('finance workspace in chromium', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let browser: Browser;
  let alpha: TestClient;
  let beta: TestClient;
  let alphaName: string;
  const issued: Record<string, { invoiceId: string; number: string; totalInclVatCents: number }> = {};
  /** The finance user's browser, walked through the steps below in order. */
  let finance: { context: BrowserContext; page: Page };
  let page: Page;
  /** The credit note issued in the invoice step. */
  const credited = { number: '', issueDate: '' };

  async function signedInAs(role: TestRole, clientId?: string): Promise<{ context: BrowserContext; page: Page }> {
    const account = await createTestAccount(db, role, clientId ? { clientId } : {});
    const sid = /sid=([^;]+)/.exec(account.headers.cookie ?? '')![1]!;
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'sid', value: sid, url }]);
    return { context, page: await context.newPage() };
  }

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { webRoot: await buildWeb({ minify: false }), log: () => {} } });
    ({ db, url } = platform);
    const billing = (iso: string) =>
      createBillingActivities({
        db,
        mailer: createMailer({ db, from: 'facturation@msp.test' }),
        seller: sellerProfileFromConfig(loadConfig({})),
        financeEmail: 'compta@msp.test',
        now: () => new Date(iso),
      });
    alpha = await createTestClient(db);
    beta = await createTestClient(db);
    // Alpha's contract runs from the start of the test year with 1 h included a month: consumption to show.
    await db
      .updateTable('contracts')
      .set({ startsOn: `${YEAR}-01-01`, includedHoursPerMonth: '1' })
      .where('id', '=', alpha.contractId)
      .execute();
    alphaName = (await db.selectFrom('clients').select('companyName').where('id', '=', alpha.clientId).executeTakeFirstOrThrow())
      .companyName;
    issued.january = await billing(`${YEAR}-01-15T10:00:00Z`).issueInvoice(
      await createClosedIntervention(db, alpha, { visits: [{ minutes: 60, at: `${YEAR}-01-12T08:30:00Z` }] }),
    );
    issued.february = await billing(`${YEAR}-02-05T10:00:00Z`).issueInvoice(
      await createClosedIntervention(db, alpha, {
        visits: [{ minutes: 90, at: `${YEAR}-02-02T08:30:00Z` }],
        parts: [{ unitPriceCents: 1999, vatRateBasisPoints: 550 }],
      }),
    );
    issued.beta = await billing(`${YEAR}-02-20T10:00:00Z`).issueInvoice(
      await createClosedIntervention(db, beta, { visits: [{ minutes: 45, at: `${YEAR}-02-19T08:30:00Z` }] }),
    );
    browser = await launchChromium();
    finance = await signedInAs('finance');
    page = finance.page;
  });

  afterAll(async () => {
    await finance?.context.close();
    await browser?.close();
    await platform?.stop();
  });

  /** Sum of the stored documents (credit notes negative), in cents. */
  async function storedInclVat(filter: { clientId?: string }) {
    const rows = await db
      .selectFrom('invoices')
      .select(['typeCode', 'totalInclVatCents'])
      .where('issueDate', '>=', `${YEAR}-01-01`)
      .where('issueDate', '<=', `${YEAR}-12-31`)
      .$if(filter.clientId !== undefined, (q) => q.where('clientId', '=', filter.clientId!))
      .execute();
    return { count: rows.length, cents: rows.reduce((s, r) => s + (r.typeCode === 381 ? -1 : 1) * r.totalInclVatCents, 0) };
  }
  /** "1 234,56 €" (fr-FR, narrow no-break spaces) → 123456. */
  const euros = (text: string) => Math.round(Number(text.replace(/[^\d,-]/g, '').replace(',', '.')) * 100);

  it('filters the invoices by period and client, with the totals of the selection', async () => {
    await page.goto(`${url}/finance/invoices?from=${YEAR}-01-01&to=${YEAR}-12-31`);
    await page.getByTestId('invoices-table').waitFor();
    const all = await storedInclVat({});
    expect(await page.getByTestId('invoices-table').locator('tbody tr').count()).toBe(all.count);
    expect(euros(await page.getByTestId('total-incl').innerText())).toBe(all.cents);
    await page.getByLabel('Client').selectOption({ label: alphaName });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/clientId=/);
    await expect.poll(() => page.getByTestId('invoices-table').locator('tbody tr').count(), { timeout: 15_000 }).toBe(2);
    const mine = await storedInclVat({ clientId: alpha.clientId });
    expect(euros(await page.getByTestId('total-incl').innerText())).toBe(mine.cents);
    expect(await page.getByTestId('selection-totals').innerText()).toMatch(/TVA 5,5\s%/);
    expect(await page.getByTestId('invoices-table').innerText()).toContain('En retard');
    await checkPageAtWidths(page, 'finance-invoices', (p) => p.getByTestId('invoices-table').waitFor());
  });

  it('opens an invoice: lines, PDF inline, XML link; issues a credit note on a chosen line and shows its AV- number', async () => {
    await page.goto(`${url}/finance/invoices?from=${YEAR}-01-01&to=${YEAR}-12-31&clientId=${alpha.clientId}`);
    await page.getByRole('link', { name: issued.february!.number }).click();
    await page.getByTestId('invoice-lines').waitFor();
    const februaryLines = (
      await db.selectFrom('invoices').select('lines').where('id', '=', issued.february!.invoiceId).executeTakeFirstOrThrow()
    ).lines as { lineId: number; kind: string }[];
    expect(await page.getByTestId('invoice-lines').locator('tbody tr').count()).toBe(februaryLines.length);
    const travelLine = februaryLines.find((l) => l.kind === 'travel')!.lineId;
    expect(await page.getByTestId('invoice-pdf').getAttribute('src')).toBe(`/api/invoices/${issued.february!.invoiceId}/pdf`);
    expect(await page.getByTestId('xml-download').getAttribute('href')).toBe(`/api/invoices/${issued.february!.invoiceId}/xml`);
    await checkPageAtWidths(page, 'finance-invoice', (p) => p.getByTestId('invoice-lines').waitFor());
    await page.setViewportSize({ width: 1280, height: 900 });

    // --- A credit note on the travel line, with a reason: the AV- number at once.
    await page.getByLabel('Les lignes cochées').check();
    await page.getByLabel(`Créditer la ligne ${travelLine}`).check();
    await page.getByLabel('Motif de l’avoir').fill('Déplacement facturé à tort');
    await page.getByRole('button', { name: 'Émettre l’avoir' }).click();
    const issuedNote = page.getByTestId('credit-note-issued');
    await issuedNote.waitFor({ timeout: 30_000 });
    const noteNumber = /AV-\d{4}-\d{6}/.exec(await issuedNote.innerText())![0];
    const note = await db
      .selectFrom('invoices')
      .select(['creditedInvoiceId', 'reason', 'lines', 'issueDate'])
      .where('number', '=', noteNumber)
      .executeTakeFirstOrThrow();
    expect(note).toMatchObject({ creditedInvoiceId: issued.february!.invoiceId, reason: 'Déplacement facturé à tort' });
    expect((note.lines as { sourceLineId: number }[]).map((l) => l.sourceLineId)).toEqual([travelLine]);
    await page.getByTestId('credit-notes').getByText(noteNumber).waitFor();
    credited.number = noteNumber;
    credited.issueDate = note.issueDate;
    await checkPage(page, 'finance-credit-note');
  });

  it('records the payment of an invoice', async () => {
    await page.goto(`${url}/finance/invoices/${issued.january!.invoiceId}`);
    await page.getByTestId('payment-form').waitFor();
    await page.getByLabel('Payée le').fill(`${YEAR}-02-14`);
    await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
    await page.getByTestId('detail-payment').getByText('Payée').waitFor();
    const payment = await db
      .selectFrom('invoicePayments')
      .select('paidOn')
      .where('invoiceId', '=', issued.january!.invoiceId)
      .executeTakeFirstOrThrow();
    expect(payment.paidOn).toBe(`${YEAR}-02-14`);
    await checkPage(page, 'finance-payment');
  });

  it('downloads the FEC of the year from the exports page, checked line by line against the database', async () => {
    await page.goto(`${url}/finance/exports`);
    await page.getByTestId('fec-download').waitFor();
    await page.getByLabel('Émises du').fill(`${YEAR}-01-01`);
    await page.getByLabel('au', { exact: true }).fill(`${YEAR}-12-31`);
    await page.getByTestId('accounting-settings').waitFor();
    await checkPageAtWidths(page, 'finance-exports', (p) => p.getByTestId('accounting-settings').waitFor());
    await page.setViewportSize({ width: 1280, height: 900 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('fec-download').click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^\\d{9}FEC${YEAR}1231\\.txt$`));
    await checkFecAgainstDatabase(await readFile(await download.path(), 'utf8'), `${YEAR}-01-01`, `${YEAR}-12-31`);
    // The credit note issued today is in today's FEC, reversed.
    const today = await finance.context.request.get(`${url}/api/invoices/export.fec?from=${credited.issueDate}&to=${credited.issueDate}`);
    const todayLines = await checkFecAgainstDatabase(await today.text(), credited.issueDate, credited.issueDate);
    expect(todayLines.find((l) => l.PieceRef === credited.number)).toMatchObject({ CompteNum: '411000', Debit: '0,00' });
  });

  it('shows the contract consumption per month', async () => {
    await page.goto(`${url}/finance/contracts`);
    await page.getByTestId('consumption-table').or(page.getByText('Aucun contrat')).first().waitFor();
    await page.getByLabel('Du mois').fill(`${YEAR}-01`);
    await page.getByLabel('au mois').fill(`${YEAR}-02`);
    // Alpha's row: other files' contracts of the shared database are listed too.
    const january = page
      .getByTestId('consumption-table')
      .locator('tr', { hasText: `janvier ${YEAR}` })
      .filter({ hasText: alphaName });
    await january.waitFor();
    // January: the 60-minute visit drew the one included hour.
    expect(await january.innerText()).toMatch(/1 h 00\s+1 h 00\s+0 h 00/);
    await checkPageAtWidths(page, 'finance-consumption', (p) => p.getByTestId('consumption-table').waitFor());
  });

  it('shows the client company’s admin the payment status of its own invoices only', async () => {
    const { context, page } = await signedInAs('client_admin', alpha.clientId);
    try {
      await page.goto(`${url}/finance/invoices?from=${YEAR}-01-01&to=${YEAR}-12-31`);
      await page.getByTestId('invoices-table').waitFor();
      const table = page.getByTestId('invoices-table');
      expect(await table.locator(`tr[data-number="${issued.january!.number}"]`).innerText()).toMatch(/Payée · payée le 14\/02\/2024/);
      expect(await table.innerText()).not.toContain(issued.beta!.number);
      expect(await page.getByLabel('Client').count()).toBe(0);
      await checkPage(page, 'finance-client-admin-invoices');
    } finally {
      await context.close();
    }
  });

  /** The FEC against the stored documents of the period: one balanced entry each, in journal order. */
  async function checkFecAgainstDatabase(text: string, from: string, to: string) {
    const rows = text.split('\r\n');
    expect(rows.pop()).toBe('');
    const header = rows.shift()!.split('\t');
    expect(header).toHaveLength(18);
    const lines = rows.map((r) => Object.fromEntries(r.split('\t').map((cell, i) => [header[i]!, cell])));
    const documents = await db
      .selectFrom('invoices')
      .select(['number', 'typeCode', 'issueDate', 'buyer', 'lines', 'vatBreakdown', 'totalInclVatCents'])
      .where('issueDate', '>=', from)
      .where('issueDate', '<=', to)
      .orderBy('issueDate')
      .orderBy('number')
      .execute();
    expect([...new Set(lines.map((l) => l.PieceRef))]).toEqual(documents.map((d) => d.number));
    const cents = (s: string) => Math.round(Number(s.replace(',', '.')) * 100);
    const sales: Record<string, string> = { labour: '706000', travel: '708500', part: '707000' };
    const vat: Record<number, string> = { 2000: '445712', 1000: '445711', 550: '445713', 210: '445714' };
    documents.forEach((doc, index) => {
      const entry = lines.filter((l) => l.PieceRef === doc.number);
      const reversed = doc.typeCode === 381;
      const [client, ...others] = entry;
      const date = doc.issueDate.replaceAll('-', '');
      for (const l of entry)
        expect(l).toMatchObject({ JournalCode: 'VE', EcritureNum: String(index + 1), EcritureDate: date, PieceDate: date });
      expect(client).toMatchObject({ CompteNum: '411000', CompAuxNum: `411${(doc.buyer as { siren: string }).siren}` });
      expect(cents(reversed ? client!.Credit! : client!.Debit!)).toBe(doc.totalInclVatCents);
      const expected = new Map<string, number>();
      for (const l of doc.lines as { kind: string; netAmountCents: number }[])
        expected.set(sales[l.kind]!, (expected.get(sales[l.kind]!) ?? 0) + l.netAmountCents);
      for (const v of doc.vatBreakdown as { vatRateBasisPoints: number; vatCents: number }[]) {
        expected.set(vat[v.vatRateBasisPoints]!, (expected.get(vat[v.vatRateBasisPoints]!) ?? 0) + v.vatCents);
      }
      for (const [account, amount] of expected) if (amount === 0) expected.delete(account);
      expect(new Map(others.map((l) => [l.CompteNum!, cents(reversed ? l.Debit! : l.Credit!)]))).toEqual(expected);
      expect(entry.reduce((s, l) => s + cents(l.Debit!), 0)).toBe(entry.reduce((s, l) => s + cents(l.Credit!), 0));
    });
    return lines;
  }
});
