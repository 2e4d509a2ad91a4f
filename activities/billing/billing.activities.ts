/**
 * The billing stage of an intervention: issue its invoice exactly once, then send the PDF and
 * the e-invoice (CII XML) to finance. A retry, a worker crash after the commit, or a duplicate
 * call finds the stored invoice and (re)sends the same email under the same idempotency key,
 * which the mailer turns into a no-op when it was already sent.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import type { Mailer } from '../notifications/mailer.js';
import type { BillingActivities, IssueInvoiceInput, IssuedInvoice } from './billing.contract.js';
import { InvoicingError, issueInterventionInvoice } from './invoicing.js';
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

export function createBillingActivities(deps: BillingDeps): BillingActivities {
  return {
    async issueInvoice(input: IssueInvoiceInput): Promise<IssuedInvoice> {
      let result;
      try {
        result = await issueInterventionInvoice(deps, { requestId: input.requestId, workflowId: input.workflowId });
      } catch (err) {
        if (err instanceof InvoicingError) {
          throw ApplicationFailure.nonRetryable(err.message, err.code === 'not_found' ? BillingFailure.UnknownRequest : BillingFailure.NotBillable);
        }
        throw err;
      }
      const { invoice } = result;
      const files = await deps.db.selectFrom('invoices').select(['pdf', 'xml']).where('id', '=', invoice.id).executeTakeFirstOrThrow();
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
        attachments: [
          { filename: `${invoice.number}.pdf`, contentType: 'application/pdf', content: files.pdf },
          { filename: `${invoice.number}.xml`, contentType: 'application/xml', content: files.xml },
        ],
      });
      return {
        invoiceId: invoice.id,
        number: invoice.number,
        totalExclVatCents: invoice.totalExclVatCents,
        totalInclVatCents: invoice.totalInclVatCents,
        alreadyIssued: result.alreadyIssued,
      };
    },
  };
}
