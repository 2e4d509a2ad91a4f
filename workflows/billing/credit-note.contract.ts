/**
 * Issuing a credit note (type 381) against an invoice, as a Temporal command: names and types
 * shared by the workflow, its activity, the API that starts it and the tests. No runtime imports.
 */

/** What the credit note takes back: some lines (all of a line when amountCents is absent), or 'all'. */
export type CreditNoteLines = readonly { lineId: number; amountCents?: number }[] | 'all';

export interface CreditNoteInput {
  invoiceId: string;
  lines: CreditNoteLines;
  /** Why the invoice is corrected; printed on the credit note and carried in the XML (BT-22). */
  reason: string;
}

/** The activity's input: the workflow id is the idempotency key of the document and its email. */
export interface IssueCreditNoteInput extends CreditNoteInput {
  workflowId: string;
}

export interface IssuedCreditNote {
  id: string;
  /** Gapless AV-YYYY-NNNNNN. */
  number: string;
  issueDate: string;
  totalExclVatCents: number;
  totalInclVatCents: number;
  /** true when the activity found the note already issued (a retry after a crash). */
  alreadyIssued: boolean;
}

/** The activity the credit-note workflow proxies (implemented in activities/billing/). */
export interface CreditNoteActivities {
  issueCreditNote(input: IssueCreditNoteInput): Promise<IssuedCreditNote>;
}

/** ApplicationFailure types of business refusals: not retried, mapped to 4xx by the API. */
export const CreditNoteFailure = {
  UnknownInvoice: 'UnknownInvoice',
  InvalidCredit: 'InvalidCredit',
} as const;
export type CreditNoteFailureType = (typeof CreditNoteFailure)[keyof typeof CreditNoteFailure];

/** Details of an InvalidCredit failure: which request field is wrong. */
export interface CreditNoteFailureDetails {
  field: 'invoiceId' | 'lines';
}

export const CREDIT_NOTE_WORKFLOW_TYPE = 'creditNoteWorkflow';

/**
 * One workflow per invoice and client-supplied idempotency key: a repeated request (same key)
 * finds the same workflow and so the same credit note; the same key on another invoice is
 * another credit note.
 */
export function creditNoteWorkflowId(invoiceId: string, idempotencyKey: string): string {
  return `credit-note:${invoiceId}:${idempotencyKey}`;
}
