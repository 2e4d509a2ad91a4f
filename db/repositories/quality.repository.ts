/**
 * The quality loop (docs/kpis.md, "The technician's rating"): survey answers attributed to the
 * technician of the request's last visit, their rating written back, low answers followed up.
 */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

/** The technician of the request's last visit (on site or remote), if any. */
export async function lastVisitTechnician(db: Executor, requestId: string): Promise<string | null> {
  const row = await db
    .selectFrom('siteVisits')
    .select('technicianId')
    .where('requestId', '=', requestId)
    .orderBy('checkedInAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.technicianId ?? null;
}

/** Sum and number of the survey ratings of the requests whose last visit was this technician's. */
export async function ratingTotals(db: Executor, technicianId: string): Promise<{ sum: number; count: number }> {
  const result = await sql<{ sum: number; count: number }>`
    select coalesce(sum(s.rating), 0)::int as sum, count(*)::int as count
      from satisfaction_surveys s
      join lateral (select v.technician_id from site_visits v where v.request_id = s.request_id
                     order by v.checked_in_at desc limit 1) last on true
     where last.technician_id = ${technicianId}`.execute(db);
  return result.rows[0] ?? { sum: 0, count: 0 };
}

/** Writes the technician's rating (numeric(2,1)) and their mean satisfaction in `performance`. */
export async function setTechnicianRating(
  db: Executor,
  technicianId: string,
  rating: number,
  totals: { sum: number; count: number },
): Promise<void> {
  await db
    .updateTable('technicians')
    .set({
      rating: rating.toFixed(1),
      performance: sql`performance || jsonb_build_object('meanSatisfaction', ${totals.count ? totals.sum / totals.count : null}::float8,
                                                         'surveyAnswers', ${totals.count}::int)`,
    })
    .where('id', '=', technicianId)
    .execute();
}

/** Opens the follow-up of a low rating (once per request). */
export async function openSurveyFollowUp(
  db: Executor,
  f: { requestId: string; technicianId: string | null; rating: number; comment: string | null },
): Promise<void> {
  await db
    .insertInto('surveyFollowUps')
    .values(f)
    .onConflict((oc) => oc.column('requestId').doNothing())
    .execute();
}

/** Open follow-ups, oldest first, with their ticket and company. */
export async function listOpenFollowUps(db: Executor, limit = 200) {
  return db
    .selectFrom('surveyFollowUps as f')
    .innerJoin('serviceRequests as r', 'r.id', 'f.requestId')
    .innerJoin('clients as c', 'c.id', 'r.clientId')
    .leftJoin('technicians as t', 't.id', 'f.technicianId')
    .select([
      'f.id',
      'r.ticketNumber',
      'c.companyName',
      'f.rating',
      'f.comment',
      'f.createdAt',
      sql<string | null>`t.first_name || ' ' || t.last_name`.as('technicianName'),
    ])
    .where('f.status', '=', 'open')
    .orderBy('f.createdAt')
    .limit(limit)
    .execute();
}
