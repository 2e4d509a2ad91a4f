/**
 * Issuing documents: an invoice per intervention (exactly once), and credit notes against an
 * invoice. Each document is numbered, priced, rendered (PDF + CII XML) and stored in ONE
 * transaction, so the number, the row and the bytes exist together or not at all.
 *
 * Series: invoices are FA-YYYY-NNNNNN and credit notes AV-YYYY-NNNNNN, each gapless per year.
 * French rules allow several series as long as each is continuous and chronological; keeping
 * credit notes apart means the FA series counts exactly the billed interventions, and a credit
 * note (which may come weeks later, from a person) never interleaves with the automatic flow.
 */
import { DateTime } from 'luxon';
import type { Kysely, Transaction } from 'kysely';
import type { DB, InvoiceRow } from '../../db/index.js';
import {
  atomically,
  creditNotesOf,
  findClientLanguage,
  findByIdempotencyKey,
  findInvoiceForRequest,
  formatNumber,
  includedMinutesUsed,
  insertInvoice,
  loadInterventionForBilling,
  lockInvoice,
  lockInvoiceNumbering,
  lockRequestForBilling,
  takeNextNumber,
  type InterventionForBilling,
} from '../../db/repositories/invoices.repository.js';
import { renderCiiXml } from './cii-invoice.js';
import type { BuyerParty, InvoiceDocument } from './invoice-document.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import {
  computeTotals,
  creditLines,
  parseHundredths,
  priceIntervention,
  DEFAULT_TERMS,
  type BillingTerms,
  type CreditSelection,
  type PricedLine,
  type PricingResult,
} from './pricing.js';
import type { SellerProfile } from './seller-profile.js';
import type { NotBillableReason } from '../../workflows/intervention/intervention.contract.js';

/** Dates on invoices are French calendar dates. */
export const BILLING_ZONE = 'Europe/Paris';

export class InvoicingError extends Error {
  constructor(
    readonly code: 'not_found' | 'not_billable' | 'invalid_credit',
    message: string,
    readonly field?: string,
    /** For not_billable: why, as data (the timeline says it in the reader's language). */
    readonly notBillable?: NotBillableReason,
  ) {
    super(message);
  }
}

export interface InvoicingDeps {
  db: Kysely<DB>;
  seller: SellerProfile;
  /** The current instant; tests pin it. */
  now?: () => Date;
}

export interface IssueResult {
  invoice: Pick<InvoiceRow, 'id' | 'number' | 'totalExclVatCents' | 'totalInclVatCents' | 'issueDate'>;
  alreadyIssued: boolean;
}

export function termsOf(request: InterventionForBilling['request']): BillingTerms {
  const perLevel: BillingTerms['ratePerLevelCents'] = {};
  if (request.rateN1Cents !== null) perLevel.N1 = request.rateN1Cents;
  if (request.rateN2Cents !== null) perLevel.N2 = request.rateN2Cents;
  if (request.rateN3Cents !== null) perLevel.N3 = request.rateN3Cents;
  return {
    kind: request.contractKind ?? 'time_and_materials',
    hourlyRateCents: request.hourlyRateCents ?? 0,
    travelFeeCents: request.travelFeeCents ?? 0,
    includedMinutesPerMonth:
      request.includedHoursPerMonth === null ? 0 : Math.floor((parseHundredths(request.includedHoursPerMonth) * 60) / 100),
    ratePerLevelCents: perLevel,
    roundingIncrementMinutes: request.roundingIncrementMinutes ?? DEFAULT_TERMS.roundingIncrementMinutes,
    minimumBilledMinutes: request.minimumBilledMinutes ?? DEFAULT_TERMS.minimumBilledMinutes,
    travelMode: request.travelMode ?? DEFAULT_TERMS.travelMode,
    travelPerKmCents: request.travelPerKmCents ?? DEFAULT_TERMS.travelPerKmCents,
    partsDiscountBasisPoints: request.partsDiscountBasisPoints ?? DEFAULT_TERMS.partsDiscountBasisPoints,
    labourVatBasisPoints: request.labourVatBasisPoints ?? DEFAULT_TERMS.labourVatBasisPoints,
    travelVatBasisPoints: request.travelVatBasisPoints ?? DEFAULT_TERMS.travelVatBasisPoints,
    remoteSupportBilling: request.remoteSupportBilling ?? DEFAULT_TERMS.remoteSupportBilling,
    remoteSupportRateCents: request.remoteSupportRateCents ?? DEFAULT_TERMS.remoteSupportRateCents,
  };
}

