/**
 * Calendar invites and feeds: the SEQUENCE of each visit's event, the plan route an invite reads
 * its leg from, and the technicians' feed tokens (only their SHA-256 is stored).
 */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { LIVE_ASSIGNMENT_STATUSES } from './assignments.repository.js';

/**
 * Raises the visit's SEQUENCE for one invite message and returns it; a retry with the same key
 * (the message's idempotency key) gets the same number back.
 */
export async function raiseVisitSequence(db: Executor, requestId: string, key: string): Promise<number> {
  const raised = await db
    .insertInto('visitInvites')
    .values({ requestId, sequence: 0, lastKey: key })
    .onConflict((oc) =>
      oc
        .column('requestId')
        .doUpdateSet({ sequence: sql`visit_invites.sequence + 1`, lastKey: key, updatedAt: new Date() })
        .where('visitInvites.lastKey', '<>', key),
    )
    .returning('sequence')
    .executeTakeFirst();
  if (raised) return raised.sequence;
  const row = await db.selectFrom('visitInvites').select('sequence').where('requestId', '=', requestId).executeTakeFirstOrThrow();
  return row.sequence;
}

/** The newest stored plans of a day (newest first): the invite looks for its visit's route there. */
export async function listRecentPlansOfDay(db: Executor, date: string, limit = 10) {
  return db
    .selectFrom('dispatchPlans')
    .select(['id', 'status', 'result'])
    .where('planDate', '=', date)
    .orderBy('createdAt', 'desc')
    .orderBy('version', 'desc')
    .limit(limit)
    .execute();
}

/** Whether the technician exists (a feed is made for an existing technician only). */
export async function technicianExists(db: Executor, technicianId: string): Promise<boolean> {
  return (await db.selectFrom('technicians').select('id').where('id', '=', technicianId).executeTakeFirst()) !== undefined;
}

export async function createFeedToken(db: Executor, input: { technicianId: string; tokenHash: string; createdBy: string | null }) {
  return db
    .insertInto('calendarFeedTokens')
    .values(input)
    .returning(['id', 'technicianId', 'createdAt', 'revokedAt'])
    .executeTakeFirstOrThrow();
}

export async function listFeedTokens(db: Executor, technicianId: string) {
  return db
    .selectFrom('calendarFeedTokens')
    .select(['id', 'technicianId', 'createdAt', 'revokedAt'])
    .where('technicianId', '=', technicianId)
    .orderBy('createdAt', 'desc')
    .execute();
}

/** Revokes one token of the technician; false when there is no such live token. */
export async function revokeFeedToken(db: Executor, technicianId: string, tokenId: string): Promise<boolean> {
  const result = await db
    .updateTable('calendarFeedTokens')
    .set({ revokedAt: new Date() })
    .where('id', '=', tokenId)
    .where('technicianId', '=', technicianId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The technician a live token opens the feed of. */
export async function findFeedTechnician(db: Executor, tokenHash: string) {
  return db
    .selectFrom('calendarFeedTokens as f')
    .innerJoin('technicians as t', 't.id', 'f.technicianId')
    .select(['t.id', 't.firstName', 't.lastName', 't.email'])
    .where('f.tokenHash', '=', tokenHash)
    .where('f.revokedAt', 'is', null)
    .executeTakeFirst();
}

/** The technician's live assignments starting in [from, to), with their visit's SEQUENCE. */
export async function listFeedVisits(db: Executor, technicianId: string, from: Date, to: Date) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('serviceRequests as r', 'r.id', 'a.requestId')
    .innerJoin('clientLocations as l', 'l.id', 'r.locationId')
    .leftJoin('visitInvites as v', 'v.requestId', 'a.requestId')
    .select([
      'a.requestId',
      'a.scheduledStart',
      'a.scheduledEnd',
      'r.ticketNumber',
      'r.title',
      'r.description',
      'l.name as siteName',
      'l.addressLine1',
      'l.postalCode',
      'l.city',
      'l.accessInstructions',
      'v.sequence',
    ])
    .where('a.technicianId', '=', technicianId)
    .where('a.status', 'in', LIVE_ASSIGNMENT_STATUSES)
    .where('a.scheduledStart', '>=', from)
    .where('a.scheduledStart', '<', to)
    .orderBy('a.scheduledStart')
    .execute();
}

/** The request's live assignment's technician (null when none). */
export async function liveTechnicianOf(db: Executor, requestId: string): Promise<string | null> {
  const row = await db
    .selectFrom('assignments')
    .select('technicianId')
    .where('requestId', '=', requestId)
    .where('status', 'in', LIVE_ASSIGNMENT_STATUSES)
    .executeTakeFirst();
  return row?.technicianId ?? null;
}

/** Catalogue labels of these SKUs (the parts an invite lists). */
export async function findPartLabels(db: Executor, skus: readonly string[]) {
  if (skus.length === 0) return [];
  return db.selectFrom('partsCatalogue').select(['sku', 'label']).where('sku', 'in', skus).execute();
}
