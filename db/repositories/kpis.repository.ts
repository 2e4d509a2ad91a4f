/**
 * Indicators (docs/kpis.md): what the refresh of `kpi_request_facts` reads and writes, and the
 * dashboard queries over it. Every aggregate here is the SQL form of a pure definition in
 * activities/reports/kpi.ts (percentile_cont = its `percentile`); kpis.int.test.ts checks they agree.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../executor.js';
import { REQUEST_STATUSES } from '../schema/enums.js';
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
 * The on-site visits of these requests (kpi_visit_facts, migration 0290) written again from
 * site_visits, with the request's dimensions as its facts have them: call it after upsertFacts.
 */
export async function replaceVisitFacts(db: Executor, requestIds: readonly string[]): Promise<void> {
  if (requestIds.length === 0) return;
  await db.deleteFrom('kpiVisitFacts').where('requestId', 'in', requestIds).execute();
  await sql`
    insert into kpi_visit_facts (visit_id, request_id, technician_id, client_id, location_id, service_type, priority,
                                 checked_in_at, on_site_minutes, travel_minutes)
    select v.id, v.request_id, v.technician_id, f.client_id, f.location_id, f.service_type, f.priority, v.checked_in_at,
           extract(epoch from (v.checked_out_at - v.checked_in_at)) / 60, a.travel_minutes
      from site_visits v
      join kpi_request_facts f on f.request_id = v.request_id
      left join assignments a on a.id = v.assignment_id
     where v.mode = 'on_site' and v.request_id = any(${[...requestIds]}::uuid[])`.execute(db);
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
    // In the order of their resolution: setRecurrence's chunks then touch few days of kpi_daily each.
    .orderBy('resolvedAt')
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

/**
 * For the rest of the caller's transaction (the route's): random page reads priced as on an SSD.
 * With the default (4, a spinning disk) the planner reads all of kpi_request_facts (57 MB at
 * 100,000 requests, its rows rewritten by each refresh) rather than the covering index of a
 * cohort (13 MB): 62 ms against 29 ms for the technicians' resolved requests (EXPLAIN ANALYZE).
 * Outside a transaction it changes nothing.
 */
export async function kpiPlannerSettings(db: Executor): Promise<void> {
  await sql`select set_config('random_page_cost', '1.1', true)`.execute(db);
}

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

/**
 * Whether the daily sums (kpi_daily, migration 0290) can answer: whole UTC days, and no technician
 * (not a dimension of kpi_daily; a technician's requests are few, read from the facts).
 */
function dailyApplies(f: KpiFilters): boolean {
  const midnight = (d: Date) => d.getTime() % 86_400_000 === 0;
  return midnight(f.from) && midnight(f.to) && !f.technicianId;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * kpi_daily_totals (every company, site and priority; back office only) when no client, site or
 * priority is asked for; else kpi_daily. A client's account always asks for its company.
 */
const dailyTable = (f: KpiFilters) => (f.clientId || f.locationId || f.priority ? sql`kpi_daily` : sql`kpi_daily_totals`);

/** The dimension filters as one condition on `kpi_daily d`. */
function dailyDimensions(f: KpiFilters) {
  // Same condition on either table (kpi_daily_totals is only read without these three).
  return sql<SqlBool>`d.day >= ${isoDay(f.from)}::date and d.day < ${isoDay(f.to)}::date
    ${f.clientId ? sql`and d.client_id = ${f.clientId}` : sql``}
    ${f.locationId ? sql`and d.location_id = ${f.locationId}` : sql``}
    ${f.serviceType ? sql`and d.service_type = ${f.serviceType}` : sql``}
    ${f.priority ? sql`and d.priority = ${f.priority}` : sql``}`;
}

/** The cohort summary of a period (docs/kpis.md "Cohorts"; pure twin: `summarize`). */
export async function kpiSummary(db: Executor, f: KpiFilters): Promise<SqlSummary> {
  return dailyApplies(f) ? kpiSummaryFromDays(db, f) : kpiSummaryFromFacts(db, f);
}

interface DailySums {
  created: number;
  responded: number;
  firstResponseMinutes: number;
  firstResponseBusinessMinutes: number;
  responseDue: number;
  responseMet: number;
  escalated: number;
  escalationMinutes: number;
  resolved: number;
  resolutionMinutes: number;
  resolutionBusinessMinutes: number;
  resolutionDue: number;
  resolutionMet: number;
  firstTimeFix: number;
  recurrenceKnown: number;
  recurred: number;
  surveyed: number;
  answered: number;
  answeredRatingSum: number;
  promoters: number;
  closed: number;
  cancelled: number;
}

const SUM_COLUMNS = [
  'created',
  'responded',
  'first_response_minutes',
  'first_response_business_minutes',
  'response_due',
  'response_met',
  'escalated',
  'escalation_minutes',
  'resolved',
  'resolution_minutes',
  'resolution_business_minutes',
  'resolution_due',
  'resolution_met',
  'first_time_fix',
  'recurrence_known',
  'recurred',
  'surveyed',
  'answered',
  'answered_rating_sum',
  'promoters',
  'closed',
  'cancelled',
] as const;

const rateFrom = (numerator: number, denominator: number): SqlRate => ({
  numerator,
  denominator,
  rate: denominator ? numerator / denominator : null,
});

/**
 * The summary from the daily sums; the medians and p90s read by rank from the facts: the value at
 * rank k of a cohort is the (k+1)-th of the measure's index (kpi_facts_<measure>_rank_idx) among
 * the cohort's rows, walked from the nearer end; then the same interpolation as `percentile`.
 */
export async function kpiSummaryFromDays(db: Executor, f: KpiFilters): Promise<SqlSummary> {
  const sums = await sql<DailySums>`
    select ${sql.join(SUM_COLUMNS.map((c) => sql`coalesce(sum(d.${sql.ref(c)}), 0)::float8 as ${sql.ref(c)}`))}
      from ${dailyTable(f)} d where ${dailyDimensions(f)}`.execute(db);
  const s = sums.rows[0]!;
  const measures = [
    ['first_response_minutes', 'created_at', s.responded, s.firstResponseMinutes],
    ['first_response_business_minutes', 'created_at', s.responded, s.firstResponseBusinessMinutes],
    ['resolution_minutes', 'resolved_at', s.resolved, s.resolutionMinutes],
    ['resolution_business_minutes', 'resolved_at', s.resolved, s.resolutionBusinessMinutes],
    ['escalation_minutes', 'created_at', s.escalated, s.escalationMinutes],
  ] as const;
  const walks: Array<{ measure: number; q: number; lo: number; hi: number; descending: boolean; skip: number }> = [];
  measures.forEach(([, , n], measure) => {
    if (n === 0) return;
    for (const q of [0.5, 0.9]) {
      const pos = q * (n - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      const descending = lo > (n - 1) / 2;
      walks.push({ measure, q, lo, hi, descending, skip: descending ? n - 1 - hi : lo });
    }
  });
  const ranked = new Map<string, number>();
  if (walks.length > 0) {
    const result = await sql<Record<string, number[]>>`select ${sql.join(
      walks.map((w, i) => {
        const [measure, date] = measures[w.measure]!;
        const v = sql.ref(`f.${measure}`);
        return sql`array(select ${v} from kpi_request_facts f
                          where ${v} is not null and ${inPeriod(`f.${date}`, f)} and ${dimensions(f)}
                          order by ${v} ${w.descending ? sql`desc` : sql`asc`} offset ${w.skip} limit 2) as ${sql.ref(`w${i}`)}`;
      }),
    )}`.execute(db);
    const row = result.rows[0]!;
    // Facts refreshed between the two statements (another snapshot): read it all from the facts.
    if (walks.some((w, i) => (row[`w${i}`]?.length ?? 0) < (w.hi === w.lo ? 1 : 2))) return kpiSummaryFromFacts(db, f);
    walks.forEach((w, i) => {
      const values = row[`w${i}`]!;
      // Ascending: [v[lo], v[lo + 1]]; descending: [v[hi], v[hi - 1]].
      const low = w.descending ? (w.hi === w.lo ? values[0]! : values[1]!) : values[0]!;
      const high = w.descending ? values[0]! : w.hi === w.lo ? values[0]! : values[1]!;
      ranked.set(`${w.measure}:${w.q}`, low + (high - low) * (w.q * (measures[w.measure]![2] - 1) - w.lo));
    });
  }
  const distributionAt = (i: number): SqlDistribution => {
    const [, , n, sum] = measures[i]!;
    return {
      count: n,
      median: ranked.get(`${i}:0.5`) ?? null,
      mean: n ? sum / n : null,
      p90: ranked.get(`${i}:0.9`) ?? null,
    };
  };
  return {
    created: s.created,
    closed: s.closed,
    cancelled: s.cancelled,
    firstResponse: { wall: distributionAt(0), business: distributionAt(1) },
    resolution: { wall: distributionAt(2), business: distributionAt(3) },
    slaResponse: rateFrom(s.responseMet, s.responseDue),
    slaResolution: rateFrom(s.resolutionMet, s.resolutionDue),
    escalation: { ...rateFrom(s.escalated, s.created), delay: distributionAt(4) },
    firstTimeFix: rateFrom(s.firstTimeFix, s.resolved),
    recurrence: rateFrom(s.recurred, s.recurrenceKnown),
    satisfaction: {
      mean: s.answered ? s.answeredRatingSum / s.answered : null,
      promoters: rateFrom(s.promoters, s.answered),
      responseRate: rateFrom(s.answered, s.surveyed),
    },
  };
}

/** The summary straight from the facts (a technician's, or a period not made of whole days). */
export async function kpiSummaryFromFacts(db: Executor, f: KpiFilters): Promise<SqlSummary> {
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

export interface SeriesPoint {
  period: string;
  created: number;
  resolved: number;
  slaResolutionRate: number | null;
  firstTimeFixRate: number | null;
  meanRating: number | null;
  resolutionBusinessMedian: number | null;
}

/** Per week or month of the period: created, resolved, SLA resolution compliance, FTF, mean rating, resolution median (business). */
export async function kpiSeries(db: Executor, f: KpiFilters, bucket: Bucket): Promise<SeriesPoint[]> {
  return dailyApplies(f) ? kpiSeriesFromDays(db, f, bucket) : kpiSeriesFromFacts(db, f, bucket);
}

/**
 * The series from the daily sums (Paris days, grouped in weeks or months); each period's median
 * from the facts resolved in it (an index range on resolved_at, sorted per period).
 */
export async function kpiSeriesFromDays(db: Executor, f: KpiFilters, bucket: Bucket): Promise<SeriesPoint[]> {
  const unit = sql.lit(bucket);
  const result = await sql<SeriesPoint>`
    with b as (
      select date_trunc(${unit}, d.local_day::timestamp) as start,
             sum(d.created)::int as created, sum(d.resolved)::int as resolved,
             sum(d.resolution_met)::float8 / nullif(sum(d.resolution_due), 0) as sla_resolution_rate,
             sum(d.first_time_fix)::float8 / nullif(sum(d.resolved), 0) as first_time_fix_rate,
             (sum(d.rating_sum)::numeric / nullif(sum(d.rated), 0))::float8 as mean_rating
        from ${dailyTable(f)} d where ${dailyDimensions(f)}
       group by 1 having sum(d.created) > 0 or sum(d.resolved) > 0)
    select to_char(b.start, 'YYYY-MM-DD') as period, b.created, b.resolved, b.sla_resolution_rate, b.first_time_fix_rate, b.mean_rating,
           case when b.resolved > 0 then (
             select percentile_cont(0.5) within group (order by f.resolution_business_minutes)
               from kpi_request_facts f
              where ${dimensions(f)} and ${inPeriod('f.resolved_at', f)}
                and f.resolved_at >= b.start at time zone 'Europe/Paris'
                and f.resolved_at < (b.start + ${sql.lit(`1 ${bucket}`)}::interval) at time zone 'Europe/Paris') end as resolution_business_median
      from b order by 1`.execute(db);
  return result.rows;
}

export async function kpiSeriesFromFacts(db: Executor, f: KpiFilters, bucket: Bucket): Promise<SeriesPoint[]> {
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

/** The statuses of an open request (docs/kpis.md, backlog). */
const OPEN_STATUSES: readonly string[] = REQUEST_STATUSES.filter((st) => st !== 'closed' && st !== 'cancelled');

/**
 * Open requests now, by status and by age band (the period is ignored), and SLA breached / at risk now.
 * Live: read from service_requests, not from the facts, which the 10-minute refresh fills (a request
 * opened or closed since the last refresh would otherwise be missing or counted). The open requests
 * are few and found by service_requests_status_idx (`status = any(open)`), so the row-level security
 * of service_requests is checked on them only. The technician of a request is the one of its last
 * visit, as in the facts.
 */
export async function kpiBacklog(db: Executor, f: KpiFilters, now: Date, riskRatio = 0.8) {
  const result = await sql<{ status: string; age: string; count: number; breached: number; atRisk: number }>`
    select r.status,
           case when ${now}::timestamptz - r.created_at < interval '1 day' then 'lt_1d'
                when ${now}::timestamptz - r.created_at < interval '3 days' then '1_3d'
                when ${now}::timestamptz - r.created_at < interval '7 days' then '3_7d'
                when ${now}::timestamptz - r.created_at < interval '30 days' then '7_30d'
                else 'ge_30d' end as age,
           count(*)::int as count,
           (count(*) filter (where r.resolution_due_at < ${now} or (r.first_response_at is null and r.response_due_at < ${now})))::int as breached,
           (count(*) filter (where r.resolution_due_at >= ${now}
              and ${now}::timestamptz >= r.created_at + (r.resolution_due_at - r.created_at) * ${riskRatio}))::int as at_risk
      from service_requests r
     where r.status = any(${[...OPEN_STATUSES]}::text[])
       ${f.clientId ? sql`and r.client_id = ${f.clientId}` : sql``}
       ${f.locationId ? sql`and r.location_id = ${f.locationId}` : sql``}
       ${f.serviceType ? sql`and r.service_type = ${f.serviceType}` : sql``}
       ${f.priority ? sql`and r.priority = ${f.priority}` : sql``}
       ${
         f.technicianId
           ? sql`and (select v.technician_id from site_visits v where v.request_id = r.id
                       order by v.checked_in_at desc limit 1) = ${f.technicianId}`
           : sql``
       }
     group by 1, 2 order by 1, 2`.execute(db);
  return result.rows;
}

/** Per technician: visits and hours of the period, first-time fix and mean rating of the requests resolved. */
export async function kpiTechnicians(db: Executor, f: KpiFilters) {
  // Whole UTC days and no request dimension: the sums per day and technician (kpi_daily_technicians).
  const midnight = (d: Date) => d.getTime() % 86_400_000 === 0;
  const byDays = midnight(f.from) && midnight(f.to) && !f.clientId && !f.locationId && !f.serviceType && !f.priority;
  const perDay = sql`
    v as (
      select d.technician_id, sum(d.visits)::int as visits,
             coalesce(sum(d.on_site_minutes), 0)::float8 as on_site_minutes,
             coalesce(sum(d.travel_minutes), 0)::float8 as travel_minutes
        from kpi_daily_technicians d
       where d.day >= ${isoDay(f.from)}::date and d.day < ${isoDay(f.to)}::date
         ${f.technicianId ? sql`and d.technician_id = ${f.technicianId}` : sql``}
       group by 1 having sum(d.visits) > 0),
    q as (
      select d.technician_id, sum(d.resolved)::int as resolved, sum(d.first_time_fix)::int as first_time_fix,
             (sum(d.rating_sum)::numeric / nullif(sum(d.rated), 0))::float8 as mean_rating
        from kpi_daily_technicians d
       where d.day >= ${isoDay(f.from)}::date and d.day < ${isoDay(f.to)}::date
         ${f.technicianId ? sql`and d.technician_id = ${f.technicianId}` : sql``}
       group by 1 having sum(d.resolved) > 0)`;
  const perRow = sql`
    v as (
      -- One row per on-site visit with its request's dimensions (kpi_visit_facts, refreshed with the facts).
      select v.technician_id, count(*)::int as visits,
             coalesce(sum(v.on_site_minutes), 0)::float8 as on_site_minutes,
             coalesce(sum(v.travel_minutes), 0)::float8 as travel_minutes
        from kpi_visit_facts v
       where v.checked_in_at >= ${f.from} and v.checked_in_at < ${f.to}
         ${f.clientId ? sql`and v.client_id = ${f.clientId}` : sql``}
         ${f.serviceType ? sql`and v.service_type = ${f.serviceType}` : sql``}
         ${f.priority ? sql`and v.priority = ${f.priority}` : sql``}
         ${f.locationId ? sql`and v.location_id = ${f.locationId}` : sql``}
         ${f.technicianId ? sql`and v.technician_id = ${f.technicianId}` : sql``}
       group by 1),
    q as (
      select f.technician_id, count(*)::int as resolved,
             (count(*) filter (where f.first_time_fix is true))::int as first_time_fix,
             avg(f.rating)::float8 as mean_rating
        from kpi_request_facts f
       where ${dimensions(f)} and ${inPeriod('f.resolved_at', f)} and f.technician_id is not null
       group by 1)`;
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
    with ${byDays ? perDay : perRow},
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
    select g.asset_id, a.brand || ' ' || a.model as asset_label, g.location_id, l.name as location_name, g.service_type,
           g.requests, g.recurrences
      from (select f.asset_id, f.location_id, f.service_type,
                   count(*)::int as requests, (count(*) filter (where f.recurred is true))::int as recurrences
              from kpi_request_facts f
             where ${dimensions(f)} and ${inPeriod('f.resolved_at', f)}
             group by 1, 2, 3
            having count(*) filter (where f.recurred is true) > 0) g
      join client_locations l on l.id = g.location_id
      left join assets a on a.id = g.asset_id
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
export async function kpiDailyCreated(db: Executor, f: KpiFilters): Promise<Array<{ day: string; serviceType: string; count: number }>> {
  if (dailyApplies(f)) {
    const days = await sql<{ day: string; serviceType: string; count: number }>`
      select to_char(d.local_day, 'YYYY-MM-DD') as day, d.service_type, sum(d.created)::int as count
        from ${dailyTable(f)} d
       where ${dailyDimensions(f)}
       group by 1, 2 having sum(d.created) > 0`.execute(db);
    return days.rows;
  }
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

/** The daily sums (kpi_daily, kpi_daily_totals, kpi_daily_technicians) recomputed from all the facts (the triggers keep them up to date; this rebuilds them). */
export async function rebuildKpiDaily(db: Executor): Promise<void> {
  await sql`select kpi_daily_recompute(null), kpi_technicians_recompute(null)`.execute(db);
}

/** The KPI tables a bulk load writes (what autovacuum would analyse after it). */
const KPI_TABLES = ['kpi_request_facts', 'kpi_visit_facts', 'kpi_daily', 'kpi_daily_totals', 'kpi_daily_technicians'] as const;

/**
 * VACUUM (ANALYZE) of the KPI tables after a bulk write, as autovacuum would do later: the covering
 * indexes are read without the table once their pages are marked all-visible. Benchmarks only.
 */
export async function vacuumKpiTables(db: Executor, tables: ReadonlyArray<(typeof KPI_TABLES)[number]> = KPI_TABLES): Promise<void> {
  await sql`vacuum (analyze) ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
}

/** Rows of the daily sums (the benchmark prints it). */
export async function countKpiDailyRows(db: Executor): Promise<number> {
  return (await sql<{ n: number }>`select count(*)::int as n from kpi_daily`.execute(db)).rows[0]!.n;
}
