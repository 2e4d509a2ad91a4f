/**
 * The finance workspace's selection of invoices and credit notes: filtered by issue-date period,
 * client (a client admin's own company only), type and payment status, each document with its
 * payment status, and the totals of the whole selection (excl. VAT, VAT per rate, incl. VAT;
 * credit notes counted negative).
 */
import { DateTime } from 'luxon';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { listDocuments, selectionTotals, type DocumentSelection, type PaymentStatus } from '../../db/repositories/finance.repository.js';
import { HttpError } from '../errors.js';
import type { Principal } from '../routing.js';

export type DocumentType = 'invoice' | 'credit_note';

export interface SelectionQuery {
  from?: string | undefined;
  to?: string | undefined;
  clientId?: string | undefined;
  type?: DocumentType | undefined;
  status?: PaymentStatus | undefined;
}

/** Today in France: what "past its due date" is judged against. */
export const todayInFrance = (now: Date = new Date()): string => DateTime.fromJSDate(now).setZone('Europe/Paris').toISODate()!;

/** The company a client_admin may see; null for staff (every company). */
export function tenantOf(principal: Principal | null): string | null {
  return principal?.role === 'client_admin' ? (principal.clientId ?? '00000000-0000-0000-0000-000000000000') : null;
}

/** The client filter a caller may use: a client admin asking for another company is refused. */
export function scopedClient(principal: Principal | null, requested: string | undefined): string | undefined {
  const tenant = tenantOf(principal);
  if (tenant && requested && requested !== tenant) {
    throw new HttpError(403, 'forbidden', 'clientId: not your company', [{ field: 'clientId', message: 'not your company' }]);
  }
  return tenant ?? requested;
}

export const typeCodeOf = (type: DocumentType | undefined) => (type === 'invoice' ? 380 : type === 'credit_note' ? 381 : undefined);

export function selectionOf(principal: Principal | null, query: SelectionQuery, today: string): DocumentSelection {
  return {
    from: query.from,
    to: query.to,
    clientId: scopedClient(principal, query.clientId),
    typeCode: typeCodeOf(query.type),
    status: query.status,
    today,
  };
}

/** The status of one document: credit notes have none; an unpaid invoice is overdue after its due date. */
export function paymentStatusOf(doc: { typeCode: number; dueDate: string; paidOn: string | null }, today: string): PaymentStatus | null {
  if (doc.typeCode === 381) return null;
  if (doc.paidOn !== null) return 'paid';
  return doc.dueDate < today ? 'overdue' : 'unpaid';
}

/** At most this many documents are listed; the totals always cover the whole selection. */
export const LIST_LIMIT = 500;

export async function listSelection(db: Kysely<DB>, principal: Principal | null, query: SelectionQuery, today = todayInFrance()) {
  const selection = selectionOf(principal, query, today);
  const rows = await listDocuments(db, selection, LIST_LIMIT);
  const totals = await selectionTotals(db, selection);
  return {
    items: rows.map((r) => ({
      id: r.id,
      type: r.typeCode === 381 ? ('credit_note' as const) : ('invoice' as const),
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
      paymentStatus: paymentStatusOf(r, today),
      paidOn: r.paidOn,
    })),
    totals,
    truncated: totals.count > rows.length,
  };
}
