/**
 * Billing on the real PostgreSQL: one invoice per intervention whatever the retries, gapless
 * consecutive numbers under concurrency, contract coverage, credit notes, immutability; and every
 * document produced here checked by the official EN 16931 artefacts and by pdftotext.
 */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { sql, type Kysely } from 'kysely';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/index.js';
import { takeNextNumber } from '../../../db/repositories/invoices.repository.js';
import { loadConfig } from '../../../platform/config.js';
import { testDb } from '../../../scripts/testing/env.js';
import { createTestClient } from '../../../scripts/testing/fixtures.js';
import { createMailer } from '../../notifications/mailer.js';
import { BillingFailure, createBillingActivities } from '../billing.activities.js';
import { issueCreditNote } from '../invoicing.js';
import { sellerProfileFromConfig } from '../seller-profile.js';
import { createClosedIntervention, setContractTerms, type ClosedIntervention } from './billing-fixtures.js';
import { CreditNoteFailure } from '../../../workflows/billing/credit-note.contract.js';
import { pdfaReport, pdfAttachments, pdfText, validateBusinessRules, validateSchema, writeAll, type PdfAReport } from './einvoice-check.js';

/** A plain pdfkit PDF (standard fonts, no PDF/A): what the PDF/A checks must reject. */
function plainPdf(): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.font('Helvetica').text('FACTURE');
  doc.end();
  return done;
}

