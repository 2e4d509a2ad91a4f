/**
 * Invoices and credit notes for finance: list (period, client, type), detail, the stored PDF and
 * CII XML exactly as issued, a CSV export for the accounting software, and credit notes.
 * A client_admin reads its own company's documents only.
 *
 * Issuing a credit note is a command: the route starts the credit-note workflow (one per invoice
 * and idempotency key) and waits for its result; the worker issues, numbers and emails it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import {
  creditNotesOf,
  getDocumentBytes,
  getInvoice,
  listInvoices,
  type InvoiceFilters,
} from '../../db/repositories/invoices.repository.js';
import { amountString, formatRate, type VatBreakdown } from '../../workflows/billing/billing.format.js';
import {
  CREDIT_NOTE_WORKFLOW_TYPE,
  CreditNoteFailure,
  creditNoteWorkflowId,
  type CreditNoteFailureDetails,
  type CreditNoteInput,
  type IssuedCreditNote,
} from '../../workflows/billing/credit-note.contract.js';
import { INTERVENTION_TASK_QUEUE } from '../../workflows/intervention/intervention.contract.js';
import { HttpError, notFound } from '../errors.js';
import { route, type Principal, type RouteSpec } from '../routing.js';
import { DEFAULT_WAITS, TemporalWaitTimeout, withinBound, workerUnavailable, type TemporalWaits } from '../temporal-wait.js';
import { creditNoteIssuedSchema, invoiceListSchema, invoiceSchema } from '../schemas/invoices.response.js';

export interface InvoiceRoutesDeps {
  temporal: Client;
  taskQueue?: string;
  waits?: Partial<TemporalWaits>;
}

const READERS = ['finance', 'admin', 'client_admin'] as const;
const FINANCE = ['finance', 'admin'] as const;

const isoDate = z.iso.date({ message: 'expected a date YYYY-MM-DD' });
const listQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    clientId: z.uuid().optional(),
    type: z.enum(['invoice', 'credit_note']).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after `to`', path: ['from'] });
const idParams = z.object({ id: z.uuid({ message: 'expected an invoice id (uuid)' }) });
const creditNoteBody = z.object({
  reason: z.string().trim().min(3, 'state why the invoice is corrected').max(500),
  /** Omitted: credit everything still uncredited. */
  lines: z
    .array(z.object({ lineId: z.number().int().positive(), amountCents: z.number().int().positive().optional() }))
    .min(1)
    .optional(),
  /** Lets a client retry the POST safely (or the Idempotency-Key header). */
  idempotencyKey: z.string().min(8).max(200).optional(),
});
const idempotencyHeader = z.string().min(8, 'expected 8 to 200 characters').max(200, 'expected 8 to 200 characters');

/** The documents stored with each invoice, served exactly as issued. */
const DOCUMENTS = {
  pdf: {
    contentType: 'application/pdf',
    disposition: 'inline',
    summary: 'The PDF as issued (PDF/A-3, Factur-X EN16931 with the XML inside)',
  },
  xml: {
    contentType: 'application/xml',
    disposition: 'attachment',
    summary: 'The e-invoice as issued (UN/CEFACT CII D16B, EN 16931 / Factur-X EN16931)',
  },
} as const;

/** The business refusal behind a failed credit-note workflow (workflow → activity → application). */
function refusalOf(err: unknown): ApplicationFailure | null {
  for (let cause = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && Object.values<string>(CreditNoteFailure).includes(cause.type ?? '')) return cause;
  }
  return null;
}

/**
 * Starts the credit-note workflow, or joins the one this key already started (running: use
 * existing; finished: reject duplicate, then read its result). The memo carries a token that
 * only the starting request knows, which tells it apart from a repeat (201 vs 200), and a digest
 * of the input, so a key reused for a different credit note is refused instead of answered with
 * the first one.
 */
