/**
 * Indicators (docs/kpis.md): what the refresh of `kpi_request_facts` reads and writes, and the
 * dashboard queries over it. Every aggregate here is the SQL form of a pure definition in
 * activities/reports/kpi.ts (percentile_cont = its `percentile`); kpis.int.test.ts checks they agree.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../executor.js';
import type { NewKpiRequestFactsRow } from '../schema/kpi.table.js';

/** Requests without facts, or changed since theirs were computed: at most `limit`, oldest change first. */
export async function requestsToRefresh(db: Executor, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('serviceRequests as r')
    .leftJoin('kpiRequestFacts as f', 'f.requestId', 'r.id')
    .select('r.id')
    // The facts keep updated_at as JavaScript read it (milliseconds); PostgreSQL keeps microseconds.
    .where((eb) =>
      eb.or([eb('f.requestId', 'is', null), eb(sql`date_trunc('milliseconds', r.updated_at)`, '>', eb.ref('f.sourceUpdatedAt'))]),
    )
    .orderBy('r.updatedAt')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Everything the facts of these requests are computed from. */
export async function loadRequestHistories(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return { requests: [], transitions: [], visits: [], surveys: [] };
  const [requests, transitions, visits, surveys] = await Promise.all([
    db
      .selectFrom('serviceRequests as r')
      .leftJoin('contracts as c', 'c.id', 'r.contractId')
      .select([
        'r.id',
        'r.clientId',
        'r.locationId',
        'r.contractId',
        'r.assetId',
        'r.serviceType',
        'r.priority',
        'r.status',
        'r.createdAt',
        'r.firstResponseAt',
        'r.resolvedAt',
        'r.closedAt',
        'r.cancelledAt',
        'r.responseDueAt',
        'r.resolutionDueAt',
        'r.updatedAt',
        'c.coverage',
        'c.timezone',
      ])
      .where('r.id', 'in', ids)
      .execute(),
    db
      .selectFrom('requestEvents')
      .select(['requestId', 'createdAt', 'fromStatus', 'toStatus', sql<string | null>`details->>'type'`.as('detailsType')])
      .where('requestId', 'in', ids)
      .where('kind', '=', 'status_change')
      .execute(),
    db
      .selectFrom('siteVisits as v')
      .leftJoin('assignments as a', 'a.id', 'v.assignmentId')
      .select(['v.requestId', 'v.technicianId', 'v.mode', 'v.checkedInAt', 'v.checkedOutAt', 'a.travelMinutes'])
      .where('v.requestId', 'in', ids)
      .execute(),
    db.selectFrom('satisfactionSurveys').select(['requestId', 'rating', 'comment']).where('requestId', 'in', ids).execute(),
  ]);
  return { requests, transitions, visits, surveys };
}

export async function upsertFacts(db: Executor, rows: readonly NewKpiRequestFactsRow[]): Promise<void> {
  // 36 columns a row: 1,500 rows stay under PostgreSQL's 65,535 parameters per statement.
  for (let i = 0; i < rows.length; i += 1500) await upsertFactsChunk(db, rows.slice(i, i + 1500));
}

async function upsertFactsChunk(db: Executor, rows: readonly NewKpiRequestFactsRow[]): Promise<void> {
  await db
    .insertInto('kpiRequestFacts')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('requestId').doUpdateSet((eb) => {
        const keep = ['requestId', 'recurred'] as const;
        const cols = Object.keys(rows[0]!).filter((k) => !(keep as readonly string[]).includes(k)) as Array<keyof NewKpiRequestFactsRow>;
        return Object.fromEntries(cols.map((c) => [c, eb.ref(`excluded.${c}`)]));
      }),
    )
    .execute();
}

/**
 * Resolved requests whose recurrence is still open, and the requests that could follow them
 * (created since the oldest of their resolutions), with what recurrence compares.
 */
export async function recurrenceCandidates(db: Executor) {
  const open = await db
    .selectFrom('kpiRequestFacts')
    .select(['requestId', 'assetId', 'locationId', 'serviceType', 'createdAt', 'resolvedAt'])
    .where('resolvedAt', 'is not', null)
    .where('recurred', 'is', null)
    .execute();
  if (open.length === 0) return { open, followers: [] };
  const since = open.reduce((m, r) => (r.resolvedAt! < m ? r.resolvedAt! : m), open[0]!.resolvedAt!);
  const followers = await db
    .selectFrom('serviceRequests')
    .select(['id as requestId', 'assetId', 'locationId', 'serviceType', 'createdAt', 'resolvedAt'])
    .where('createdAt', '>', since)
    .execute();
  return { open, followers };
}