function buyerOf(request: InterventionForBilling['request']): BuyerParty {
  // The billing address is the company's; a client created without one is billed at its site.
  const hasAddress = Boolean(request.addressLine1 && request.postalCode && request.city);
  return {
    name: request.legalName ?? request.companyName,
    addressLine1: hasAddress ? request.addressLine1! : request.siteAddressLine1,
    postalCode: hasAddress ? request.postalCode! : request.sitePostalCode,
    city: hasAddress ? request.city! : request.siteCity,
    country: request.country,
    siren: request.siren,
    siret: request.siret,
    vatNumber: request.vatNumber,
  };
}

async function renderBoth(doc: InvoiceDocument) {
  const xml = Buffer.from(renderCiiXml(doc), 'utf8');
  const pdf = await renderInvoicePdf(doc, { embeddedXml: xml });
  return { pdf, xml };
}

function toResult(row: IssueResult['invoice'], alreadyIssued: boolean): IssueResult {
  return {
    invoice: {
      id: row.id,
      number: row.number,
      totalExclVatCents: row.totalExclVatCents,
      totalInclVatCents: row.totalInclVatCents,
      issueDate: row.issueDate,
    },
    alreadyIssued,
  };
}

/**
 * Issues the invoice of an intervention, or returns the one already issued. The request row is
 * locked first (so two calls for the same intervention queue up and the second sees the first's
 * invoice), then the year's counter, always in that order.
 */
