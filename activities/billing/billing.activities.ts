/**
 * The billing stage of an intervention: issue its invoice exactly once, then send the PDF and
 * the e-invoice (CII XML) to finance. A retry, a worker crash after the commit, or a duplicate
 * call finds the stored invoice and (re)sends the same email under the same idempotency key,
 * which the mailer turns into a no-op when it was already sent. Credit notes follow the same
 * shape for the credit-note workflow, keyed by its workflow id.
 */
import { findCreditedInvoice, getDocuments } from '../../db/repositories/invoices.repository.js';
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import type { Mailer } from '../notifications/mailer.js';
import {
  CreditNoteFailure,
  type CreditNoteActivities,
  type CreditNoteFailureDetails,
  type IssueCreditNoteInput,
  type IssuedCreditNote,
} from '../../workflows/billing/credit-note.contract.js';
import type { BillingActivities, IssueInvoiceInput, IssuedInvoice } from './billing.contract.js';
import { InvoicingError, issueCreditNote, issueInterventionInvoice } from './invoicing.js';
import { formatMoney } from './pricing.js';
import type { SellerProfile } from './seller-profile.js';

/** ApplicationFailure types: business rejections, not retried. */
export const BillingFailure = {
  NotBillable: 'InterventionNotBillable',
  UnknownRequest: 'UnknownRequest',
} as const;

export interface BillingDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  seller: SellerProfile;
  financeEmail: string;
  now?: () => Date;
}

/** Finance's copy of a document: the PDF (Factur-X, XML inside) and the XML on its own. */
async function attachmentsOf(db: Kysely<DB>, id: string, number: string) {
  const files = await getDocuments(db, id);
  return [
    { filename: `${number}.pdf`, contentType: 'application/pdf', content: files.pdf },
    { filename: `${number}.xml`, contentType: 'application/xml', content: files.xml },
  ];
}

export function createBillingActivities(deps: BillingDeps): BillingActivities & CreditNoteActivities {
  return {
    async issueInvoice(input: IssueInvoiceInput): Promise<IssuedInvoice> {
      let result;
      try {
        result = await issueInterventionInvoice(deps, { requestId: input.requestId, workflowId: input.workflowId });
      } catch (err) {
        if (err instanceof InvoicingError) {
          throw ApplicationFailure.create({
            message: err.message,
            type: err.code === 'not_found' ? BillingFailure.UnknownRequest : BillingFailure.NotBillable,
            nonRetryable: true,
            // The reason as data, for the timeline entry the workflow writes.
            details: err.notBillable ? [{ reason: err.notBillable }] : [],
          });
        }
        throw err;
      }
      const { invoice } = result;
      await deps.mailer.send({
        idempotencyKey: `${input.workflowId}:invoice-email`,
        requestId: input.requestId,
        to: [deps.financeEmail],
        subject: `Facture ${invoice.number} — intervention ${input.ticketNumber}`,
        text: [
          'Bonjour,',
          '',
          `La facture ${invoice.number} de l'intervention ${input.ticketNumber} a été émise le ${invoice.issueDate}.`,
          `Montant HT : ${formatMoney(invoice.totalExclVatCents)} — TTC : ${formatMoney(invoice.totalInclVatCents)}.`,
          '',
          'Vous trouverez en pièces jointes la facture PDF et la facture électronique (CII, EN 16931).',
        ].join('\n'),
        attachments: await attachmentsOf(deps.db, invoice.id, invoice.number),
      });
      return {
        invoiceId: invoice.id,
        number: invoice.number,
        totalExclVatCents: invoice.totalExclVatCents,
        totalInclVatCents: invoice.totalInclVatCents,
        alreadyIssued: result.alreadyIssued,
      };
    },

    /**
     * Issues the credit note of a credit-note workflow (the workflow id is its idempotency key: a
     * retry after the commit finds it), then emails it to finance once.
     */
    async issueCreditNote(input: IssueCreditNoteInput): Promise<IssuedCreditNote> {
      let result;
      try {
        result = await issueCreditNote(
          { db: deps.db, ...(deps.now ? { now: deps.now } : {}) },
          { invoiceId: input.invoiceId, lines: input.lines, reason: input.reason, idempotencyKey: input.workflowId },
        );
      } catch (err) {
        if (err instanceof InvoicingError) {
          const details: CreditNoteFailureDetails = {
            field: err.code === 'not_found' || err.field === 'invoiceId' ? 'invoiceId' : 'lines',
          };
          throw ApplicationFailure.create({
            message: err.message,
            type: err.code === 'not_found' ? CreditNoteFailure.UnknownInvoice : CreditNoteFailure.InvalidCredit,
            nonRetryable: true,
            details: [details],
          });
        }
        throw err;
      }
      const note = result.invoice;
      const credited = await findCreditedInvoice(deps.db, note.id);
      await deps.mailer.send({
        idempotencyKey: `${input.workflowId}:email`,
        requestId: credited.requestId,
        to: [deps.financeEmail],
        subject: `Avoir ${note.number} sur la facture ${credited.number}`,
        text: [
          'Bonjour,',
          '',
          `L'avoir ${note.number} sur la facture ${credited.number} a été émis le ${note.issueDate}.`,
          `Motif : ${input.reason}`,
          `Montant HT : ${formatMoney(note.totalExclVatCents)} — TTC : ${formatMoney(note.totalInclVatCents)}.`,
          '',
          'Vous trouverez en pièces jointes l’avoir PDF et sa version électronique (CII, EN 16931).',
        ].join('\n'),
        attachments: await attachmentsOf(deps.db, note.id, note.number),
      });
      return {
        id: note.id,
        number: note.number,
        issueDate: note.issueDate,
        totalExclVatCents: note.totalExclVatCents,
        totalInclVatCents: note.totalInclVatCents,
        alreadyIssued: result.alreadyIssued,
      };
    },
  };
}
