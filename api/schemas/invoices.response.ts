/** What the invoice routes answer (the PDF, XML and CSV routes declare their content type instead). */
import { z } from 'zod';
import type { IssuedCreditNote } from '../../workflows/billing/credit-note.contract.js';
import { calendarDate, instant } from './common.response.js';

const documentType = z.enum(['invoice', 'credit_note']);

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
      })
      .meta({ id: 'InvoiceSummary' }),
  ),
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
    lines: z.unknown(),
    vatBreakdown: z.unknown(),
    totalExclVatCents: z.number(),
    totalVatCents: z.number(),
    totalInclVatCents: z.number(),
    reason: z.string().nullable(),
    createdAt: instant,
    creditNotes: z.array(z.object({ id: z.string(), number: z.string(), issueDate: calendarDate, totalInclVatCents: z.number() })),
    links: z.object({ pdf: z.string(), xml: z.string() }),
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
