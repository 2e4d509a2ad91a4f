/**
 * Payment status of an invoice, recorded by finance: paid on a date, or unpaid again. Each change
 * is written to the audit log with the state before and after (beside the route's own entry), in
 * the same transaction. A credit note has no payment status.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import { deletePayment, findPayment, upsertPayment } from '../../db/repositories/finance.repository.js';
import { getInvoice } from '../../db/repositories/invoices.repository.js';
import { HttpError, notFound } from '../errors.js';
import type { Principal } from '../routing.js';
import { paymentStatusOf, todayInFrance } from './invoice-selection.js';

const invalid = (field: string, message: string) => new HttpError(400, 'validation_failed', `${field}: ${message}`, [{ field, message }]);

async function payableInvoice(db: Kysely<DB>, invoiceId: string) {
  const invoice = await getInvoice(db, invoiceId);
  if (!invoice) throw notFound(`invoice ${invoiceId}`);
  if (invoice.typeCode !== 380) {
    throw new HttpError(409, 'conflict', `id: ${invoice.number} is a credit note: only invoices are paid`, [
      { field: 'id', message: 'a credit note has no payment status' },
    ]);
  }
  return invoice;
}

const snapshot = (p: { paidOn: string; recordedByUserId: string | null; recordedAt: Date } | undefined) =>
  p ? { paidOn: p.paidOn, recordedByUserId: p.recordedByUserId, recordedAt: p.recordedAt.toISOString() } : null;

/** What the payment routes answer: the invoice's status after the change. */
function outcome(invoice: { id: string; number: string; dueDate: string }, paidOn: string | null, recordedAt: Date | null, today: string) {
  return {
    invoiceId: invoice.id,
    number: invoice.number,
    status: paymentStatusOf({ typeCode: 380, dueDate: invoice.dueDate, paidOn }, today)!,
    paidOn,
    recordedAt,
  };
}

export async function recordPayment(
  db: Kysely<DB>,
  principal: Principal | null,
  invoiceId: string,
  paidOn: string,
  today = todayInFrance(),
) {
  const invoice = await payableInvoice(db, invoiceId);
  if (paidOn < invoice.issueDate) throw invalid('paidOn', `must not be before the issue date ${invoice.issueDate}`);
  if (paidOn > today) throw invalid('paidOn', 'must not be in the future');
  const before = await findPayment(db, invoice.id);
  const after = await upsertPayment(db, {
    invoiceId: invoice.id,
    clientId: invoice.clientId,
    paidOn,
    recordedByUserId: principal?.userId ?? null,
  });
  await appendAudit(db, {
    actorUserId: principal?.userId ?? null,
    actorRole: principal?.role ?? null,
    action: 'invoice_payment_recorded',
    entityType: 'invoice',
    entityId: invoice.number,
    ip: null,
    userAgent: null,
    details: JSON.stringify({ before: snapshot(before), after: snapshot(after) }),
  });
  return outcome(invoice, after.paidOn, after.recordedAt, today);
}

export async function withdrawPayment(db: Kysely<DB>, principal: Principal | null, invoiceId: string, today = todayInFrance()) {
  const invoice = await payableInvoice(db, invoiceId);
  const removed = await deletePayment(db, invoice.id);
  if (removed) {
    await appendAudit(db, {
      actorUserId: principal?.userId ?? null,
      actorRole: principal?.role ?? null,
      action: 'invoice_payment_withdrawn',
      entityType: 'invoice',
      entityId: invoice.number,
      ip: null,
      userAgent: null,
      details: JSON.stringify({ before: snapshot(removed), after: null }),
    });
  }
  return outcome(invoice, null, null, today);
}

/** The payment part of a document's detail. */
export async function paymentOf(db: Kysely<DB>, invoice: { id: string; typeCode: number; dueDate: string }, today = todayInFrance()) {
  if (invoice.typeCode !== 380) return null;
  const payment = await findPayment(db, invoice.id);
  return {
    status: paymentStatusOf({ typeCode: 380, dueDate: invoice.dueDate, paidOn: payment?.paidOn ?? null }, today)!,
    paidOn: payment?.paidOn ?? null,
    recordedAt: payment?.recordedAt ?? null,
  };
}