async function runCreditNote(temporal: Client, taskQueue: string, workflowId: string, input: CreditNoteInput) {
  const token = randomUUID();
  const digest = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  let handle: WorkflowHandle;
  try {
    handle = await temporal.workflow.start(CREDIT_NOTE_WORKFLOW_TYPE, {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { startRequest: token, inputDigest: digest },
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    handle = temporal.workflow.getHandle(workflowId);
  }
  const memo = (await handle.describe()).memo ?? {};
  if (memo.inputDigest !== digest) {
    const message = 'already used for a different credit note on this invoice';
    throw new HttpError(409, 'conflict', `idempotencyKey: ${message}`, [{ field: 'idempotencyKey', message }]);
  }
  const created = memo.startRequest === token;
  try {
    return { note: (await handle.result()) as IssuedCreditNote, created };
  } catch (err) {
    const refusal = refusalOf(err);
    if (!refusal) throw err;
    const field = (refusal.details?.[0] as CreditNoteFailureDetails | undefined)?.field ?? 'lines';
    if (refusal.type === CreditNoteFailure.UnknownInvoice) throw notFound(`invoice ${input.invoiceId}`);
    throw new HttpError(400, 'validation_failed', `${field}: ${refusal.message}`, [{ field, message: refusal.message }]);
  }
}

/** The company a client_admin may see; null for staff (everything). */
function tenantOf(principal: Principal | null): string | null {
  return principal?.role === 'client_admin' ? (principal.clientId ?? '00000000-0000-0000-0000-000000000000') : null;
}

function scopedClient(principal: Principal | null, requested: string | undefined): string | undefined {
  const tenant = tenantOf(principal);
  if (tenant && requested && requested !== tenant) throw new HttpError(403, 'forbidden', 'clientId: not your company');
  return tenant ?? requested;
}

const typeCodeOf = (type: 'invoice' | 'credit_note' | undefined) => (type === 'invoice' ? 380 : type === 'credit_note' ? 381 : undefined);

/** The list and the CSV export read the same selection: period, client (a client admin's own), type. */
const filterOf = (principal: Principal | null, query: z.infer<typeof listQuery>): InvoiceFilters => ({
  from: query.from,
  to: query.to,
  clientId: scopedClient(principal, query.clientId),
  typeCode: typeCodeOf(query.type),
});

/** French accounting formats: comma decimals, credit notes negative. */
const frAmount = (cents: number) => amountString(cents).replace('.', ',');

async function readable(db: Parameters<typeof getInvoice>[0], principal: Principal | null, id: string) {
  const invoice = await getInvoice(db, id);
  const tenant = tenantOf(principal);
  // Another company's invoice is reported as absent, not forbidden: its existence is not shared.
  if (!invoice || (tenant && invoice.clientId !== tenant)) throw notFound(`invoice ${id}`);
  return invoice;
}

export function invoiceRoutes({ temporal, taskQueue = INTERVENTION_TASK_QUEUE, waits }: InvoiceRoutesDeps): RouteSpec[] {
  const actionMs = waits?.actionMs ?? DEFAULT_WAITS.actionMs;
  return [
    route({
      method: 'get',
      path: '/invoices/export.csv',
      tag: 'invoices',
      summary: 'Accounting export (CSV, French columns: date, number, client, HT, TVA per rate, TTC)',
      access: FINANCE,
      query: listQuery,
      produces: 'text/csv',
      async handler({ res, db, query, principal }) {
        const rows = await listInvoices(db, { ...filterOf(principal, query), limit: 100_000 });
        rows.reverse(); // chronological, as a journal reads
        const rates = [...new Set(rows.flatMap((r) => (r.vatBreakdown as VatBreakdown[]).map((v) => v.vatRateBasisPoints)))].sort(
          (a, b) => b - a,
        );
        const header = [
          'Date',
          'Numéro',
          'Type',
          'Client',
          'SIREN client',
          'Intervention',
          'Facture d’origine',
          'Total HT',
          ...rates.map((rate) => `TVA ${formatRate(rate)}`),
          'Total TVA',
          'Total TTC',
          'Échéance',
        ];
        const numbers = new Map(rows.map((r) => [r.id, r.number]));
        const body = rows.map((r) => {
          const sign = r.typeCode === 381 ? -1 : 1;
          const buyer = r.buyer as { name: string; siren: string | null };
          const vat = r.vatBreakdown as VatBreakdown[];
          return [
            r.issueDate,
            r.number,
            r.typeCode === 381 ? 'Avoir' : 'Facture',
            buyer.name,
            buyer.siren ?? '',
            r.ticketNumber ?? '',
            r.creditedInvoiceId ? (numbers.get(r.creditedInvoiceId) ?? r.creditedInvoiceId) : '',
            frAmount(sign * r.totalExclVatCents),
            ...rates.map((rate) => frAmount(sign * vat.filter((v) => v.vatRateBasisPoints === rate).reduce((s, v) => s + v.vatCents, 0))),
            frAmount(sign * r.totalVatCents),
            frAmount(sign * r.totalInclVatCents),
            r.dueDate,
          ];
        });
        const csv = stringify([header, ...body], { delimiter: ';' });
        res
          .status(200)
          .type('text/csv; charset=utf-8')
          .setHeader('Content-Disposition', `attachment; filename="factures-${query.from ?? 'debut'}-${query.to ?? 'fin'}.csv"`);
        // The BOM makes spreadsheet software read the accents as UTF-8.
        res.send(`\ufeff${csv}`);
      },
    }),
    route({
      method: 'get',
      path: '/invoices',
      tag: 'invoices',
      summary: 'Invoices and credit notes, newest first, by issue-date period, client and type',
      access: READERS,
      query: listQuery,
      response: { 200: invoiceListSchema },
      async handler({ res, db, query, principal }) {
        const rows = await listInvoices(db, filterOf(principal, query));
        res.json({
          items: rows.map((r) => ({
            id: r.id,
            type: r.typeCode === 381 ? 'credit_note' : 'invoice',
            typeCode: r.typeCode,
            number: r.number,
            issueDate: r.issueDate,
            dueDate: r.dueDate,
            clientId: r.clientId,
            clientName: (r.buyer as { name: string }).name,
            ticketNumber: r.ticketNumber,
            creditedInvoiceId: r.creditedInvoiceId,
            totalExclVatCents: r.totalExclVatCents,
            totalVatCents: r.totalVatCents,
            totalInclVatCents: r.totalInclVatCents,
            currency: r.currency,
          })),
        });
      },
    }),
    route({
      method: 'get',
      path: '/invoices/:id',
      tag: 'invoices',
      summary: 'One invoice or credit note with its lines, VAT breakdown and credit notes',
      access: READERS,
      params: idParams,
      response: { 200: invoiceSchema },
      async handler({ res, db, params, principal }) {
        const invoice = await readable(db, principal, params.id);
        const credits = invoice.typeCode === 380 ? await creditNotesOf(db, invoice.id) : [];
        res.json({
          ...invoice,
          type: invoice.typeCode === 381 ? 'credit_note' : 'invoice',
          creditNotes: credits.map((c) => ({ id: c.id, number: c.number, issueDate: c.issueDate, totalInclVatCents: c.totalInclVatCents })),
          links: { pdf: `/api/invoices/${invoice.id}/pdf`, xml: `/api/invoices/${invoice.id}/xml` },
        });
      },
    }),
    ...(['pdf', 'xml'] as const).map((kind) =>
      route({
        method: 'get',
        path: `/invoices/:id/${kind}`,
        tag: 'invoices',
        summary: DOCUMENTS[kind].summary,
        access: READERS,
        params: idParams,
        produces: DOCUMENTS[kind].contentType,
        async handler({ res, db, params, principal }) {
          await readable(db, principal, params.id);
          const doc = await getDocumentBytes(db, params.id, kind);
          if (!doc) throw notFound(`invoice ${params.id}`);
          res
            .status(200)
            .type(DOCUMENTS[kind].contentType)
            .setHeader('Content-Disposition', `${DOCUMENTS[kind].disposition}; filename="${doc.number}.${kind}"`);
          res.send(doc.bytes);
        },
      }),
    ),
    route({
      method: 'post',
      path: '/invoices/:id/credit-notes',
      tag: 'invoices',
      summary: 'Issue a credit note (type 381) for the whole invoice or some lines, with a reason',
      access: FINANCE,
      params: idParams,
      body: creditNoteBody,
      responses: {
        201: 'Credit note issued (and emailed to finance)',
        200: 'Same idempotency key (body idempotencyKey or Idempotency-Key header): the credit note already issued',
        400: 'Invalid lines or amounts, or an invoice that cannot be credited',
        404: 'No such invoice',
        409: 'Idempotency key already used for a different credit note',
        503: 'No answer from the workflows within ACTION_TIMEOUT_MS (worker unavailable); retry with the same key',
      },
      response: { 200: creditNoteIssuedSchema, 201: creditNoteIssuedSchema },
      // Waits for the credit-note workflow: no transaction held meanwhile (it uses no database here).
      transaction: 'steps',
      async handler({ req, res, params, body }) {
        const header = req.get('Idempotency-Key');
        const parsedHeader = header === undefined ? undefined : idempotencyHeader.safeParse(header);
        if (parsedHeader && !parsedHeader.success) {
          const message = parsedHeader.error.issues[0]!.message;
          throw new HttpError(400, 'validation_failed', `Idempotency-Key: ${message}`, [{ field: 'Idempotency-Key', message }]);
        }
        if (header !== undefined && body.idempotencyKey !== undefined && header !== body.idempotencyKey) {
          const message = 'differs from the Idempotency-Key header';
          throw new HttpError(400, 'validation_failed', `idempotencyKey: ${message}`, [{ field: 'idempotencyKey', message }]);
        }
        // Without a key, every request is a new credit note.
        const key = header ?? body.idempotencyKey ?? randomUUID();
        let outcome: Awaited<ReturnType<typeof runCreditNote>>;
        try {
          outcome = await withinBound(temporal, actionMs, () =>
            runCreditNote(temporal, taskQueue, creditNoteWorkflowId(params.id, key), {
              invoiceId: params.id,
              lines: body.lines ?? 'all',
              reason: body.reason,
            }),
          );
        } catch (err) {
          if (!(err instanceof TemporalWaitTimeout)) throw err;
          throw workerUnavailable(
            `the credit note on invoice ${params.id} was requested`,
            header !== undefined || body.idempotencyKey !== undefined,
          );
        }
        const { note, created } = outcome;
        const { alreadyIssued: _, ...document } = note;
        res.status(created ? 201 : 200).json({ ...document, alreadyIssued: !created });
      },
    }),
  ];
}
