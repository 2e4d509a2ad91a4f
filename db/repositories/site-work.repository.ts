/**
 * The work done for a request: site visits (check-in, check-out), parts used, the intervention
 * report, and the client's survey answer. Each insert carries an idempotency key backed by a
 * unique constraint, so a retried activity writes once.
 */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { requestIdOf } from './lifecycle.repository.js';
import { setAssignmentStatus } from './assignments.repository.js';

export interface VisitOpening {
  workflowId: string;
  assignmentId: string | null;
  technicianId: string;
  mode: 'on_site' | 'remote';
  travelKm: number;
  /** ISO instant of the check-in. */
  at: string;
  idempotencyKey: string;
}

/** Opens a site visit (its assignment goes on site); a retry returns the visit of the same key. */
export async function openSiteVisit(db: Executor, v: VisitOpening): Promise<string> {
  const requestId = await requestIdOf(db, v.workflowId);
  await db
    .insertInto('siteVisits')
    .values({
      requestId,
      assignmentId: v.assignmentId,
      technicianId: v.technicianId,
      mode: v.mode,
      checkedInAt: v.at,
      travelKm: v.travelKm,
      idempotencyKey: v.idempotencyKey,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .execute();
  const visit = await db.selectFrom('siteVisits').select('id').where('idempotencyKey', '=', v.idempotencyKey).executeTakeFirstOrThrow();
  if (v.assignmentId) await setAssignmentStatus(db, v.assignmentId, 'on_site');
  return visit.id;
}

/** Closes a visit at `at`; a visit already closed keeps its first check-out. */
export async function closeSiteVisit(db: Executor, visitId: string, at: string): Promise<void> {
  await db
    .updateTable('siteVisits')
    .set({ checkedOutAt: sql<Date>`coalesce(checked_out_at, ${at}::timestamptz)` })
    .where('id', '=', visitId)
    .execute();
}

export interface PartUsed {
  workflowId: string;
  visitId: string | null;
  sku: string;
  quantity: number;
  serialNumbers: string[];
  underWarranty: boolean;
  idempotencyKey: string;
}

export async function recordPartUsed(db: Executor, p: PartUsed): Promise<void> {
  const requestId = await requestIdOf(db, p.workflowId);
  await db
    .insertInto('partsUsed')
    .values({
      requestId,
      siteVisitId: p.visitId,
      sku: p.sku,
      quantity: p.quantity,
      serialNumbers: p.serialNumbers,
      underWarranty: p.underWarranty,
      idempotencyKey: p.idempotencyKey,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .execute();
}

export interface InterventionReport {
  workflowId: string;
  technicianId: string | null;
  summary: string;
  recommendations: string[];
  idempotencyKey: string;
}

export async function saveInterventionReport(db: Executor, r: InterventionReport): Promise<void> {
  const requestId = await requestIdOf(db, r.workflowId);
  await db
    .insertInto('interventionReports')
    .values({
      requestId,
      technicianId: r.technicianId,
      summary: r.summary,
      recommendations: JSON.stringify(r.recommendations),
      idempotencyKey: r.idempotencyKey,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .execute();
}

export async function saveSurveyAnswer(
  db: Executor,
  s: { workflowId: string; rating: number; comment: string | null; idempotencyKey: string },
): Promise<void> {
  const requestId = await requestIdOf(db, s.workflowId);
  await db
    .insertInto('satisfactionSurveys')
    .values({ requestId, rating: s.rating, comment: s.comment, idempotencyKey: s.idempotencyKey })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .execute();
}
