/**
 * A credit note as a durable command: issue it (gapless AV- number, PDF and CII XML in one
 * transaction) and email it to finance, exactly once, however often the worker crashes or the
 * client retries. One activity does both, idempotent by the workflow id.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { CreditNoteFailure, type CreditNoteActivities, type CreditNoteInput, type IssuedCreditNote } from './credit-note.contract.js';

/** Transient failures (database, SMTP) are retried with backoff; business refusals are not. */
const billing = proxyActivities<CreditNoteActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [CreditNoteFailure.UnknownInvoice, CreditNoteFailure.InvalidCredit],
  },
});

export async function creditNoteWorkflow(input: CreditNoteInput): Promise<IssuedCreditNote> {
  return billing.issueCreditNote({ ...input, workflowId: workflowInfo().workflowId });
}
