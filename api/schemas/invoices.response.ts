/** What the invoice routes answer (the PDF, XML and CSV routes declare their content type instead). */
import { z } from 'zod';
import type { IssuedCreditNote } from '../../workflows/billing/credit-note.contract.js';
import { calendarDate, instant } from './common.response.js';

const documentType = z.enum(['invoice', 'credit_note']);
/** unpaid, paid, or overdue (unpaid past the due date); null for a credit note. */
export const paymentStatus = z.enum(['unpaid', 'paid', 'overdue']).meta({ id: 'PaymentStatus' });

const vatRateTotal = z.object({ vatRateBasisPoints: z.number(), basisCents: z.number(), vatCents: z.number() });

/** One line as issued (activities/billing/pricing.ts PricedLine). */
export const invoiceLineSchema = z
  .object({
    lineId: z.number(),
    kind: z.string(),
    sku: z.string().nullable(),
    description: z.string(),
    coverageNote: z.string().nullable(),
    quantity: z.string(),
    unitCode: z.string(),
    grossUnitPriceCents: z.number(),
    unitPriceCents: z.number(),
    netAmountCents: z.number(),
    vatCategory: z.string(),
    vatRateBasisPoints: z.number(),
    sourceLineId: z.number().optional(),
  })
  .meta({ id: 'InvoiceLine' });
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

export const invoiceListSchema = z.object({
  items: z.array(
    z
      .object({
        id: z.string(),
        type: documentType,
        typeCode: z.union([z.literal(380), z.literal(381)]),
        number: z.string(),
        issueDate: calendarDate,
        dueDate: calendarDate,
        clientId: z.string(),
        clientName: z.string(),
        ticketNumber: z.string().nullable(),
        creditedInvoiceId: z.string().nullable(),
        totalExclVatCents: z.number(),
        totalVatCents: z.number(),
        totalInclVatCents: z.number(),
        currency: z.string(),
        paymentStatus: paymentStatus.nullable(),
        paidOn: calendarDate.nullable(),
      })
      .meta({ id: 'InvoiceSummary' }),
  ),
  /** Totals of the whole selection (credit notes negative), even when the list is truncated. */
  totals: z
    .object({
      count: z.number(),
      totalExclVatCents: z.number(),
      totalVatCents: z.number(),
      totalInclVatCents: z.number(),
      vatByRate: z.array(vatRateTotal),
    })
    .meta({ id: 'SelectionTotals' }),
  /** True when more documents match than are listed (the totals still cover them all). */
  truncated: z.boolean(),
});

/** One document as issued: the seller, buyer, lines and VAT snapshots are those of the document. */
export const invoiceSchema = z
  .object({
    id: z.string(),
    type: documentType,
    typeCode: z.union([z.literal(380), z.literal(381)]),
    number: z.string(),
    requestId: z.string().nullable(),
    ticketNumber: z.string().nullable(),
    creditedInvoiceId: z.string().nullable(),
    clientId: z.string(),
    contractId: z.string().nullable(),
    issueDate: calendarDate,
    dueDate: calendarDate,
    deliveryDate: calendarDate.nullable(),
    currency: z.string(),
    seller: z.unknown(),
    buyer: z.unknown(),
    lines: z.array(invoiceLineSchema),
    vatBreakdown: z.array(vatRateTotal.extend({ vatCategory: z.string() })),
    totalExclVatCents: z.number(),
    totalVatCents: z.number(),
    totalInclVatCents: z.number(),
    reason: z.string().nullable(),
    createdAt: instant,
    creditNotes: z.array(z.object({ id: z.string(), number: z.string(), issueDate: calendarDate, totalInclVatCents: z.number() })),
    links: z.object({ pdf: z.string(), xml: z.string() }),
    /** null for a credit note. */
    payment: z.object({ status: paymentStatus, paidOn: calendarDate.nullable(), recordedAt: instant.nullable() }).nullable(),
  })
  .meta({ id: 'Invoice' });

export const creditNoteIssuedSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    issueDate: calendarDate,
    totalExclVatCents: z.number(),
    totalInclVatCents: z.number(),
    /** true when this answer repeats a credit note issued earlier with the same key. */
    alreadyIssued: z.boolean(),
  })
  .meta({ id: 'CreditNoteIssued' }) satisfies z.ZodType<IssuedCreditNote>;

/** An invoice's payment status after finance recorded or withdrew its payment. */
export const paymentOutcomeSchema = z
  .object({
    invoiceId: z.string(),
    number: z.string(),
    status: paymentStatus,
    paidOn: calendarDate.nullable(),
    recordedAt: instant.nullable(),
  })
  .meta({ id: 'PaymentOutcome' });
