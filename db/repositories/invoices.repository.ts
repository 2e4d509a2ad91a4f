import { sql, type Kysely, type Transaction } from 'kysely';
import type { InvoiceRow, InvoicesTable } from '../schema/billing.table.js';
import type { DB } from '../schema/index.js';
import type { Insertable } from 'kysely';
import type { Executor } from '../executor.js';
import { partUnderWarranty } from './assets.repository.js';

/**
 * Takes the next number of a series for a year. The counter row is upserted and incremented in
 * one statement inside the caller's transaction: the row lock is held until that transaction
 * ends, so concurrent issuers queue up and get consecutive numbers, and a rollback hands the
 * number back. That is what makes the series gapless (a sequence would not be).
 */
export async function takeNextNumber(trx: Transaction<DB>, series: 'FA' | 'AV', year: number): Promise<number> {
  const row = await trx
    .insertInto('invoiceCounters')
    .values({ series, year, lastValue: 1 })
    .onConflict((oc) => oc.columns(['series', 'year']).doUpdateSet({ lastValue: sql`invoice_counters.last_value + 1` }))
    .returning('lastValue')
    .executeTakeFirstOrThrow();
  return row.lastValue;
}

export function formatNumber(series: 'FA' | 'AV', year: number, sequence: number): string {
  return `${series}-${year}-${String(sequence).padStart(6, '0')}`;
}

export async function insertInvoice(trx: Transaction<DB>, row: Insertable<InvoicesTable>): Promise<InvoiceRow> {
  return trx.insertInto('invoices').values(row).returningAll().executeTakeFirstOrThrow();
}

const summaryColumns = [
  'id',
  'typeCode',
  'number',
  'requestId',
  'ticketNumber',
  'creditedInvoiceId',
  'clientId',
  'contractId',
  'issueDate',
  'dueDate',
  'deliveryDate',
  'currency',
  'buyer',
  'vatBreakdown',
  'totalExclVatCents',
  'totalVatCents',
  'totalInclVatCents',
  'reason',
  'createdAt',
] as const;

export async function findInvoiceForRequest(db: Executor, requestId: string) {
  return db.selectFrom('invoices').select(summaryColumns).where('requestId', '=', requestId).where('typeCode', '=', 380).executeTakeFirst();
}

export async function findByIdempotencyKey(db: Executor, key: string) {
  return db.selectFrom('invoices').select(summaryColumns).where('idempotencyKey', '=', key).executeTakeFirst();
}

