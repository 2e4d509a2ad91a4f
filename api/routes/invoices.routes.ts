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
import { listDocuments } from '../../db/repositories/finance.repository.js';
import { creditNotesOf, getDocumentBytes, getInvoice } from '../../db/repositories/invoices.repository.js';
import { listSelection, selectionOf, tenantOf, todayInFrance } from '../finance/invoice-selection.js';
import { paymentOf, recordPayment, withdrawPayment } from '../finance/payments.js';
import { exportFec } from '../finance/fec-export.js';
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
import {
  creditNoteIssuedSchema,
  invoiceListSchema,
  invoiceSchema,
  paymentOutcomeSchema,
  type InvoiceLine,
} from '../schemas/invoices.response.js';

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
    status: z.enum(['unpaid', 'paid', 'overdue']).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after `to`', path: ['from'] });
const fecQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** tab (default) or pipe, the two separators the administration accepts. */
    separator: z.enum(['tab', 'pipe']).default('tab'),
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
const paymentBody = z.object({ paidOn: isoDate });
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
        const rows = await listDocuments(db, selectionOf(principal, query, todayInFrance()), 100_000);
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
      path: '/invoices/export.fec',
      tag: 'invoices',
      summary:
        'Sales journal as a Fichier des Écritures Comptables (the 18 columns of article A47 A-1 LPF) for a period: one balanced entry per invoice, credit notes reversed; accounts from the accounting settings',
      access: FINANCE,
      query: fecQuery,
      produces: 'text/plain',
      async handler({ res, db, query }) {
        const year = todayInFrance().slice(0, 4);
        const { text, fileName } = await exportFec(
          db,
          { from: query.from ?? `${year}-01-01`, to: query.to ?? `${year}-12-31` },
          query.separator,
        );
        res.status(200).type('text/plain; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
        res.send(text);
      },
    }),
    route({
      method: 'get',
      path: '/invoices',
      tag: 'invoices',
      summary:
        'Invoices and credit notes, newest first, by issue-date period, client, type and payment status, with the totals of the selection (excl. VAT, VAT per rate, incl. VAT)',
      access: READERS,
      query: listQuery,
      response: { 200: invoiceListSchema },
      async handler({ res, db, query, principal }) {
        res.json(await listSelection(db, principal, query));
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
          // The snapshots as issued (PricedLine[], VatBreakdown[]): the shapes the schema declares.
          lines: invoice.lines as InvoiceLine[],
          vatBreakdown: invoice.vatBreakdown as VatBreakdown[],
          type: invoice.typeCode === 381 ? 'credit_note' : 'invoice',
          creditNotes: credits.map((c) => ({ id: c.id, number: c.number, issueDate: c.issueDate, totalInclVatCents: c.totalInclVatCents })),
          links: { pdf: `/api/invoices/${invoice.id}/pdf`, xml: `/api/invoices/${invoice.id}/xml` },
          payment: await paymentOf(db, invoice),
        });
      },
    }),
    route({
      method: 'put',
      path: '/invoices/:id/payment',
      tag: 'invoices',
      summary: 'Record that an invoice was paid, on a date (or move that date); audited with before and after',
      access: FINANCE,
      params: idParams,
      body: paymentBody,
      responses: {
        200: 'The invoice is paid',
        400: 'paidOn before the issue date or in the future',
        404: 'No such invoice',
        409: 'A credit note has no payment status',
      },
      response: { 200: paymentOutcomeSchema },
      async handler({ res, db, params, body, principal }) {
        res.json(await recordPayment(db, principal, params.id, body.paidOn));
      },
    }),
    route({
      method: 'delete',
      path: '/invoices/:id/payment',
      tag: 'invoices',
      summary: 'Withdraw a recorded payment: the invoice is unpaid (or overdue) again; audited',
      access: FINANCE,
      params: idParams,
      responses: { 200: 'The invoice is unpaid again', 404: 'No such invoice', 409: 'A credit note has no payment status' },
      response: { 200: paymentOutcomeSchema },
      async handler({ res, db, params, principal }) {
        res.json(await withdrawPayment(db, principal, params.id));
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
          // The PDF is shown inside the invoice page (an iframe of the same origin); everything else stays unframeable.
          if (kind === 'pdf') res.setHeader('X-Frame-Options', 'SAMEORIGIN');
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
