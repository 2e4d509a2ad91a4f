/**
 * What the daily plan reads of the day (technicians, their shifts and absences, the requests to
 * plan, the visits under way), and the plan versions it stores. The day is given as its bounds
 * (Europe/Paris midnight to midnight, computed by the caller).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema/index.js';
import type { NewDispatchPlanRow } from '../schema/dispatch.table.js';
import type { Executor } from '../executor.js';
import { LIVE_ASSIGNMENT_STATUSES } from './assignments.repository.js';

/** The day being planned: [from, to) and its ISO weekday (1 = Monday). */
export interface DayBounds {
  from: Date;
  to: Date;
  weekday: number;
}

/** Active technicians with their skills, certifications (with dates), the day's shift and the absences overlapping it. */
export async function loadTechnicianDays(db: Executor, day: DayBounds) {
  const technicians = await db
    .selectFrom('technicians')
    .select(['id', 'firstName', 'lastName', 'homeLatitude', 'homeLongitude', 'hourlyCostCents', 'maxOvertimeMinutes', 'rating'])
    .where('active', '=', true)
    .orderBy('lastName')
    .execute();
  const [skills, certifications, shifts, absences] = await Promise.all([
    db.selectFrom('technicianSkills').selectAll().execute(),
    db.selectFrom('technicianCertifications').select(['technicianId', 'name', 'obtainedOn', 'expiresOn']).execute(),
    db.selectFrom('technicianShifts').selectAll().where('weekday', '=', day.weekday).execute(),
    db.selectFrom('technicianAbsences').selectAll().where('startsAt', '<', day.to).where('endsAt', '>', day.from).execute(),
  ]);
  return { technicians, skills, certifications, shifts, absences };
}

/** What a visit needs of its request, client and site; both request loaders select it. */
const REQUEST_COLUMNS = [
  'r.id as requestId',
  'r.locationId',
  'r.contractId',
  'r.ticketNumber',
  'r.title',
  'c.companyName',
  'l.name as siteName',
  'r.serviceType',
  'r.priority',
  'r.supportLevel',
  'l.latitude',
  'l.longitude',
  'r.responseDueAt',
  'r.resolutionDueAt',
  'r.appointmentFrom',
  'r.appointmentTo',
  sql<boolean>`exists (select 1 from contracts k where k.id = r.contract_id and k.kind = 'premium')`.as('premium'),
  // Certifications the job requires: its service type's, then its contract's (migration 0300).
  sql<string[]>`array(
    select distinct x from (
      select unnest(s.required_certifications) x from service_type_requirements s where s.service_type = r.service_type
      union all
      select unnest(k.required_certifications) from contracts k where k.id = r.contract_id) q
    order by x)`.as('requiredCertifications'),
] as const;

/**
 * Requests to plan that day: waiting for planning, or scheduled with a live assignment that day
 * (its technician and start, pinned or not). Sites without coordinates cannot be routed.
 */
export async function listRequestsToPlan(db: Executor, day: DayBounds) {
  return db
    .selectFrom('serviceRequests as r')
    .innerJoin('clients as c', 'c.id', 'r.clientId')
    .innerJoin('clientLocations as l', 'l.id', 'r.locationId')
    .leftJoin('assignments as a', (join) =>
      join
        .onRef('a.requestId', '=', 'r.id')
        .on('a.status', 'in', LIVE_ASSIGNMENT_STATUSES)
        .on('a.scheduledStart', '>=', day.from)
        .on('a.scheduledStart', '<', day.to),
    )
    .select([...REQUEST_COLUMNS, 'a.technicianId as pinnedTechnicianId', 'a.scheduledStart as pinnedStart', 'a.pinned'])
    .where((eb) =>
      eb.or([eb('r.status', '=', 'awaiting_planning'), eb.and([eb('r.status', '=', 'scheduled'), eb('a.id', 'is not', null)])]),
    )
    .where('l.latitude', 'is not', null)
    .where('l.longitude', 'is not', null)
    .orderBy('r.createdAt')
    .execute();
}

