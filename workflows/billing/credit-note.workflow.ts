/**
 * A credit note as a durable command: issue it (gapless AV- number, PDF and CII XML in one
 * transaction) and email it to finance, exactly once, however often the worker crashes or the
 * client retries. One activity does both, idempotent by the workflow id.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { DURABLE_WRITE_RETRY, DURABLE_WRITE_SCHEDULE_TO_CLOSE, withPermanentFailures } from '../activity-retry.contract.js';
import { CreditNoteFailure, type CreditNoteActivities, type CreditNoteInput, type IssuedCreditNote } from './credit-note.contract.js';

/**
 * Transient failures (database, SMTP) are retried with backoff for at most seven days; business
 * refusals and errors no retry can fix are not (see activity-retry.contract.ts).
 */
const billing = proxyActivities<CreditNoteActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: DURABLE_WRITE_SCHEDULE_TO_CLOSE,
  retry: withPermanentFailures({
    ...DURABLE_WRITE_RETRY,
    nonRetryableErrorTypes: [CreditNoteFailure.UnknownInvoice, CreditNoteFailure.InvalidCredit],
  }),
});

export async function creditNoteWorkflow(input: CreditNoteInput): Promise<IssuedCreditNote> {
  return billing.issueCreditNote({ ...input, workflowId: workflowInfo().workflowId });
}