/** The PDF/A-3 + Factur-X EN 16931 properties the independent tools can see; [] when all hold. */
function pdfaProblems(report: PdfAReport): string[] {
  const problems: string[] = [];
  if (report.version !== '1.7') problems.push(`PDF version ${report.version}`);
  if (report.fonts.length === 0) problems.push('no font');
  for (const font of report.fonts.filter((f) => !f.embedded)) problems.push(`font ${font.name} not embedded`);
  if (!report.xmpWellFormed) problems.push('XMP not well-formed');
  const xmp = (name: string, value: string) => {
    if (!report.xmp.includes(`<${name}>${value}</${name}>`)) problems.push(`XMP ${name} ≠ ${value}`);
  };
  xmp('pdfaid:part', '3');
  xmp('pdfaid:conformance', 'B');
  xmp('fx:DocumentType', 'INVOICE');
  xmp('fx:DocumentFileName', 'factur-x.xml');
  xmp('fx:Version', '1.0');
  xmp('fx:ConformanceLevel', 'EN 16931');
  xmp('pdfaSchema:namespaceURI', 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#');
  for (const property of ['DocumentFileName', 'DocumentType', 'Version', 'ConformanceLevel']) xmp('pdfaProperty:name', property);
  if (!report.qpdfOk) problems.push(`qpdf --check: ${report.qpdfOutput}`);
  const facturX = report.associatedFiles.find((f) => f.name === 'factur-x.xml');
  if (!facturX) problems.push('factur-x.xml not in the catalog /AF');
  else if (facturX.relationship !== 'Alternative' || facturX.subtype !== 'text/xml')
    problems.push(`factur-x.xml: ${facturX.relationship}, ${facturX.subtype}`);
  if (!report.outputIntents.includes('GTS_PDFA1')) problems.push('no PDF/A output intent');
  return problems;
}

const seller = sellerProfileFromConfig(loadConfig({}));
const FINANCE = 'compta@msp.test';

describe('billing: an invoice at every closure, exactly once', () => {
  let db: Kysely<DB>;
  let billing: ReturnType<typeof createBillingActivities>;
  /** Every document the tests issue, checked at the end: number → id. */
  const produced = new Map<string, string>();

  const issue = async (closed: ClosedIntervention) => {
    const result = await billing.issueInvoice(closed);
    produced.set(result.number, result.invoiceId);
    return result;
  };

  beforeAll(async () => {
    db = testDb(12);
    const mailer = createMailer({ db, from: 'Facturation <facturation@msp.test>' });
    billing = createBillingActivities({ db, mailer, seller, financeEmail: FINANCE });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('prices labour, travel and parts at two VAT rates, stores the documents and emails finance', async () => {
    const tenant = await createTestClient(db);
    const closed = await createClosedIntervention(db, tenant, {
      visits: [{ minutes: 98 }],
      parts: [
        { unitPriceCents: 8999, quantity: 2, label: 'SSD 1 To' },
        { unitPriceCents: 1999, vatRateBasisPoints: 550, label: 'Guide utilisateur' },
      ],
    });
    const result = await issue(closed);
    // 1 h 45 at 90 € = 157,50 + travel 45 + 2 × 89,99 = 382,48 at 20 %; 19,99 at 5,5 %.
    expect(result).toMatchObject({ number: expect.stringMatching(/^FA-\d{4}-\d{6}$/), alreadyIssued: false });
    expect(result.totalExclVatCents).toBe(38_248 + 1999);
    expect(result.totalInclVatCents).toBe(38_248 + 7650 + 1999 + 110);

    const row = await db.selectFrom('invoices').selectAll().where('id', '=', result.invoiceId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      typeCode: 380,
      requestId: closed.requestId,
      ticketNumber: closed.ticketNumber,
      deliveryDate: '2026-11-10',
    });
    expect(row.vatBreakdown).toEqual([
      { vatCategory: 'S', vatRateBasisPoints: 2000, basisCents: 38_248, vatCents: 7650 },
      { vatCategory: 'S', vatRateBasisPoints: 550, basisCents: 1999, vatCents: 110 },
    ]);
    expect(row.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(row.xml.toString()).toContain(`<ram:ID>${result.number}</ram:ID>`);

    const mail = await db
      .selectFrom('outboundMessages')
      .selectAll()
      .where('idempotencyKey', '=', `${closed.workflowId}:invoice-email`)
      .executeTakeFirstOrThrow();
    expect(mail.toAddresses).toEqual([FINANCE]);
    expect(mail.subject).toContain(result.number);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`${result.number}.pdf`, 'application/pdf'],
      [`${result.number}.xml`, 'application/xml'],
    ]);
    expect(Buffer.from(mail.attachments[1]!.content, 'base64').equals(row.xml)).toBe(true);
  });

  it('returns the same invoice when the activity runs twice, and sends one email', async () => {
    const tenant = await createTestClient(db);
    const closed = await createClosedIntervention(db, tenant, { visits: [{ minutes: 40 }] });
    const first = await issue(closed);
    const second = await billing.issueInvoice(closed);
    expect(second).toEqual({ ...first, alreadyIssued: true });
    const invoices = await db.selectFrom('invoices').select('id').where('requestId', '=', closed.requestId).execute();
    expect(invoices).toHaveLength(1);
    const mails = await db.selectFrom('outboundMessages').select('id').where('requestId', '=', closed.requestId).execute();
    expect(mails).toHaveLength(1);
  });

  it('recovers from a failure after the commit: the retry returns the same invoice and the email goes out once', async () => {
    const real = createMailer({ db, from: 'Facturation <facturation@msp.test>' });
    let failures = 1;
    // The SMTP server (or the worker) dies after the invoice transaction committed.
    const flaky = {
      ...real,
      send: async (message: Parameters<typeof real.send>[0]) => {
        if (failures-- > 0) throw new Error('connection reset by SMTP server');
        return real.send(message);
      },
    };
    const crashing = createBillingActivities({ db, mailer: flaky, seller, financeEmail: FINANCE });
    const tenant = await createTestClient(db);
    const closed = await createClosedIntervention(db, tenant, { visits: [{ minutes: 45 }] });
    await expect(crashing.issueInvoice(closed)).rejects.toThrow(/connection reset/);
    const retried = await crashing.issueInvoice(closed);
    produced.set(retried.number, retried.invoiceId);
    expect(retried.alreadyIssued).toBe(true);
    const again = await crashing.issueInvoice(closed);
    expect(again.number).toBe(retried.number);
    expect(await db.selectFrom('invoices').select('id').where('requestId', '=', closed.requestId).execute()).toHaveLength(1);
    const mails = await db.selectFrom('outboundMessages').select(['status']).where('requestId', '=', closed.requestId).execute();
    expect(mails).toEqual([{ status: 'stored' }]);
  });

  it('yields one invoice and one number when duplicate calls race (retry racing a slow attempt)', async () => {
    const tenant = await createTestClient(db);
    const closed = await createClosedIntervention(db, tenant, { visits: [{ minutes: 60 }] });
    const results = await Promise.all(Array.from({ length: 5 }, () => billing.issueInvoice(closed)));
    produced.set(results[0]!.number, results[0]!.invoiceId);
    expect(new Set(results.map((r) => r.number)).size).toBe(1);
    expect(results.filter((r) => !r.alreadyIssued)).toHaveLength(1);
    const count = await db
      .selectFrom('invoices')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('requestId', '=', closed.requestId)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('gives 50 concurrent closures 50 consecutive numbers, with no gap and no duplicate', async () => {
    const tenant = await createTestClient(db);
    const closures = [];
    for (let i = 0; i < 50; i++) closures.push(await createClosedIntervention(db, tenant, { visits: [{ minutes: 30 + i }] }));
    const started = performance.now();
    const results = await Promise.all(closures.map((c) => issue(c)));
    const elapsed = performance.now() - started;
    const sequences = results.map((r) => Number(r.number.slice(-6))).sort((a, b) => a - b);
    expect(new Set(sequences).size).toBe(50);
    expect(sequences[49]! - sequences[0]!).toBe(49);
    expect(results.every((r) => !r.alreadyIssued)).toBe(true);
    // And the whole year's series is gapless: numbers 1..max all exist, once.
    const year = Number(results[0]!.number.slice(3, 7));
    const series = await db
      .selectFrom('invoices')
      .select([sql<number>`count(*)::int`.as('n'), sql<number>`max(sequence)`.as('max'), sql<number>`min(sequence)`.as('min')])
      .where('series', '=', 'FA')
      .where('year', '=', year)
      .executeTakeFirstOrThrow();
    expect(series).toEqual({ n: series.max, max: series.max, min: 1 });
    console.info(`50 concurrent invoices issued in ${Math.round(elapsed)} ms`);
  });

  it('gives the number back when the issuing transaction rolls back', async () => {
    const year = new Date().getFullYear();
    await db
      .transaction()
      .execute(async (trx) => {
        await takeNextNumber(trx, 'FA', year);
        throw new Error('crash after taking the number');
      })
      .catch(() => undefined);
    const tenant = await createTestClient(db);
    const before = await db
      .selectFrom('invoiceCounters')
      .select('lastValue')
      .where('series', '=', 'FA')
      .where('year', '=', year)
      .executeTakeFirstOrThrow();
    const result = await issue(await createClosedIntervention(db, tenant, { visits: [{ minutes: 30 }] }));
    expect(Number(result.number.slice(-6))).toBe(before.lastValue + 1);
  });

  it('applies contract coverage: included hours per month, per-level rates, per-km travel, parts discount and warranty', async () => {
    const tenant = await createTestClient(db);
    await setContractTerms(
      db,
      tenant.contractId,
      { rateN3Cents: 12_000, travelMode: 'per_km', travelPerKmCents: 45, partsDiscountBasisPoints: 1000 },
      { includedHoursPerMonth: '1.50' },
    );
    const first = await createClosedIntervention(db, tenant, {
      visits: [{ minutes: 70, level: 'N3', km: '12.50' }],
      parts: [{ unitPriceCents: 8999 }, { unitPriceCents: 7999, underWarranty: true }],
    });
    const a = await issue(first);
    const rowA = await db
      .selectFrom('invoices')
      .select(['lines', 'includedMinutesUsed'])
      .where('id', '=', a.invoiceId)
      .executeTakeFirstOrThrow();
    const linesA = rowA.lines as {
      kind: string;
      quantity: string;
      unitPriceCents: number;
      netAmountCents: number;
      coverageNote: string | null;
    }[];
    // 70 min → 75 billed, all within the 90 included minutes; travel 12,5 km × 0,45 = 5,625 → 5,63 €.
    expect(linesA.map((l) => [l.kind, l.quantity, l.netAmountCents])).toEqual([
      ['labour', '1.25', 0],
      ['travel', '12.5', 563],
      ['part', '1', 8099],
      ['part', '1', 0],
    ]);
    expect(rowA.includedMinutesUsed).toBe(75);
    // Same month: 15 included minutes left, the rest at the N3 rate.
    const second = await createClosedIntervention(db, tenant, { visits: [{ at: '2026-11-25T13:00:00Z', minutes: 60, level: 'N3' }] });
    const b = await issue(second);
    const rowB = await db
      .selectFrom('invoices')
      .select(['lines', 'includedMinutesUsed'])
      .where('id', '=', b.invoiceId)
      .executeTakeFirstOrThrow();
    expect(
      (rowB.lines as { netAmountCents: number; kind: string }[]).filter((l) => l.kind === 'labour').map((l) => l.netAmountCents),
    ).toEqual([0, 9000]);
    expect(rowB.includedMinutesUsed).toBe(15);
  });

  it('bills a flat-rate contract with explicit zero-priced labour and travel lines', async () => {
    const tenant = await createTestClient(db);
    await setContractTerms(db, tenant.contractId, {}, { kind: 'flat_rate' });
    const result = await issue(await createClosedIntervention(db, tenant, { visits: [{ minutes: 200 }] }));
    expect(result.totalInclVatCents).toBe(0);
    const row = await db.selectFrom('invoices').select('lines').where('id', '=', result.invoiceId).executeTakeFirstOrThrow();
    expect((row.lines as { coverageNote: string }[]).map((l) => l.coverageNote)).toEqual([
      'Inclus au forfait du contrat',
      'Inclus au forfait du contrat',
    ]);
  });

  it('bills the remote support time of a remote resolution once, per the contract terms', async () => {
    const tenant = await createTestClient(db);
    await setContractTerms(db, tenant.contractId, { remoteSupportBilling: 'billed', remoteSupportRateCents: 6000 });
    const closed = await createClosedIntervention(db, tenant, {
      visits: [],
      remoteSessions: [{ minutes: 25, at: '2026-11-12T09:05:00Z' }],
    });
    const first = await issue(closed);
    const again = await billing.issueInvoice(closed);
    expect(again).toMatchObject({ invoiceId: first.invoiceId, number: first.number, alreadyIssued: true });
    // 25 min → 30 min at 60 €/h: 30,00 € + 20 % VAT.
    expect([first.totalExclVatCents, first.totalInclVatCents]).toEqual([3000, 3600]);
    const row = await db
      .selectFrom('invoices')
      .select(['lines', 'deliveryDate', 'xml'])
      .where('id', '=', first.invoiceId)
      .executeTakeFirstOrThrow();
    expect(row.deliveryDate).toBe('2026-11-12');
    expect((row.lines as { description: string; netAmountCents: number }[]).map((l) => [l.description, l.netAmountCents])).toEqual([
      ['Assistance à distance — 12/11/2026 10:05, 25 min réalisées', 3000],
    ]);
    expect(row.xml.toString()).toContain('<ram:Name>Assistance à distance — 12/11/2026 10:05, 25 min réalisées</ram:Name>');
    expect(await db.selectFrom('invoices').select('id').where('requestId', '=', closed.requestId).execute()).toHaveLength(1);
  });

  it('counts included remote time against the included hours, and shows it free on a flat-rate contract', async () => {
    const standard = await createTestClient(db);
    // No terms row: the defaults include remote support like on-site labour.
    await db.updateTable('contracts').set({ includedHoursPerMonth: '0.25' }).where('id', '=', standard.contractId).execute();
    const covered = await issue(await createClosedIntervention(db, standard, { visits: [], remoteSessions: [{ minutes: 25 }] }));
    const rowA = await db
      .selectFrom('invoices')
      .select(['lines', 'includedMinutesUsed'])
      .where('id', '=', covered.invoiceId)
      .executeTakeFirstOrThrow();
    // 30 billed minutes: 15 from the allowance, 15 at the contract's 90 €/h.
    expect(
      (rowA.lines as { netAmountCents: number; coverageNote: string | null }[]).map((l) => [l.netAmountCents, l.coverageNote]),
    ).toEqual([
      [0, 'Heures incluses au contrat (0,25 h)'],
      [2250, null],
    ]);
    expect(rowA.includedMinutesUsed).toBe(15);

    const flat = await createTestClient(db);
    await setContractTerms(db, flat.contractId, {}, { kind: 'flat_rate' });
    const free = await issue(await createClosedIntervention(db, flat, { visits: [], remoteSessions: [{ minutes: 40 }] }));
    expect(free.totalInclVatCents).toBe(0);
    const rowB = await db.selectFrom('invoices').select('lines').where('id', '=', free.invoiceId).executeTakeFirstOrThrow();
    expect((rowB.lines as { quantity: string; coverageNote: string }[]).map((l) => [l.quantity, l.coverageNote])).toEqual([
      ['0.75', 'Inclus au forfait du contrat'],
    ]);
  });

  it('keeps a remote resolution without time, or under a contract that never bills it, not billable', async () => {
    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
    const tenant = await createTestClient(db);
    const untimed = await createClosedIntervention(db, tenant, { visits: [] });
    expect(await env.run(billing.issueInvoice, untimed).catch((e: unknown) => e)).toMatchObject({
      nonRetryable: true,
      type: BillingFailure.NotBillable,
    });
    const never = await createTestClient(db);
    await setContractTerms(db, never.contractId, { remoteSupportBilling: 'not_billed' });
    const unbilled = await createClosedIntervention(db, never, { visits: [], remoteSessions: [{ minutes: 25 }] });
    const failure = await env.run(billing.issueInvoice, unbilled).catch((e: unknown) => e);
    expect(failure).toMatchObject({ nonRetryable: true, type: BillingFailure.NotBillable });
    expect((failure as Error).message).toContain('remote support not billed by the contract');
    const issued = await db.selectFrom('invoices').select('id').where('requestId', 'in', [untimed.requestId, unbilled.requestId]).execute();
    expect(issued).toHaveLength(0);
  });

  it('writes the PDF in English for a client who prefers English', async () => {
    const tenant = await createTestClient(db);
    await db
      .updateTable('clients')
      .set({ preferences: JSON.stringify({ language: 'en' }) })
      .where('id', '=', tenant.clientId)
      .execute();
    const result = await issue(await createClosedIntervention(db, tenant, { visits: [{ minutes: 30 }] }));
    const row = await db.selectFrom('invoices').select('pdf').where('id', '=', result.invoiceId).executeTakeFirstOrThrow();
    const text = await pdfText(row.pdf);
    expect(text).toContain(`INVOICE No. ${result.number}`);
    expect(text).toContain('Fixed indemnity for recovery costs in case of late payment: 40 €');
  });

  it('rejects, without retry, an unknown request or a visit without check-out (MockActivityEnvironment)', async () => {
    // The expected failures would otherwise be logged as warnings.
    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
    const unknown = await env
      .run(billing.issueInvoice, { workflowId: 'nope', requestId: randomUUID(), ticketNumber: 'INT-2026-999999' })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ApplicationFailure);
    expect(unknown).toMatchObject({ nonRetryable: true, type: BillingFailure.UnknownRequest });
    const tenant = await createTestClient(db);
    const open = await createClosedIntervention(db, tenant, { visits: [{ minutes: 30, open: true }] });
    const failure = await env.run(billing.issueInvoice, open).catch((e: unknown) => e);
    expect(failure).toMatchObject({ nonRetryable: true, type: BillingFailure.NotBillable });
    expect(await db.selectFrom('invoices').select('id').where('requestId', '=', open.requestId).execute()).toHaveLength(0);
  });

  it('corrects with credit notes (type 381) referencing the invoice, never crediting more than invoiced', async () => {
    const tenant = await createTestClient(db);
    const invoice = await issue(
      await createClosedIntervention(db, tenant, {
        visits: [{ minutes: 60 }],
        parts: [{ unitPriceCents: 2500, vatRateBasisPoints: 1000 }],
      }),
    );
    const deps = { db, seller };
    const partial = await issueCreditNote(deps, {
      invoiceId: invoice.invoiceId,
      lines: [{ lineId: 2, amountCents: 1500 }],
      reason: 'Geste commercial sur le déplacement',
      idempotencyKey: randomUUID(),
    });
    produced.set(partial.invoice.number, partial.invoice.id);
    expect(partial.invoice.number).toMatch(/^AV-\d{4}-\d{6}$/);
    expect(partial.invoice.totalInclVatCents).toBe(1800);
    const key = randomUUID();
    const rest = await issueCreditNote(deps, {
      invoiceId: invoice.invoiceId,
      lines: 'all',
      reason: 'Intervention annulée',
      idempotencyKey: key,
    });
    produced.set(rest.invoice.number, rest.invoice.id);
    // 90 € labour + (45 − 15) € travel at 20 % + 25 € part at 10 %.
    expect(rest.invoice.totalExclVatCents).toBe(9000 + 3000 + 2500);
    expect(rest.invoice.totalInclVatCents).toBe(14_400 + 2750);
    expect(
      await issueCreditNote(deps, { invoiceId: invoice.invoiceId, lines: 'all', reason: 'Intervention annulée', idempotencyKey: key }),
    ).toEqual({ ...rest, alreadyIssued: true });
    await expect(
      issueCreditNote(deps, { invoiceId: invoice.invoiceId, lines: 'all', reason: 'encore', idempotencyKey: randomUUID() }),
    ).rejects.toThrow(/nothing left/);
    const note = await db.selectFrom('invoices').selectAll().where('id', '=', rest.invoice.id).executeTakeFirstOrThrow();
    expect(note).toMatchObject({ typeCode: 381, creditedInvoiceId: invoice.invoiceId, series: 'AV' });
    expect(note.xml.toString()).toMatch(new RegExp(`<ram:InvoiceReferencedDocument>\\s*<ram:IssuerAssignedID>${invoice.number}<`));
  });

  it('issues a credit note from the activity once, emails finance once, and refuses bad credits without retry', async () => {
    const tenant = await createTestClient(db);
    const invoice = await issue(await createClosedIntervention(db, tenant, { visits: [{ minutes: 60 }] }));
    const workflowId = `credit-note:${invoice.invoiceId}:${randomUUID()}`;
    const input = { workflowId, invoiceId: invoice.invoiceId, lines: [{ lineId: 1, amountCents: 3000 }], reason: 'Geste commercial' };
    const first = await billing.issueCreditNote(input);
    const retried = await billing.issueCreditNote(input);
    produced.set(first.number, first.id);
    expect(first).toMatchObject({
      number: expect.stringMatching(/^AV-\d{4}-\d{6}$/),
      totalExclVatCents: 3000,
      totalInclVatCents: 3600,
      alreadyIssued: false,
    });
    expect(retried).toEqual({ ...first, alreadyIssued: true });
    const mails = await db
      .selectFrom('outboundMessages')
      .select(['toAddresses', 'subject'])
      .where('idempotencyKey', '=', `${workflowId}:email`)
      .execute();
    expect(mails).toEqual([{ toAddresses: [FINANCE], subject: `Avoir ${first.number} sur la facture ${invoice.number}` }]);

    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
    const tooMuch = await env
      .run(billing.issueCreditNote, { ...input, workflowId: `${workflowId}-2`, lines: [{ lineId: 1, amountCents: 9000 }] })
      .catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(ApplicationFailure);
    expect(tooMuch).toMatchObject({ nonRetryable: true, type: CreditNoteFailure.InvalidCredit, details: [{ field: 'lines' }] });
    const unknown = await env
      .run(billing.issueCreditNote, { ...input, workflowId: `${workflowId}-3`, invoiceId: randomUUID() })
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ nonRetryable: true, type: CreditNoteFailure.UnknownInvoice, details: [{ field: 'invoiceId' }] });
    expect(await db.selectFrom('invoices').select('id').where('creditedInvoiceId', '=', invoice.invoiceId).execute()).toHaveLength(1);
  });

  it('refuses to modify or delete an issued invoice', async () => {
    const [id] = [...produced.values()];
    await expect(
      db
        .updateTable('invoices')
        .set({ reason: 'x' } as never)
        .where('id', '=', id!)
        .execute(),
    ).rejects.toThrow(/cannot be modified/);
    await expect(db.deleteFrom('invoices').where('id', '=', id!).execute()).rejects.toThrow(/cannot be modified/);
    await expect(sql`truncate invoices cascade`.execute(db)).rejects.toThrow(/cannot be deleted/);
  });

  it('produces documents that pass the CII D16B schema, the EN 16931 rules, and read right in pdftotext', async () => {
    const rows = await db
      .selectFrom('invoices')
      .select(['id', 'number', 'typeCode', 'xml', 'pdf', 'totalInclVatCents', 'totalExclVatCents'])
      .where('id', 'in', [...produced.values()])
      .execute();
    expect(rows.length).toBe(produced.size);
    expect(rows.some((r) => r.typeCode === 381)).toBe(true);
    // A copy with a wrong grand total proves the rule check can fail (same JVM run).
    const sample = rows.find((r) => r.typeCode === 380 && r.totalInclVatCents > 0)!;
    const tampered = Buffer.from(sample.xml.toString().replace(/<ram:GrandTotalAmount>[^<]*</, '<ram:GrandTotalAmount>1.00<'));
    const dir = await writeAll(new Map([...rows.map((r) => [r.number, r.xml] as const), ['zz-tampered', tampered]]));

    const schema = await validateSchema(dir);
    expect(schema.output).not.toMatch(/fails to validate|error/i);
    expect(schema.ok).toBe(true);

    const rules = await validateBusinessRules(dir);
    expect(rules.reports).toBe(rows.length + 1);
    expect(rules.firedRules).toBeGreaterThan(rows.length * 50);
    const fatal = rules.failures.filter((f) => f.flag === 'fatal');
    expect(fatal.filter((f) => !f.file.startsWith('zz-tampered'))).toEqual([]);
    expect(fatal.map((f) => f.id)).toContain('BR-CO-15');
    console.info(`${rows.length} documents: schema valid, 0 fatal EN 16931 failures, ${rules.failures.length - fatal.length} warnings`);

    for (const row of rows) {
      const text = await pdfText(row.pdf);
      const english = text.includes('INVOICE No.');
      expect(text).toContain(row.number);
      expect(text).toContain(row.typeCode === 381 ? 'AVOIR' : english ? 'INVOICE' : 'FACTURE');
      const amount = (row.totalInclVatCents / 100).toFixed(2);
      const ttc = english ? `€${amount}` : `${amount.replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} €`;
      expect(text).toContain(ttc);
      expect(text).toContain(english ? 'Fixed indemnity for recovery costs' : 'Indemnité forfaitaire pour frais de recouvrement');
      expect(text).toContain('40 €');
      expect(text).toContain(english ? 'Late payment penalties' : 'Pénalités de retard');
      expect(text).toContain(english ? 'Due date' : "Date d'échéance");
      expect(text).toContain(seller.siren);
      expect(text).toContain(seller.vatNumber);
      // The XML also travels inside the PDF, byte for byte (Factur-X).
      expect((await pdfAttachments(row.pdf)).get('factur-x.xml')?.equals(row.xml)).toBe(true);
      expect({ number: row.number, problems: pdfaProblems(await pdfaReport(row.pdf)) }).toEqual({ number: row.number, problems: [] });
    }
    // The same checks reject a plain PDF: standard font not embedded, no PDF/A identification.
    const plain = pdfaProblems(await pdfaReport(await plainPdf()));
    expect(plain).toEqual(
      expect.arrayContaining([
        'font Helvetica not embedded',
        'XMP pdfaid:part ≠ 3',
        'factur-x.xml not in the catalog /AF',
        'no PDF/A output intent',
      ]),
    );
  }, 180_000);
});