export async function getInvoice(db: Executor, id: string) {
  return db
    .selectFrom('invoices')
    .select([...summaryColumns, 'lines', 'seller'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Locks an invoice row (FOR UPDATE does not fire the immutability trigger) to serialise credits. */
export async function lockInvoice(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('invoices')
    .select([...summaryColumns, 'lines', 'seller'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function getDocumentBytes(db: Executor, id: string, kind: 'pdf' | 'xml') {
  return db
    .selectFrom('invoices')
    .select(['number', 'clientId', kind === 'pdf' ? 'pdf as bytes' : 'xml as bytes'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function creditNotesOf(db: Executor, invoiceId: string) {
  return db
    .selectFrom('invoices')
    .select(['id', 'number', 'lines', 'totalInclVatCents', 'issueDate'])
    .where('creditedInvoiceId', '=', invoiceId)
    .orderBy('sequence')
    .execute();
}

export interface InvoiceFilters {
  from?: string | undefined;
  to?: string | undefined;
  clientId?: string | undefined;
  typeCode?: 380 | 381 | undefined;
  limit?: number;
}

/** Issued documents, newest first, filtered by issue-date period (inclusive), client and type. */
export async function listInvoices(db: Executor, filters: InvoiceFilters) {
  return db
    .selectFrom('invoices')
    .select(summaryColumns)
    .$if(filters.from !== undefined, (q) => q.where('issueDate', '>=', filters.from!))
    .$if(filters.to !== undefined, (q) => q.where('issueDate', '<=', filters.to!))
    .$if(filters.clientId !== undefined, (q) => q.where('clientId', '=', filters.clientId!))
    .$if(filters.typeCode !== undefined, (q) => q.where('typeCode', '=', filters.typeCode!))
    .orderBy('issueDate', 'desc')
    .orderBy('number', 'desc')
    .limit(filters.limit ?? 500)
    .execute();
}

/** Minutes of a contract's monthly allowance consumed by invoices for services in that month. */
export async function includedMinutesUsed(db: Executor, contractId: string, monthStart: string, monthEnd: string): Promise<number> {
  const row = await db
    .selectFrom('invoices')
    .select(sql<number>`coalesce(sum(included_minutes_used), 0)::int`.as('used'))
    .where('contractId', '=', contractId)
    .where('typeCode', '=', 380)
    .where('deliveryDate', '>=', monthStart)
    .where('deliveryDate', '<', monthEnd)
    .executeTakeFirstOrThrow();
  return row.used;
}

/** Everything billing reads about one intervention. */
export async function loadInterventionForBilling(db: Executor, requestId: string) {
  const request = await db
    .selectFrom('serviceRequests as r')
    .innerJoin('clients as c', 'c.id', 'r.clientId')
    .innerJoin('clientLocations as l', 'l.id', 'r.locationId')
    .leftJoin('contracts as k', 'k.id', 'r.contractId')
    .leftJoin('contractBillingTerms as t', 't.contractId', 'r.contractId')
    .select([
      'r.id',
      'r.workflowId',
      'r.ticketNumber',
      'r.status',
      'r.clientId',
      'r.contractId',
      'c.companyName',
      'c.legalName',
      'c.siren',
      'c.siret',
      'c.vatNumber',
      'c.addressLine1',
      'c.postalCode',
      'c.city',
      'c.country',
      'c.preferences',
      'l.addressLine1 as siteAddressLine1',
      'l.postalCode as sitePostalCode',
      'l.city as siteCity',
      'k.reference as contractReference',
      'k.kind as contractKind',
      'k.timezone as contractTimezone',
      'k.hourlyRateCents',
      'k.travelFeeCents',
      'k.includedHoursPerMonth',
      't.roundingIncrementMinutes',
      't.minimumBilledMinutes',
      't.rateN1Cents',
      't.rateN2Cents',
      't.rateN3Cents',
      't.travelMode',
      't.travelPerKmCents',
      't.partsDiscountBasisPoints',
      't.labourVatBasisPoints',
      't.travelVatBasisPoints',
      't.paymentTermsDays',
      't.remoteSupportBilling',
      't.remoteSupportRateCents',
    ])
    .where('r.id', '=', requestId)
    .executeTakeFirst();
  if (!request) return null;
  const visits = await db
    .selectFrom('siteVisits as v')
    .innerJoin('technicians as tech', 'tech.id', 'v.technicianId')
    .select(['v.id', 'v.mode', 'v.checkedInAt', 'v.checkedOutAt', 'v.travelKm', 'tech.level'])
    .where('v.requestId', '=', requestId)
    .orderBy('v.checkedInAt')
    .execute();
  // Under warranty: said so by the technician, or used within the asset's warranty (assets.repository).
  const parts = await db
    .selectFrom('partsUsed as p')
    .innerJoin('partsCatalogue as cat', 'cat.sku', 'p.sku')
    .innerJoin('serviceRequests as sr', 'sr.id', 'p.requestId')
    .leftJoin('assets as a', 'a.id', 'sr.assetId')
    .select(['p.id', 'p.sku', 'cat.label', 'p.quantity', 'cat.unitPriceCents', 'cat.vatRateBasisPoints'])
    .select(partUnderWarranty.as('underWarranty'))
    .where('p.requestId', '=', requestId)
    .orderBy('p.createdAt')
    .orderBy('p.id')
    .execute();
  const remoteSessions = await db
    .selectFrom('remoteSessions')
    .select(['id', 'minutes', 'performedAt'])
    .where('requestId', '=', requestId)
    .orderBy('performedAt')
    .orderBy('id')
    .execute();
  return { request, visits, parts, remoteSessions };
}

export type InterventionForBilling = NonNullable<Awaited<ReturnType<typeof loadInterventionForBilling>>>;

/** Both documents of an invoice or credit note: the PDF (Factur-X) and the XML. */
export async function getDocuments(db: Executor, id: string) {
  return db.selectFrom('invoices').select(['pdf', 'xml']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** The invoice a credit note credits: its number and request. */
export async function findCreditedInvoice(db: Executor, creditNoteId: string) {
  return db
    .selectFrom('invoices as note')
    .innerJoin('invoices as invoice', 'invoice.id', 'note.creditedInvoiceId')
    .select(['invoice.number', 'invoice.requestId'])
    .where('note.id', '=', creditNoteId)
    .executeTakeFirstOrThrow();
}

/**
 * Serialises every issuer (invoices and credit notes) for the rest of the transaction, BEFORE
 * the issue date is read: numbers and dates are then assigned in the same order, so a series
 * stays chronological even across midnight or New Year.
 */
export async function lockInvoiceNumbering(trx: Transaction<DB>) {
  await sql`select pg_advisory_xact_lock(hashtext('invoice-numbering'))`.execute(trx);
}

/**
 * Runs `fn` all-or-nothing. The API calls in with its request's transaction (row-level security
 * scope), where Kysely cannot open another one: a savepoint gives the same atomicity there, and
 * rolling back to it keeps the request's transaction usable after a unique-key race.
 */
export async function atomically<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (!db.isTransaction) return db.transaction().execute(fn);
  await sql`savepoint invoicing`.execute(db);
  try {
    const result = await fn(db as Transaction<DB>);
    await sql`release savepoint invoicing`.execute(db);
    return result;
  } catch (err) {
    await sql`rollback to savepoint invoicing`.execute(db);
    throw err;
  }
}

/** The request to bill, locked for the rest of the transaction (one invoice per intervention). */
export async function lockRequestForBilling(trx: Transaction<DB>, requestId: string) {
  return trx.selectFrom('serviceRequests').select(['id', 'workflowId']).where('id', '=', requestId).forUpdate().executeTakeFirst();
}

/** The client's language for its documents (French unless it chose English). */
export async function findClientLanguage(db: Executor, clientId: string): Promise<'fr' | 'en'> {
  const client = await db.selectFrom('clients').select('preferences').where('id', '=', clientId).executeTakeFirst();
  return client?.preferences.language === 'en' ? 'en' : 'fr';
}
