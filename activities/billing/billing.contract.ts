/**
 * What the intervention workflow asks of billing, agreed before either side is built:
 * one invoice per intervention, issued once the client has accepted the work.
 */
export interface IssueInvoiceInput {
  workflowId: string;
  requestId: string;
  ticketNumber: string;
}

export interface IssuedInvoice {
  invoiceId: string;
  /** Sequential legal number, e.g. FA-2026-000042. */
  number: string;
  totalExclVatCents: number;
  totalInclVatCents: number;
  /** true when this call found the invoice already issued (retry, replay, duplicate signal). */
  alreadyIssued: boolean;
}

/** The activities billing registers on the worker; the workflow proxies this interface. */
export interface BillingActivities {
  issueInvoice(input: IssueInvoiceInput): Promise<IssuedInvoice>;
}
