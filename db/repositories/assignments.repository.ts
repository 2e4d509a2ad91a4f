/**
 * Assignments of a technician to an intervention (slot, status), and what the invites sent for
 * them read. One live assignment per request: a new one cancels the previous in its transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema/index.js';
import type { AssignmentStatus, Priority } from '../schema/enums.js';
import type { Executor } from '../executor.js';
import { requestIdOf } from './lifecycle.repository.js';

/** Statuses of an assignment still in force (not cancelled, not completed). */
export const LIVE_ASSIGNMENT_STATUSES = ['proposed', 'confirmed', 'en_route', 'on_site'] as const;

export async function findTechnician(db: Executor, technicianId: string) {
  return db.selectFrom('technicians').select(['id', 'firstName', 'lastName', 'active']).where('id', '=', technicianId).executeTakeFirst();
}

export interface NewAssignment {
  workflowId: string;
  technicianId: string;
  start: string;
  end: string;
  priority: Priority;
  notes: string | null;
  source: 'optimizer' | 'dispatcher';
}

/**
 * Makes this the request's live assignment, in one transaction: the previous live one (a
 * reassignment) is cancelled. A retry after a committed attempt finds its own row (same
 * technician and slot) and changes nothing: previousAssignmentId is then null.
 */
export async function replaceLiveAssignment(
  db: Kysely<DB>,
  a: NewAssignment,
): Promise<{ assignmentId: string; previousAssignmentId: string | null }> {
  return db.transaction().execute(async (trx: Transaction<DB>) => {
    const requestId = await requestIdOf(trx, a.workflowId);
    const live = await trx
      .selectFrom('assignments')
      .selectAll()
      .where('requestId', '=', requestId)
      .where('status', 'in', LIVE_ASSIGNMENT_STATUSES)
      .forUpdate()
      .executeTakeFirst();
    if (
      live &&
      live.technicianId === a.technicianId &&
      live.scheduledStart.toISOString() === new Date(a.start).toISOString() &&
      live.scheduledEnd.toISOString() === new Date(a.end).toISOString()
    ) {
      return { assignmentId: live.id, previousAssignmentId: null };
    }
    if (live) await setAssignmentStatus(trx, live.id, 'cancelled');
    const row = await trx
      .insertInto('assignments')
      .values({
        requestId,
        technicianId: a.technicianId,
        scheduledStart: a.start,
        scheduledEnd: a.end,
        priority: a.priority,
        notes: a.notes,
        status: 'confirmed',
        source: a.source,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { assignmentId: row.id, previousAssignmentId: live?.id ?? null };
  });
}

export async function setAssignmentStatus(db: Executor, assignmentId: string, status: AssignmentStatus): Promise<void> {
  await db.updateTable('assignments').set({ status, updatedAt: new Date() }).where('id', '=', assignmentId).execute();
}

/** What the client's email and the technician's invite say: slot, technician, site, access. */
export async function findAssignmentForInvite(db: Executor, assignmentId: string) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('technicians as t', 't.id', 'a.technicianId')
    .innerJoin('serviceRequests as r', 'r.id', 'a.requestId')
    .innerJoin('clientLocations as l', 'l.id', 'r.locationId')
    .select([
      'a.id',
      'a.requestId',
      'a.scheduledStart',
      'a.scheduledEnd',
      'a.notes',
      't.id as technicianId',
      't.firstName',
      't.lastName',
      't.level',
      't.rating',
      't.email',
      't.phone',
      'l.name as siteName',
      'l.addressLine1',
      'l.postalCode',
      'l.city',
      'l.latitude',
      'l.longitude',
      'l.accessInstructions',
      'l.onSiteContactName',
      'l.onSiteContactPhone',
      'r.locationDetails',
      'r.title',
      'r.description',
    ])
    .where('a.id', '=', assignmentId)
    .executeTakeFirstOrThrow();
}

/** What withdrawing an invite needs: its slot and the technician's address. */
export async function findAssignmentForCancellation(db: Executor, assignmentId: string) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('technicians as t', 't.id', 'a.technicianId')
    .select(['a.id', 'a.requestId', 'a.technicianId', 'a.scheduledStart', 'a.scheduledEnd', 't.email', 't.firstName', 't.lastName'])
    .where('a.id', '=', assignmentId)
    .executeTakeFirstOrThrow();
}

/** The technician's skills, strongest first (shown to the client). */
export async function listTechnicianSkills(db: Executor, technicianId: string) {
  return db
    .selectFrom('technicianSkills')
    .select(['skill', 'level'])
    .where('technicianId', '=', technicianId)
    .orderBy('level', 'desc')
    .execute();
}