export async function issueInterventionInvoice(
  deps: InvoicingDeps,
  input: { requestId: string; workflowId: string },
): Promise<IssueResult> {
  const existing = await findInvoiceForRequest(deps.db, input.requestId);
  if (existing) return toResult(existing, true);

  return atomically(deps.db, async (trx) => {
    const locked = await lockRequestForBilling(trx, input.requestId);
    if (!locked) throw new InvoicingError('not_found', `service request ${input.requestId} does not exist`);
    if (locked.workflowId !== input.workflowId) {
      throw new InvoicingError(
        'not_billable',
        `request ${input.requestId} belongs to workflow ${locked.workflowId}, not ${input.workflowId}`,
        undefined,
        'other',
      );
    }
    const again = await findInvoiceForRequest(trx, input.requestId);
    if (again) return toResult(again, true);

    const data = await loadInterventionForBilling(trx, input.requestId);
    if (!data) throw new InvoicingError('not_found', `service request ${input.requestId} does not exist`);
    const { request, visits, parts } = data;
    if (request.status === 'cancelled')
      throw new InvoicingError('not_billable', `${request.ticketNumber} is cancelled`, undefined, 'cancelled');
    const open = visits.find((v) => v.checkedOutAt === null);
    if (open)
      throw new InvoicingError('not_billable', `${request.ticketNumber}: visit ${open.id} has no check-out`, undefined, 'open_visit');
    const terms = termsOf(request);
    // Remote support time counts only where the contract bills it in some way; a remote
    // resolution with no time recorded (or never billed) stays "nothing to invoice".
    const remoteSessions = terms.remoteSupportBilling === 'not_billed' ? [] : data.remoteSessions;
    if (visits.length === 0 && parts.length === 0 && remoteSessions.length === 0) {
      const remote = data.remoteSessions.length > 0 ? ', remote support not billed by the contract' : '';
      throw new InvoicingError(
        'not_billable',
        `${request.ticketNumber}: no visit and no part to invoice${remote}`,
        undefined,
        remote ? 'remote_not_billed' : 'nothing_to_invoice',
      );
    }

    await lockInvoiceNumbering(trx);
    const now = DateTime.fromJSDate(deps.now?.() ?? new Date(), { zone: BILLING_ZONE });
    // The service was delivered when the last work ended: a visit's check-out or a remote session.
    const workEnds = [...visits.map((v) => v.checkedOutAt!), ...remoteSessions.map((r) => r.performedAt)];
    const lastWork = workEnds.reduce<Date | null>((latest, at) => (latest && latest > at ? latest : at), null);
    const serviceDay = lastWork ? DateTime.fromJSDate(lastWork, { zone: BILLING_ZONE }) : now;
    // The numbering lock serialises every issuer, which also makes this read of the month's
    // consumed allowance safe against a concurrent invoice of the same contract.
    const year = now.year;
    const sequence = await takeNextNumber(trx, 'FA', year);
    const alreadyUsed = request.contractId
      ? await includedMinutesUsed(
          trx,
          request.contractId,
          serviceDay.startOf('month').toISODate()!,
          serviceDay.startOf('month').plus({ months: 1 }).toISODate()!,
        )
      : 0;
    const priced: PricingResult = priceIntervention({
      terms,
      visits: visits.map((v) => ({
        checkedInAt: v.checkedInAt,
        checkedOutAt: v.checkedOutAt!,
        mode: v.mode,
        travelHundredthsKm: parseHundredths(v.travelKm),
        technicianLevel: v.level,
      })),
      parts: parts.map((p) => ({
        sku: p.sku,
        label: p.label,
        quantity: p.quantity,
        unitPriceCents: p.unitPriceCents,
        vatRateBasisPoints: p.vatRateBasisPoints,
        underWarranty: p.underWarranty,
      })),
      remoteSessions: remoteSessions.map((r) => ({ performedAt: r.performedAt, minutes: r.minutes })),
      includedMinutesAlreadyUsed: alreadyUsed,
      timezone: request.contractTimezone ?? BILLING_ZONE,
    });

    const number = formatNumber('FA', year, sequence);
    const issueDate = now.toISODate()!;
    const dueDate = now.plus({ days: request.paymentTermsDays ?? deps.seller.paymentTermsDays }).toISODate()!;
    const seller = deps.seller;
    const buyer = buyerOf(request);
    const doc: InvoiceDocument = {
      typeCode: 380,
      number,
      issueDate,
      dueDate,
      deliveryDate: serviceDay.toISODate()!,
      currency: 'EUR',
      seller,
      buyer,
      ticketNumber: request.ticketNumber,
      contractReference: request.contractReference,
      precedingInvoice: null,
      reason: null,
      lines: priced.lines,
      totals: priced.totals,
      language: request.preferences.language === 'en' ? 'en' : 'fr',
    };
    const { pdf, xml } = await renderBoth(doc);
    const row = await insertInvoice(trx, {
      typeCode: 380,
      series: 'FA',
      year,
      sequence,
      number,
      idempotencyKey: `${input.workflowId}:invoice`,
      requestId: request.id,
      ticketNumber: request.ticketNumber,
      creditedInvoiceId: null,
      clientId: request.clientId,
      contractId: request.contractId,
      issueDate,
      dueDate,
      deliveryDate: doc.deliveryDate,
      seller: JSON.stringify(seller),
      buyer: JSON.stringify(buyer),
      lines: JSON.stringify(priced.lines),
      vatBreakdown: JSON.stringify(priced.totals.vat),
      totalExclVatCents: priced.totals.taxBasisTotalCents,
      totalVatCents: priced.totals.vatTotalCents,
      totalInclVatCents: priced.totals.grandTotalCents,
      includedMinutesUsed: priced.includedMinutesUsed,
      reason: null,
      pdf,
      xml,
    });
    return toResult(row, false);
  });
}

