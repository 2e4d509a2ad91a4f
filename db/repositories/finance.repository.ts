/**
 * What the finance workspace reads and writes beside the issued documents: the selection of
 * invoices and credit notes with their payment status and totals, payments recorded by finance,
 * the accounting settings of the FEC export, and the documents a contract's consumption is read
 * from. Issued documents themselves stay immutable (invoices.repository.ts).
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DB } from '../schema/index.js';
import type { Executor } from '../executor.js';

/** Payment status of an invoice; credit notes have none. `overdue`: unpaid past its due date. */
export type PaymentStatus = 'unpaid' | 'paid' | 'overdue';

export interface DocumentSelection {
  from?: string | undefined;
  to?: string | undefined;
  clientId?: string | undefined;
  typeCode?: 380 | 381 | undefined;
  status?: PaymentStatus | undefined;
  /** The calendar date overdue is judged against (YYYY-MM-DD, Europe/Paris). */
  today: string;
}

type Scope = ExpressionBuilder<DB & { p: DB['invoicePayments'] }, 'invoices' | 'p'>;

/** The WHERE of a selection, shared by the list, its totals and the exports. */
function selected(s: DocumentSelection) {
  return (eb: Scope): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [];
    if (s.from !== undefined) conditions.push(eb('invoices.issueDate', '>=', s.from));
    if (s.to !== undefined) conditions.push(eb('invoices.issueDate', '<=', s.to));
    if (s.clientId !== undefined) conditions.push(eb('invoices.clientId', '=', s.clientId));
    if (s.typeCode !== undefined) conditions.push(eb('invoices.typeCode', '=', s.typeCode));
    if (s.status === 'paid') conditions.push(eb('p.invoiceId', 'is not', null));
    if (s.status === 'unpaid' || s.status === 'overdue') {
      conditions.push(eb('invoices.typeCode', '=', 380), eb('p.invoiceId', 'is', null));
      conditions.push(eb('invoices.dueDate', s.status === 'unpaid' ? '>=' : '<', s.today));
    }
    return eb.and(conditions);
  };
}

function selectionQuery(db: Executor, s: DocumentSelection) {
  return db.selectFrom('invoices').leftJoin('invoicePayments as p', 'p.invoiceId', 'invoices.id').where(selected(s));
}

