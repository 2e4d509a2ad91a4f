import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema/index.js';
import type { ActorType, ClientStatus, RequestStatus } from '../schema/enums.js';
import type { NewServiceRequestRow } from '../schema/requests.table.js';
import type { Executor } from '../executor.js';
import { insertRequestEvent } from './lifecycle.repository.js';

/**
 * Takes the next ticket number (INT-2026-000123) from a sequence: no lock, never repeated, so
 * concurrent intakes in their own transactions do not wait for each other. The account that takes
 * it is recorded as its submitter (ticket_submitters, migration 0145): the caller that the API's
 * scoped transaction names, for the right of access.
 */
export async function allocateTicketNumber(db: Executor, year: number): Promise<string> {
  const { rows } = await sql<{ n: number }>`select nextval('ticket_number_seq') as n`.execute(db);
  const ticketNumber = `INT-${year}-${String(rows[0]!.n).padStart(6, '0')}`;
  await db.insertInto('ticketSubmitters').values({ ticketNumber }).execute();
  return ticketNumber;
}

/** Inserts the request once; a retry with the same workflow id returns the existing row's id. */
export async function insertRequestOnce(db: Executor, row: NewServiceRequestRow): Promise<string> {
  const inserted = await db
    .insertInto('serviceRequests')
    .values(row)
    .onConflict((oc) => oc.column('workflowId').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const existing = await db.selectFrom('serviceRequests').select('id').where('workflowId', '=', row.workflowId).executeTakeFirstOrThrow();
  return existing.id;
}

export interface TransitionRecord {
  workflowId: string;
  kind: string;
  from: RequestStatus | null;
  to: RequestStatus;
  clientStatus: ClientStatus;
  actorType: ActorType;
  actorId?: string | null;
  message?: string | null;
  payload?: Record<string, unknown>;
  /** The entry's facts as data (see TimelineDetails in the workflow contract). */
  details?: Record<string, unknown> | null;
  idempotencyKey: string;
}

/**
 * Writes a timeline entry and moves the read model, in one transaction, at most once per
 * idempotency key: a second call with the same key changes nothing and returns false.
 */
export async function recordTransition(db: Kysely<DB>, t: TransitionRecord): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const request = await trx
      .selectFrom('serviceRequests')
      .select(['id'])
      .where('workflowId', '=', t.workflowId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const inserted = await insertRequestEvent(trx, request.id, {
      kind: t.kind,
      fromStatus: t.from,
      toStatus: t.to,
      actorType: t.actorType,
      actorId: t.actorId,
      message: t.message,
      payload: t.payload,
      details: t.details,
      idempotencyKey: t.idempotencyKey,
    });
    if (!inserted) return false;
    const now = new Date();
    await trx
      .updateTable('serviceRequests')
      .set({
        status: t.to,
        clientStatus: t.clientStatus,
        updatedAt: now,
        ...(t.to === 'analysis' ? { acknowledgedAt: sql<Date>`coalesce(acknowledged_at, now())` } : {}),
        ...(t.to === 'validated' ? { resolvedAt: now } : {}),
        ...(t.to === 'closed' ? { closedAt: now } : {}),
        ...(t.to === 'cancelled' ? { cancelledAt: now, closedAt: now } : {}),
      })
      .where('id', '=', request.id)
      .execute();
    return true;
  });
}

export interface RequestListFilter {
  clientId?: string;
  status?: RequestStatus;
  priority?: string;
  limit?: number;
  offset?: number;
}

export async function listRequests(db: Executor, filter: RequestListFilter) {
  return db
    .selectFrom('serviceRequests as r')
    .innerJoin('clients as c', 'c.id', 'r.clientId')
    .innerJoin('clientLocations as l', 'l.id', 'r.locationId')
    .select([
      'r.id',
      'r.ticketNumber',
      'r.workflowId',
      'r.clientId',
      'c.companyName',
      'l.name as locationName',
      'l.city',
      'r.serviceType',
      'r.title',
      'r.priority',
      'r.status',
      'r.clientStatus',
      'r.responseDueAt',
      'r.resolutionDueAt',
      'r.createdAt',
      'r.updatedAt',
    ])
    .$if(filter.clientId !== undefined, (qb) => qb.where('r.clientId', '=', filter.clientId!))
    .$if(filter.status !== undefined, (qb) => qb.where('r.status', '=', filter.status!))
    .$if(filter.priority !== undefined, (qb) => qb.where('r.priority', '=', filter.priority as 'P1'))
    .orderBy('r.createdAt', 'desc')
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0)
    .execute();
}

export async function findRequestByTicket(db: Executor, ticketNumber: string) {
  return db.selectFrom('serviceRequests').selectAll().where('ticketNumber', '=', ticketNumber).executeTakeFirst();
}

/** The latest intervention report (a rework yields a new one): what the client is asked to validate. */
export async function findLatestReport(db: Executor, requestId: string) {
  return db
    .selectFrom('interventionReports')
    .select(['summary', 'recommendations', 'createdAt'])
    .where('requestId', '=', requestId)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listRequestEvents(db: Executor, requestId: string) {
  return db
    .selectFrom('requestEvents')
    .select(['id', 'kind', 'fromStatus', 'toStatus', 'actorType', 'actorId', 'message', 'payload', 'details', 'createdAt'])
    .where('requestId', '=', requestId)
    .orderBy('id', 'asc')
    .execute();
}

/** What an email about the request needs: ticket, title, the contact's address, the client's language. */
export async function findNotificationContext(db: Executor, workflowId: string) {
  return db
    .selectFrom('serviceRequests as r')
    .innerJoin('clients as c', 'c.id', 'r.clientId')
    .leftJoin('clientContacts as cc', 'cc.id', 'r.requesterContactId')
    .select(['r.id', 'r.ticketNumber', 'r.title', 'r.contactDetails', 'c.preferences', 'cc.email as contactEmail'])
    .where('r.workflowId', '=', workflowId)
    .executeTakeFirstOrThrow();
}

/** Ticket numbers among these that have their request row, with its status (the load benchmark's check). */
export async function findTicketStatuses(db: Executor, ticketNumbers: readonly string[]) {
  if (ticketNumbers.length === 0) return [];
  return db.selectFrom('serviceRequests').select(['ticketNumber', 'status']).where('ticketNumber', 'in', ticketNumbers).execute();
}