export async function setRecurrence(db: Executor, values: ReadonlyMap<string, boolean>): Promise<void> {
  for (const flag of [true, false]) {
    const ids = [...values].filter(([, v]) => v === flag).map(([id]) => id);
    for (let i = 0; i < ids.length; i += 5000) {
      await db
        .updateTable('kpiRequestFacts')
        .set({ recurred: flag })
        .where('requestId', 'in', ids.slice(i, i + 5000))
        .execute();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Dashboard queries.

export interface KpiFilters {
  from: Date;
  to: Date;
  clientId?: string | undefined;
  locationId?: string | undefined;
  serviceType?: string | undefined;
  priority?: string | undefined;
  technicianId?: string | undefined;
}

/** The dimension filters (not the period) as one condition on `kpi_request_facts f`. */
function dimensions(f: KpiFilters) {
  return sql<SqlBool>`true
    ${f.clientId ? sql`and f.client_id = ${f.clientId}` : sql``}
    ${f.locationId ? sql`and f.location_id = ${f.locationId}` : sql``}
    ${f.serviceType ? sql`and f.service_type = ${f.serviceType}` : sql``}
    ${f.priority ? sql`and f.priority = ${f.priority}` : sql``}
    ${f.technicianId ? sql`and f.technician_id = ${f.technicianId}` : sql``}`;
}

const inPeriod = (col: string, f: KpiFilters) => sql<SqlBool>`${sql.ref(col)} >= ${f.from} and ${sql.ref(col)} < ${f.to}`;

function distributionOf(value: string, cohort: Expression<SqlBool>) {
  const v = sql.ref(value);
  return sql`json_build_object(
    'count', count(${v}) filter (where ${cohort}),
    'median', percentile_cont(0.5) within group (order by ${v}) filter (where ${cohort}),
    'mean', avg(${v}) filter (where ${cohort}),
    'p90', percentile_cont(0.9) within group (order by ${v}) filter (where ${cohort}))`;
}

function rateOf(numerator: Expression<SqlBool>, denominator: Expression<SqlBool>) {
  return sql`json_build_object(
    'numerator', count(*) filter (where ${denominator} and ${numerator}),
    'denominator', count(*) filter (where ${denominator}),
    'rate', (count(*) filter (where ${denominator} and ${numerator}))::float8 / nullif(count(*) filter (where ${denominator}), 0))`;
}

export interface SqlDistribution {
  count: number;
  median: number | null;
  mean: number | null;
  p90: number | null;
}
export interface SqlRate {
  numerator: number;
  denominator: number;
  rate: number | null;
}
export interface SqlSummary {
  created: number;
  closed: number;
  cancelled: number;
  firstResponse: { wall: SqlDistribution; business: SqlDistribution };
  resolution: { wall: SqlDistribution; business: SqlDistribution };
  slaResponse: SqlRate;
  slaResolution: SqlRate;
  escalation: SqlRate & { delay: SqlDistribution };
  firstTimeFix: SqlRate;
  recurrence: SqlRate;
  satisfaction: { mean: number | null; promoters: SqlRate; responseRate: SqlRate };
}

/** The cohort summary of a period (docs/kpis.md "Cohorts"; pure twin: `summarize`). */
export async function kpiSummary(db: Executor, f: KpiFilters): Promise<SqlSummary> {
  const created = inPeriod('f.created_at', f);
  const resolved = inPeriod('f.resolved_at', f);
  const responded = sql<SqlBool>`${created} and f.first_response_minutes is not null`;
  const escalated = sql<SqlBool>`${created} and f.escalated`;
  const answered = sql<SqlBool>`${resolved} and f.survey_sent and f.rating is not null`;
  const surveyed = sql<SqlBool>`${resolved} and f.survey_sent`;
  const row = await sql<{ summary: SqlSummary }>`
    select json_build_object(
      'created', count(*) filter (where ${created}),
      'closed', count(*) filter (where ${inPeriod('f.closed_at', f)} and f.cancelled_at is null),
      'cancelled', count(*) filter (where ${inPeriod('f.cancelled_at', f)}),
      'firstResponse', json_build_object('wall', ${distributionOf('f.first_response_minutes', responded)},
                                         'business', ${distributionOf('f.first_response_business_minutes', responded)}),
      'resolution', json_build_object('wall', ${distributionOf('f.resolution_minutes', resolved)},
                                      'business', ${distributionOf('f.resolution_business_minutes', resolved)}),
      'slaResponse', ${rateOf(sql`f.response_met is true`, sql`${responded} and f.has_response_due`)},
      'slaResolution', ${rateOf(sql`f.resolution_met is true`, sql`${resolved} and f.has_resolution_due`)},
      'escalation', (${rateOf(sql`f.escalated`, created)})::jsonb
                    || jsonb_build_object('delay', ${distributionOf('f.escalation_minutes', escalated)}),
      'firstTimeFix', ${rateOf(sql`f.first_time_fix is true`, resolved)},
      'recurrence', ${rateOf(sql`f.recurred is true`, sql`${resolved} and f.recurred is not null`)},
      'satisfaction', json_build_object(
        'mean', avg(f.rating::float8) filter (where ${answered}),
        'promoters', ${rateOf(sql`f.rating >= 4`, answered)},
        'responseRate', ${rateOf(sql`f.rating is not null`, surveyed)})
    ) as summary
    from kpi_request_facts f
    where ${dimensions(f)}
      and (${created} or ${resolved} or ${inPeriod('f.closed_at', f)} or ${inPeriod('f.cancelled_at', f)})`.execute(db);
  return row.rows[0]!.summary;
}

export type Bucket = 'week' | 'month';

/** Per week or month of the period: created, resolved, SLA resolution compliance, FTF, mean rating, resolution median (business). */
export async function kpiSeries(db: Executor, f: KpiFilters, bucket: Bucket) {
  const unit = sql.lit(bucket);
  const result = await sql<{
    period: string;
    created: number;
    resolved: number;
    slaResolutionRate: number | null;
    firstTimeFixRate: number | null;
    meanRating: number | null;
    resolutionBusinessMedian: number | null;
  }>`
    with c as (
      select to_char(date_trunc(${unit}, f.created_at at time zone 'Europe/Paris'), 'YYYY-MM-DD') as period, count(*)::int as created
        from kpi_request_facts f where ${dimensions(f)} and ${inPeriod('f.created_at', f)} group by 1),
    r as (
      select to_char(date_trunc(${unit}, f.resolved_at at time zone 'Europe/Paris'), 'YYYY-MM-DD') as period,
             count(*)::int as resolved,
             (count(*) filter (where f.resolution_met is true))::float8 / nullif(count(*) filter (where f.has_resolution_due), 0) as sla_resolution_rate,
             (count(*) filter (where f.first_time_fix is true))::float8 / nullif(count(*), 0) as first_time_fix_rate,
             avg(f.rating)::float8 as mean_rating,
             percentile_cont(0.5) within group (order by f.resolution_business_minutes) as resolution_business_median
        from kpi_request_facts f where ${dimensions(f)} and ${inPeriod('f.resolved_at', f)} group by 1)
    select coalesce(c.period, r.period) as period, coalesce(c.created, 0) as created, coalesce(r.resolved, 0) as resolved,
           r.sla_resolution_rate, r.first_time_fix_rate, r.mean_rating, r.resolution_business_median
      from c full join r on r.period = c.period
     order by 1`.execute(db);
  return result.rows;
}

/** Open requests now, by status and by age band (the period is ignored), and SLA breached / at risk now. */
export async function kpiBacklog(db: Executor, f: KpiFilters, now: Date, riskRatio = 0.8) {
  const result = await sql<{ status: string; age: string; count: number; breached: number; atRisk: number }>`
    select f.status,
           case when ${now}::timestamptz - r.created_at < interval '1 day' then 'lt_1d'
                when ${now}::timestamptz - r.created_at < interval '3 days' then '1_3d'
                when ${now}::timestamptz - r.created_at < interval '7 days' then '3_7d'
                when ${now}::timestamptz - r.created_at < interval '30 days' then '7_30d'
                else 'ge_30d' end as age,
           count(*)::int as count,
           (count(*) filter (where r.resolution_due_at < ${now} or (r.first_response_at is null and r.response_due_at < ${now})))::int as breached,
           (count(*) filter (where r.resolution_due_at >= ${now}
              and ${now}::timestamptz >= r.created_at + (r.resolution_due_at - r.created_at) * ${riskRatio}))::int as at_risk
      from kpi_request_facts f join service_requests r on r.id = f.request_id
     where ${dimensions(f)} and f.status not in ('closed', 'cancelled')
     group by 1, 2 order by 1, 2`.execute(db);
  return result.rows;
}

/** Per technician: visits and hours of the period, first-time fix and mean rating of the requests resolved. */
export async function kpiTechnicians(db: Executor, f: KpiFilters) {
  const result = await sql<{
    technicianId: string;
    name: string;
    visits: number;
    onSiteMinutes: number;
    travelMinutes: number;
    shiftMinutes: number;
    resolved: number;
    firstTimeFix: number;
    meanRating: number | null;
    rating: string | null;
  }>`
    with v as (
      select v.technician_id, count(*)::int as visits,
             coalesce(sum(extract(epoch from (v.checked_out_at - v.checked_in_at)) / 60), 0)::float8 as on_site_minutes,
             coalesce(sum(a.travel_minutes), 0)::float8 as travel_minutes
        from site_visits v left join assignments a on a.id = v.assignment_id
        -- The request's dimensions from its facts: their row-level security is a plain comparison,
        -- where service_requests' (a technician: a subquery per row) took seconds over a year.
        join kpi_request_facts r on r.request_id = v.request_id
       where v.mode = 'on_site' and v.checked_in_at >= ${f.from} and v.checked_in_at < ${f.to}
         ${f.clientId ? sql`and r.client_id = ${f.clientId}` : sql``}
         ${f.serviceType ? sql`and r.service_type = ${f.serviceType}` : sql``}
         ${f.priority ? sql`and r.priority = ${f.priority}` : sql``}
         ${f.locationId ? sql`and r.location_id = ${f.locationId}` : sql``}
       group by 1),
    q as (
      select f.technician_id, count(*)::int as resolved,
             (count(*) filter (where f.first_time_fix is true))::int as first_time_fix,
             avg(f.rating)::float8 as mean_rating
        from kpi_request_facts f
       where ${dimensions(f)} and ${inPeriod('f.resolved_at', f)} and f.technician_id is not null
       group by 1),
    s as (
      select ts.technician_id, sum(extract(epoch from (ts.ends_at - ts.starts_at)) / 60 - ts.lunch_minutes)::float8 as shift_minutes
        from technician_shifts ts
        join generate_series(${f.from}::date, ${f.to}::date - 1, interval '1 day') d on extract(isodow from d) = ts.weekday
       group by 1)
    select t.id as technician_id, t.first_name || ' ' || t.last_name as name,
           coalesce(v.visits, 0) as visits, coalesce(v.on_site_minutes, 0) as on_site_minutes,
           coalesce(v.travel_minutes, 0) as travel_minutes, coalesce(s.shift_minutes, 0) as shift_minutes,
           coalesce(q.resolved, 0) as resolved, coalesce(q.first_time_fix, 0) as first_time_fix, q.mean_rating, t.rating
      from technicians t
      left join v on v.technician_id = t.id
      left join q on q.technician_id = t.id
      left join s on s.technician_id = t.id
     where (v.technician_id is not null or q.technician_id is not null)
       ${f.technicianId ? sql`and t.id = ${f.technicianId}` : sql``}
     order by name`.execute(db);
  return result.rows;
}

/** Invoiced amounts (excl. VAT, credit notes negative) and included minutes used, per month, client and contract. */
export async function kpiFinance(db: Executor, f: KpiFilters) {
  const result = await sql<{
    month: string;
    clientId: string;
    companyName: string;
    contractId: string | null;
    invoices: number;
    totalExclVatCents: number;
    includedMinutesUsed: number;
  }>`
    select to_char(date_trunc('month', i.issue_date), 'YYYY-MM') as month, i.client_id, c.company_name, i.contract_id,
           count(*) filter (where i.type_code = 380)::int as invoices,
           sum(case when i.type_code = 381 then -i.total_excl_vat_cents else i.total_excl_vat_cents end)::bigint::float8 as total_excl_vat_cents,
           sum(i.included_minutes_used)::int as included_minutes_used
      from invoices i join clients c on c.id = i.client_id
     where i.issue_date >= ${f.from}::date and i.issue_date < ${f.to}::date
       ${f.clientId ? sql`and i.client_id = ${f.clientId}` : sql``}
     group by 1, 2, 3, 4 order by 1, 3`.execute(db);
  return result.rows;
}

/** Recurring problems: assets (else site and service type) with the most recurrences among requests resolved in the period. */
export async function kpiRecurring(db: Executor, f: KpiFilters, limit = 20) {
  const result = await sql<{
    assetId: string | null;
    assetLabel: string | null;
    locationId: string;
    locationName: string;
    serviceType: string;
    requests: number;
    recurrences: number;
  }>`
    select f.asset_id, a.brand || ' ' || a.model as asset_label, f.location_id, l.name as location_name, f.service_type,
           count(*)::int as requests, (count(*) filter (where f.recurred is true))::int as recurrences
      from kpi_request_facts f
      join client_locations l on l.id = f.location_id
      left join assets a on a.id = f.asset_id
     where ${dimensions(f)} and ${inPeriod('f.resolved_at', f)}
     group by 1, 2, 3, 4, 5
    having count(*) filter (where f.recurred is true) > 0
     order by recurrences desc, requests desc limit ${limit}`.execute(db);
  return result.rows;
}

export const DRILL_MEASURES = [
  'created',
  'resolved',
  'response_missed',
  'resolution_missed',
  'escalated',
  'not_first_time_fix',
  'recurred',
  'low_rating',
] as const;
export type DrillMeasure = (typeof DRILL_MEASURES)[number];

/** The requests behind a number of the summary (at most `limit`, newest first). */
export async function kpiDrillDown(db: Executor, f: KpiFilters, measure: DrillMeasure, limit = 200) {
  const created = inPeriod('f.created_at', f);
  const resolved = inPeriod('f.resolved_at', f);
  const condition = {
    created,
    resolved,
    response_missed: sql<SqlBool>`${created} and f.response_met is false`,
    resolution_missed: sql<SqlBool>`${resolved} and f.resolution_met is false`,
    escalated: sql<SqlBool>`${created} and f.escalated`,
    not_first_time_fix: sql<SqlBool>`${resolved} and f.first_time_fix is false`,
    recurred: sql<SqlBool>`${resolved} and f.recurred is true`,
    low_rating: sql<SqlBool>`${resolved} and f.rating <= 2`,
  }[measure];
  const result = await sql<{
    ticketNumber: string;
    title: string;
    clientId: string;
    companyName: string;
    serviceType: string;
    priority: string;
    status: string;
    createdAt: Date;
    resolvedAt: Date | null;
    resolutionBusinessMinutes: number | null;
    rating: number | null;
  }>`
    select r.ticket_number, r.title, f.client_id, c.company_name, f.service_type, f.priority, f.status,
           f.created_at, f.resolved_at, f.resolution_business_minutes, f.rating
      from kpi_request_facts f
      join service_requests r on r.id = f.request_id
      join clients c on c.id = f.client_id
     where ${dimensions(f)} and ${condition}
     order by f.created_at desc limit ${limit}`.execute(db);
  return result.rows;
}

/** Requests created per day and service type (facts; dimension filters apply), in [from, to). */
export async function kpiDailyCreated(db: Executor, f: KpiFilters) {
  const result = await sql<{ day: string; serviceType: string; count: number }>`
    select to_char(f.created_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as day, f.service_type, count(*)::int as count
      from kpi_request_facts f
     where ${dimensions(f)} and ${inPeriod('f.created_at', f)}
     group by 1, 2`.execute(db);
  return result.rows;
}

/** Weekly shift hours of the active technicians (lunch deducted), and the mean hours an intervention took on site and travelling. */
export async function technicianCapacity(db: Executor) {
  const result = await sql<{ weeklyHours: number; hoursPerIntervention: number | null }>`
    select (select coalesce(sum(extract(epoch from (s.ends_at - s.starts_at)) / 3600 - s.lunch_minutes / 60.0), 0)::float8
              from technician_shifts s join technicians t on t.id = s.technician_id where t.active) as weekly_hours,
           (select avg((f.on_site_minutes + f.travel_minutes) / 60.0)::float8 from kpi_request_facts f where f.visits > 0) as hours_per_intervention`.execute(
    db,
  );
  return result.rows[0] ?? { weeklyHours: 0, hoursPerIntervention: null };
}
