/**
 * Writes of the intervention lifecycle beyond status changes: timeline entries, request fields,
 * assignments, site visits, parts, reports and survey answers. Each insert carries an
 * idempotency key backed by a unique constraint, so a retried activity writes once.
 */
import type { ActorType, RequestStatus } from '../schema/enums.js';
import type { ServiceRequestRowUpdate } from '../schema/requests.table.js';
import type { Executor } from '../executor.js';

export async function requestIdOf(db: Executor, workflowId: string): Promise<string> {
  const row = await db.selectFrom('serviceRequests').select('id').where('workflowId', '=', workflowId).executeTakeFirstOrThrow();
  return row.id;
}

export interface TimelineEntry {
  workflowId: string;
  kind: string;
  actorType: ActorType;
  actorId?: string | null;
  message?: string | null;
  payload?: Record<string, unknown>;
  /** The entry's facts as data (see TimelineDetails in the workflow contract). */
  details?: Record<string, unknown> | null;
  idempotencyKey: string;
}

/** A timeline row of a request: what every entry writes, status change or not. */
export interface RequestEventRow {
  kind: string;
  fromStatus?: RequestStatus | null;
  toStatus?: RequestStatus | null;
  actorType: ActorType;
  actorId?: string | null;
  message?: string | null;
  payload?: Record<string, unknown>;
  details?: Record<string, unknown> | null;
  idempotencyKey: string;
}

/** The one insert of request_events: at most once per idempotency key; false when the key exists. */
export async function insertRequestEvent(db: Executor, requestId: string, e: RequestEventRow): Promise<boolean> {
  const row = await db
    .insertInto('requestEvents')
    .values({
      requestId,
      kind: e.kind,
      ...(e.fromStatus !== undefined ? { fromStatus: e.fromStatus } : {}),
      ...(e.toStatus !== undefined ? { toStatus: e.toStatus } : {}),
      actorType: e.actorType,
      actorId: e.actorId ?? null,
      message: e.message ?? null,
      payload: JSON.stringify(e.payload ?? {}),
      details: e.details ? JSON.stringify(e.details) : null,
      idempotencyKey: e.idempotencyKey,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Appends a timeline entry that does not change the status; false when the key exists. */
export async function appendEvent(db: Executor, e: TimelineEntry): Promise<boolean> {
  const { workflowId, ...entry } = e;
  return insertRequestEvent(db, await requestIdOf(db, workflowId), entry);
}

export interface RemoteSessionEntry {
  workflowId: string;
  actorType: ActorType;
  userId: string | null;
  minutes: number;
  /** ISO instant of the proposal. */
  performedAt: string;
  idempotencyKey: string;
}

/**
 * Stores the time of a remote resolution; false when the key exists (a retry). The user is kept
 * only if the account still exists: the time is billable whoever did it.
 */
export async function recordRemoteSession(db: Executor, s: RemoteSessionEntry): Promise<boolean> {
  const requestId = await requestIdOf(db, s.workflowId);
  const user = s.userId ? await db.selectFrom('users').select('id').where('id', '=', s.userId).executeTakeFirst() : undefined;
  const row = await db
    .insertInto('remoteSessions')
    .values({
      requestId,
      actorType: s.actorType,
      userId: user?.id ?? null,
      minutes: s.minutes,
      performedAt: s.performedAt,
      idempotencyKey: s.idempotencyKey,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Sets fields of the read model (priority, level, deadlines…): idempotent by nature. */
export async function updateRequestFields(db: Executor, workflowId: string, fields: ServiceRequestRowUpdate) {
  await db
    .updateTable('serviceRequests')
    .set({ ...fields, updatedAt: new Date() })
    .where('workflowId', '=', workflowId)
    .execute();
}