/** On-site check-ins of that day (latest first), with their assignment's planned slot. */
export async function listOnSiteCheckIns(db: Executor, day: DayBounds) {
  return db
    .selectFrom('siteVisits as v')
    .innerJoin('serviceRequests as r', 'r.id', 'v.requestId')
    .innerJoin('clients as c', 'c.id', 'r.clientId')
    .innerJoin('clientLocations as l', 'l.id', 'r.locationId')
    .leftJoin('assignments as a', 'a.id', 'v.assignmentId')
    .select([...REQUEST_COLUMNS, 'v.technicianId', 'v.checkedInAt', 'v.checkedOutAt', 'a.scheduledStart', 'a.scheduledEnd'])
    .where('v.mode', '=', 'on_site')
    .where('v.checkedInAt', '>=', day.from)
    .where('v.checkedInAt', '<', day.to)
    .where('r.status', '!=', 'cancelled')
    .where('l.latitude', 'is not', null)
    .where('l.longitude', 'is not', null)
    .orderBy('v.checkedInAt', 'desc')
    .execute();
}

/**
 * The opening hours and the closures overlapping `date` (YYYY-MM-DD) of the given sites: what
 * the plan needs to compute each visit's time windows that day.
 */
export async function loadSiteCalendars(db: Executor, locationIds: readonly string[], date: string) {
  if (locationIds.length === 0) return { openingHours: [], closures: [] };
  const [openingHours, closures] = await Promise.all([
    db
      .selectFrom('siteOpeningHours')
      .select(['locationId', 'weekday', 'opensAt', 'closesAt'])
      .where('locationId', 'in', locationIds)
      .orderBy('opensAt')
      .execute(),
    db
      .selectFrom('siteClosures')
      .select(['locationId', 'startsOn', 'endsOn', 'reason'])
      .where('locationId', 'in', locationIds)
      .where('startsOn', '<=', date)
      .where('endsOn', '>=', date)
      .execute(),
  ]);
  return { openingHours, closures };
}

/** The plan a workflow run stored, if it did (a retried activity answers from it). */
export async function findPlanOfRun(db: Executor, workflowId: string, runId: string) {
  return db.selectFrom('dispatchPlans').selectAll().where('workflowId', '=', workflowId).where('runId', '=', runId).executeTakeFirst();
}

export async function findPlan(db: Executor, planId: string) {
  return db
    .selectFrom('dispatchPlans')
    .select(['id', 'planDate', 'status', 'seed', 'version', 'result'])
    .where('id', '=', planId)
    .executeTakeFirst();
}