export interface CreditNoteInput {
  invoiceId: string;
  /** 'all' credits whatever is still uncredited on every line. */
  lines: readonly CreditSelection[] | 'all';
  reason: string;
  /** A retried request with the same key returns the same credit note. */
  idempotencyKey: string;
}

/** Issues a credit note (type 381) against an invoice, never crediting more than was invoiced. */
export async function issueCreditNote(deps: Pick<InvoicingDeps, 'db' | 'now'>, input: CreditNoteInput): Promise<IssueResult> {
  const key = `credit:${input.idempotencyKey}`;
  const existing = await findByIdempotencyKey(deps.db, key);
  if (existing) return toResult(existing, true);
  try {
    return await atomically(deps.db, async (trx: Transaction<DB>) => {
      const invoice = await lockInvoice(trx, input.invoiceId);
      if (!invoice) throw new InvoicingError('not_found', `invoice ${input.invoiceId} does not exist`);
      if (invoice.typeCode !== 380)
        throw new InvoicingError('invalid_credit', `${invoice.number} is a credit note: credit the invoice itself`, 'invoiceId');
      const credited = new Map<number, number>();
      for (const note of await creditNotesOf(trx, invoice.id)) {
        for (const line of note.lines as PricedLine[]) {
          if (line.sourceLineId !== undefined)
            credited.set(line.sourceLineId, (credited.get(line.sourceLineId) ?? 0) + line.netAmountCents);
        }
      }
      let lines: PricedLine[];
      try {
        lines = creditLines(invoice.lines as PricedLine[], credited, input.lines);
      } catch (err) {
        throw new InvoicingError('invalid_credit', (err as Error).message, 'lines');
      }
      const totals = computeTotals(lines);
      await lockInvoiceNumbering(trx);
      const now = DateTime.fromJSDate(deps.now?.() ?? new Date(), { zone: BILLING_ZONE });
      const year = now.year;
      const sequence = await takeNextNumber(trx, 'AV', year);
      const number = formatNumber('AV', year, sequence);
      const issueDate = now.toISODate()!;
      // The credit note carries the seller identity as issued on the invoice it corrects.
      const seller = invoice.seller as SellerProfile;
      const buyer = invoice.buyer as BuyerParty;
      const doc: InvoiceDocument = {
        typeCode: 381,
        number,
        issueDate,
        dueDate: issueDate,
        deliveryDate: invoice.deliveryDate,
        currency: 'EUR',
        seller,
        buyer,
        ticketNumber: invoice.ticketNumber,
        contractReference: null,
        precedingInvoice: { number: invoice.number, issueDate: invoice.issueDate },
        reason: input.reason,
        lines,
        totals,
        language: await findClientLanguage(trx, invoice.clientId),
      };
      const { pdf, xml } = await renderBoth(doc);
      const row = await insertInvoice(trx, {
        typeCode: 381,
        series: 'AV',
        year,
        sequence,
        number,
        idempotencyKey: key,
        requestId: null,
        ticketNumber: invoice.ticketNumber,
        creditedInvoiceId: invoice.id,
        clientId: invoice.clientId,
        contractId: invoice.contractId,
        issueDate,
        dueDate: issueDate,
        deliveryDate: invoice.deliveryDate,
        seller: JSON.stringify(seller),
        buyer: JSON.stringify(buyer),
        lines: JSON.stringify(lines),
        vatBreakdown: JSON.stringify(totals.vat),
        totalExclVatCents: totals.taxBasisTotalCents,
        totalVatCents: totals.vatTotalCents,
        totalInclVatCents: totals.grandTotalCents,
        reason: input.reason,
        pdf,
        xml,
      });
      return toResult(row, false);
    });
  } catch (err) {
    // Two identical requests racing: the loser hits the unique key and returns the winner's note.
    if ((err as { code?: string }).code === '23505') {
      const winner = await findByIdempotencyKey(deps.db, key);
      if (winner) return toResult(winner, true);
    }
    throw err;
  }
}