/** The selected documents, newest first, each with its payment (if recorded). */
export async function listDocuments(db: Executor, s: DocumentSelection, limit = 500) {
  return selectionQuery(db, s)
    .select([
      'invoices.id',
      'invoices.typeCode',
      'invoices.number',
      'invoices.issueDate',
      'invoices.dueDate',
      'invoices.clientId',
      'invoices.buyer',
      'invoices.ticketNumber',
      'invoices.creditedInvoiceId',
      'invoices.vatBreakdown',
      'invoices.totalExclVatCents',
      'invoices.totalVatCents',
      'invoices.totalInclVatCents',
      'invoices.currency',
      'p.paidOn',
    ])
    .orderBy('invoices.issueDate', 'desc')
    .orderBy('invoices.number', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Totals of the whole selection (not only the listed page), credit notes counted negative:
 * excl. VAT, VAT per rate (from each document's breakdown), incl. VAT, and the count.
 */
export async function selectionTotals(db: Executor, s: DocumentSelection) {
  const sign = sql<number>`case when invoices.type_code = 381 then -1 else 1 end`;
  const totals = await selectionQuery(db, s)
    .select([
      sql<number>`count(*)::int`.as('count'),
      sql<number>`coalesce(sum(${sign} * invoices.total_excl_vat_cents), 0)::bigint`.as('totalExclVatCents'),
      sql<number>`coalesce(sum(${sign} * invoices.total_vat_cents), 0)::bigint`.as('totalVatCents'),
      sql<number>`coalesce(sum(${sign} * invoices.total_incl_vat_cents), 0)::bigint`.as('totalInclVatCents'),
    ])
    .executeTakeFirstOrThrow();
  const perRate = await selectionQuery(db, s)
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom(
            sql<{
              value: { vatRateBasisPoints: number; basisCents: number; vatCents: number };
            }>`jsonb_array_elements(invoices.vat_breakdown)`.as('v'),
          )
          .select(sql<unknown>`v.value`.as('value'))
          .as('vat'),
      (join) => join.onTrue(),
    )
    .select([
      sql<number>`(vat.value->>'vatRateBasisPoints')::int`.as('vatRateBasisPoints'),
      sql<number>`sum(${sign} * (vat.value->>'basisCents')::bigint)::bigint`.as('basisCents'),
      sql<number>`sum(${sign} * (vat.value->>'vatCents')::bigint)::bigint`.as('vatCents'),
    ])
    .groupBy(sql`(vat.value->>'vatRateBasisPoints')::int`)
    .orderBy(sql`(vat.value->>'vatRateBasisPoints')::int`, 'desc')
    .execute();
  return { ...totals, vatByRate: perRate };
}

/** The payment recorded for an invoice, if any. */
export async function findPayment(db: Executor, invoiceId: string) {
  return db
    .selectFrom('invoicePayments')
    .select(['invoiceId', 'paidOn', 'recordedByUserId', 'recordedAt'])
    .where('invoiceId', '=', invoiceId)
    .executeTakeFirst();
}

/** Records (or moves) the payment date of an invoice; the client is the invoice's. */
export async function upsertPayment(
  db: Executor,
  payment: { invoiceId: string; clientId: string; paidOn: string; recordedByUserId: string | null },
) {
  return db
    .insertInto('invoicePayments')
    .values(payment)
    .onConflict((oc) =>
      oc.column('invoiceId').doUpdateSet({ paidOn: payment.paidOn, recordedByUserId: payment.recordedByUserId, recordedAt: sql`now()` }),
    )
    .returning(['invoiceId', 'paidOn', 'recordedByUserId', 'recordedAt'])
    .executeTakeFirstOrThrow();
}

/** Withdraws a recorded payment (the invoice is unpaid again); returns what was removed. */
export async function deletePayment(db: Executor, invoiceId: string) {
  return db
    .deleteFrom('invoicePayments')
    .where('invoiceId', '=', invoiceId)
    .returning(['invoiceId', 'paidOn', 'recordedByUserId', 'recordedAt'])
    .executeTakeFirst();
}

/** The stored accounting settings (JSON, validated by the caller), or undefined before the first save. */
export async function findAccountingSettings(db: Executor) {
  return db.selectFrom('accountingSettings').select(['settings', 'updatedByUserId', 'updatedAt']).executeTakeFirst();
}

export async function saveAccountingSettings(db: Executor, settings: unknown, updatedByUserId: string | null) {
  const json = JSON.stringify(settings);
  return db
    .insertInto('accountingSettings')
    .values({ id: true, settings: json, updatedByUserId })
    .onConflict((oc) => oc.column('id').doUpdateSet({ settings: json, updatedByUserId, updatedAt: sql`now()` }))
    .returning(['settings', 'updatedByUserId', 'updatedAt'])
    .executeTakeFirstOrThrow();
}

/** The documents of a period (issue date, inclusive) as the FEC reads them, in journal order. */
export async function documentsForJournal(db: Executor, from: string, to: string) {
  return db
    .selectFrom('invoices')
    .select([
      'id',
      'typeCode',
      'number',
      'issueDate',
      'clientId',
      'buyer',
      'seller',
      'lines',
      'vatBreakdown',
      'totalExclVatCents',
      'totalInclVatCents',
    ])
    .where('issueDate', '>=', from)
    .where('issueDate', '<=', to)
    .orderBy('issueDate')
    .orderBy('number')
    .execute();
}

/** Contracts in force at some point of [from, to] (dates inclusive), with their client's name. */
export async function contractsInForce(db: Executor, from: string, to: string, clientId?: string) {
  return db
    .selectFrom('contracts as k')
    .innerJoin('clients as c', 'c.id', 'k.clientId')
    .select(['k.id', 'k.reference', 'k.name', 'k.kind', 'k.clientId', 'c.companyName', 'k.includedHoursPerMonth', 'k.startsOn', 'k.endsOn'])
    .where('k.startsOn', '<=', to)
    .where((eb) => eb.or([eb('k.endsOn', 'is', null), eb('k.endsOn', '>=', from)]))
    .$if(clientId !== undefined, (q) => q.where('k.clientId', '=', clientId!))
    .orderBy('c.companyName')
    .orderBy('k.reference')
    .execute();
}

/** Invoices and credit notes of these contracts for services delivered in [from, to]. */
export async function contractDocuments(db: Executor, contractIds: readonly string[], from: string, to: string) {
  if (contractIds.length === 0) return [];
  return db
    .selectFrom('invoices')
    .select(['contractId', 'typeCode', 'deliveryDate', 'includedMinutesUsed', 'totalExclVatCents', 'lines'])
    .where('contractId', 'in', contractIds)
    .where('deliveryDate', '>=', from)
    .where('deliveryDate', '<=', to)
    .execute();
}