/** The day's latest plan version (newest run, highest version), as the board shows it. */
export async function findLatestPlanOfDay(db: Executor, date: string) {
  return db
    .selectFrom('dispatchPlans')
    .select([
      'id',
      'planDate',
      'status',
      'seed',
      'visits',
      'technicians',
      'assigned',
      'feasible',
      'allP1Placed',
      'travelMinutes',
      'solveMs',
      'result',
      'createdAt',
      'version',
      'basePlanId',
      'override',
    ])
    .where('planDate', '=', date)
    .orderBy('createdAt', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function latestPlanIdOfDay(db: Executor, date: string): Promise<string> {
  const row = await db
    .selectFrom('dispatchPlans')
    .select('id')
    .where('planDate', '=', date)
    .orderBy('createdAt', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether the plan is still its day's latest version. */
export async function isLatestPlanOfDay(db: Executor, planId: string, date: string): Promise<boolean> {
  return (await latestPlanIdOfDay(db, date)) === planId;
}

/** Stores a run's plan once per (workflow, run): a retry gets the row of the first attempt. */
export async function insertPlanOfRun(db: Executor, plan: NewDispatchPlanRow): Promise<string> {
  const row = await db
    .insertInto('dispatchPlans')
    .values(plan)
    .onConflict((oc) => oc.columns(['workflowId', 'runId']).doUpdateSet({ workflowId: sql`excluded.workflow_id` }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Stores the version an override produced, if its base is still the latest of the day: two
 * dispatchers overriding the same version, the second waits on the base's lock, then sees it is
 * stale (null). A proposed base is superseded; a published one stays in force (the interventions
 * carry it) until the new version is published.
 */
export async function insertOverrideVersion(
  db: Kysely<DB>,
  base: { id: string; planDate: string; status: string },
  plan: NewDispatchPlanRow,
): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('dispatchPlans').select('id').where('id', '=', base.id).forUpdate().executeTakeFirstOrThrow();
    if (!(await isLatestPlanOfDay(trx, base.id, base.planDate))) return null;
    const row = await trx.insertInto('dispatchPlans').values(plan).returning('id').executeTakeFirstOrThrow();
    if (base.status === 'proposed')
      await trx.updateTable('dispatchPlans').set({ status: 'superseded' }).where('id', '=', base.id).execute();
    return row.id;
  });
}

/** Publishing: the day's published version is superseded, this one is published. */
export async function markPlanPublished(db: Executor, plan: { id: string; planDate: string }): Promise<void> {
  await db
    .updateTable('dispatchPlans')
    .set({ status: 'superseded' })
    .where('planDate', '=', plan.planDate)
    .where('status', '=', 'published')
    .execute();
  await db.updateTable('dispatchPlans').set({ status: 'published' }).where('id', '=', plan.id).execute();
}

/** P1 requests waiting for planning at a site that can be routed, oldest first. */
export async function listUrgentRequestsToPlan(db: Executor) {
  return db
    .selectFrom('serviceRequests as r')
    .innerJoin('clientLocations as l', 'l.id', 'r.locationId')
    .select(['r.id', 'r.ticketNumber', 'r.title'])
    .where('r.priority', '=', 'P1')
    .where('r.status', '=', 'awaiting_planning')
    .where('l.latitude', 'is not', null)
    .where('l.longitude', 'is not', null)
    .orderBy('r.createdAt')
    .execute();
}

export interface DispatchSettings {
  /** HH:MM (Europe/Paris) at which the nightly plan publishes itself; null: a dispatcher publishes it. */
  autoPublishAt: string | null;
  /** insert: a new P1 on a published day is inserted and published at once; propose: stored for the dispatcher. */
  emergencyMode: 'insert' | 'propose';
}

export const DEFAULT_DISPATCH_SETTINGS: DispatchSettings = { autoPublishAt: null, emergencyMode: 'insert' };

/** The company's dispatch settings (the defaults while none were saved). */
export async function getDispatchSettings(db: Executor): Promise<DispatchSettings> {
  const row = await db.selectFrom('dispatchSettings').select(['autoPublishAt', 'emergencyMode']).executeTakeFirst();
  return row ?? DEFAULT_DISPATCH_SETTINGS;
}

export async function saveDispatchSettings(db: Executor, settings: DispatchSettings, userId: string | null): Promise<DispatchSettings> {
  const values = { ...settings, updatedByUserId: userId, updatedAt: new Date() };
  await db
    .insertInto('dispatchSettings')
    .values({ id: true, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
  return settings;
}

/** The day's published version, if any. */
export async function findPublishedPlanOfDay(db: Executor, date: string) {
  return db
    .selectFrom('dispatchPlans')
    .select(['id', 'planDate', 'status', 'version', 'result'])
    .where('planDate', '=', date)
    .where('status', '=', 'published')
    .executeTakeFirst();
}

/** The live assignment (technician, slot) of each of these tickets that has one. */
export async function listLiveAssignmentsOfTickets(db: Executor, ticketNumbers: readonly string[]) {
  if (ticketNumbers.length === 0) return [];
  return db
    .selectFrom('assignments as a')
    .innerJoin('serviceRequests as r', 'r.id', 'a.requestId')
    .select(['r.ticketNumber', 'a.technicianId', 'a.scheduledStart', 'a.scheduledEnd'])
    .where('r.ticketNumber', 'in', ticketNumbers)
    .where('a.status', 'in', LIVE_ASSIGNMENT_STATUSES)
    .execute();
}

/**
 * Whether a plan's stop is what its intervention already has (same technician and slot): such a
 * stop is not sent again when a version is published, by a dispatcher or by the worker (a version
 * made before the previous publication does not know the visit is booked).
 */
export async function liveSlotMatcher(db: Executor, ticketNumbers: readonly string[]) {
  const live = new Map((await listLiveAssignmentsOfTickets(db, ticketNumbers)).map((a) => [a.ticketNumber, a]));
  return (technicianId: string, stop: { ticketNumber: string; start: string; end: string }): boolean => {
    const a = live.get(stop.ticketNumber);
    return (
      a !== undefined &&
      a.technicianId === technicianId &&
      a.scheduledStart.getTime() === new Date(stop.start).getTime() &&
      a.scheduledEnd.getTime() === new Date(stop.end).getTime()
    );
  };
}
