import { sql, type Kysely } from 'kysely';

// The dashboards at 100,000 closed interventions a year (issue 12, ≤ 300 ms a query).
//
// EXPLAIN ANALYZE (bench:reports) showed every dashboard query scanning all of kpi_request_facts
// and evaluating a dozen FILTER clauses and the row-level-security predicate on each row; the
// medians and p90s sorted up to 100,000 values each; the technicians' figures looked up an
// assignment per visit. Here:
//
// - kpi_daily: the sums and counts of the facts per day and dimension (what the summary, the
//   series and the forecast add up), kept exact by a statement trigger on kpi_request_facts that
//   recomputes the days its rows touched (whoever writes the facts: the refresh, a test).
//   `day` is the UTC date (the periods of the dashboards are UTC days), `local_day` the Paris date
//   (the series' weeks and months and the forecast's days are Paris days): a UTC day spans two.
//   The technician is not a dimension (it would make a row per request): a technician's own
//   figures are read from the facts.
//   kpi_daily_totals: the same over every company, site and priority (management, unfiltered).
// - kpi_visit_facts: one narrow row per on-site visit (checked-in time, technician, the
//   request's dimensions, on-site and travel minutes), written by the refresh with the facts;
//   kpi_daily_technicians: per day and technician, the visits and the requests resolved, kept by
//   triggers on both fact tables.
// - Indexes ordered by each measure, covering the columns its cohort is chosen by, so that a
//   median or p90 is read by walking the index to its rank (from the top for the p90) instead
//   of sorting the cohort; and covering indexes on the cohort dates.
// - The policies read the caller's settings once per query (`(select app_role())` is an
//   initPlan) rather than once per row.

const FACTS_POLICY = `(select app_back_office())
  or ((select app_is_client()) and client_id = (select app_client_id()))
  or ((select app_role()) = 'technician' and technician_id = (select app_technician_id()))`;
const DAILY_POLICY = `(select app_back_office()) or ((select app_is_client()) and client_id = (select app_client_id()))`;
const TOTALS_POLICY = `(select app_back_office())`;
const VISITS_POLICY = `(select app_back_office()) or ((select app_role()) = 'technician' and technician_id = (select app_technician_id()))`;

/** The measures read by rank, with the date their cohort is chosen by. */
export const RANKED_MEASURES = [
  ['first_response_minutes', 'created_at'],
  ['first_response_business_minutes', 'created_at'],
  ['resolution_minutes', 'resolved_at'],
  ['resolution_business_minutes', 'resolved_at'],
  ['escalation_minutes', 'created_at'],
] as const;

const DIMENSIONS = 'client_id, location_id, service_type, priority, technician_id';

/** The sums of kpi_daily, in its column order. */
const SUMS = [
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
  'rated',
  'rating_sum',
  'closed',
  'cancelled',
];
const SUMS_SQL = SUMS.map((c) => `sum(k.${c})`).join(', ');

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop policy if exists tenant_scope on kpi_request_facts`.execute(db);
  await sql.raw(`create policy tenant_scope on kpi_request_facts for all using (${FACTS_POLICY}) with check (${FACTS_POLICY})`).execute(db);

  for (const [measure, date] of RANKED_MEASURES) {
    await sql
      .raw(
        `create index kpi_facts_${measure}_rank_idx on kpi_request_facts (${measure}) include (${date}, ${DIMENSIONS})
         where ${measure} is not null`,
      )
      .execute(db);
    // A company's cohort (every client account's): its own rows in order, not all of them filtered.
    await sql
      .raw(
        `create index kpi_facts_client_${measure}_rank_idx on kpi_request_facts (client_id, ${measure}) include (${date}, ${DIMENSIONS.replace('client_id, ', '')})
         where ${measure} is not null`,
      )
      .execute(db);
  }
  // The series' medians per week or month, the technicians' and recurring problems' cohorts.
  await sql
    .raw(
      `create index kpi_facts_resolved_cover_idx on kpi_request_facts (resolved_at)
       include (${DIMENSIONS}, resolution_business_minutes, first_time_fix, rating, recurred, asset_id)
       where resolved_at is not null`,
    )
    .execute(db);
  // The forecast's hours per intervention.
  await sql`create index kpi_facts_visited_idx on kpi_request_facts (visits) include (on_site_minutes, travel_minutes, client_id, technician_id)
            where visits > 0`.execute(db);
  // The refresh of kpi_daily reads the facts of a day by each of their dates.
  await sql`create index kpi_facts_closed_idx on kpi_request_facts (closed_at) where closed_at is not null`.execute(db);
  await sql`create index kpi_facts_cancelled_idx on kpi_request_facts (cancelled_at) where cancelled_at is not null`.execute(db);
  await sql`create index kpi_facts_open_idx on kpi_request_facts (status) where status not in ('closed', 'cancelled')`.execute(db);

  await db.schema
    .createTable('kpi_daily')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('local_day', 'date', (c) => c.notNull())
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('location_id', 'uuid', (c) => c.notNull())
    .addColumn('service_type', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    // Created that day.
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('responded', 'integer', (c) => c.notNull())
    .addColumn('first_response_minutes', 'float8', (c) => c.notNull())
    .addColumn('first_response_business_minutes', 'float8', (c) => c.notNull())
    .addColumn('response_due', 'integer', (c) => c.notNull())
    .addColumn('response_met', 'integer', (c) => c.notNull())
    .addColumn('escalated', 'integer', (c) => c.notNull())
    .addColumn('escalation_minutes', 'float8', (c) => c.notNull())
    // Resolved that day.
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .addColumn('resolution_minutes', 'float8', (c) => c.notNull())
    .addColumn('resolution_business_minutes', 'float8', (c) => c.notNull())
    .addColumn('resolution_due', 'integer', (c) => c.notNull())
    .addColumn('resolution_met', 'integer', (c) => c.notNull())
    .addColumn('first_time_fix', 'integer', (c) => c.notNull())
    .addColumn('recurrence_known', 'integer', (c) => c.notNull())
    .addColumn('recurred', 'integer', (c) => c.notNull())
    .addColumn('surveyed', 'integer', (c) => c.notNull())
    .addColumn('answered', 'integer', (c) => c.notNull())
    .addColumn('answered_rating_sum', 'integer', (c) => c.notNull())
    .addColumn('promoters', 'integer', (c) => c.notNull())
    .addColumn('rated', 'integer', (c) => c.notNull())
    .addColumn('rating_sum', 'integer', (c) => c.notNull())
    // Closed (not cancelled) / cancelled that day.
    .addColumn('closed', 'integer', (c) => c.notNull())
    .addColumn('cancelled', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_daily_pkey', ['day', 'local_day', 'client_id', 'location_id', 'service_type', 'priority'])
    .execute();
  await sql`create index kpi_daily_client_day_idx on kpi_daily (client_id, day)`.execute(db);
  // The same sums over every company and site (what management sees unfiltered): a few rows a
  // day instead of one per site, priority and service type. Back office only.
  await sql`create table kpi_daily_totals (like kpi_daily including defaults)`.execute(db);
  // The policy the event trigger of migration 0003 gave it reads client_id: replaced below.
  await sql`drop policy if exists tenant_scope on kpi_daily_totals`.execute(db);
  await sql`alter table kpi_daily_totals drop column client_id, drop column location_id, drop column priority`.execute(db);
  await sql`alter table kpi_daily_totals add constraint kpi_daily_totals_pkey primary key (day, local_day, service_type)`.execute(db);
  await sql`alter table kpi_daily_totals enable row level security`.execute(db);
  await sql
    .raw(`create policy tenant_scope on kpi_daily_totals for all using (${TOTALS_POLICY}) with check (${TOTALS_POLICY})`)
    .execute(db);
  await sql`alter table kpi_daily enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on kpi_daily`.execute(db);
  await sql.raw(`create policy tenant_scope on kpi_daily for all using (${DAILY_POLICY}) with check (${DAILY_POLICY})`).execute(db);

  // The rows of the given UTC days (all days when null), recomputed from the facts.
  await sql`
    create function kpi_daily_recompute(days date[]) returns void language plpgsql
    security definer set search_path = public as $$
    begin
      -- One maintainer at a time: two transactions recomputing the same day would both insert it.
      perform pg_advisory_xact_lock(hashtext('kpi_daily'));
      if days is null then
        delete from kpi_daily;
        delete from kpi_daily_totals;
        select array_agg(distinct (t at time zone 'UTC')::date) into days
          from kpi_request_facts f, unnest(array[f.created_at, f.resolved_at, f.closed_at, f.cancelled_at]) t
         where t is not null;
      else
        delete from kpi_daily where day = any(days);
      end if;
      insert into kpi_daily
      select (x.at at time zone 'UTC')::date, (x.at at time zone 'Europe/Paris')::date,
             x.client_id, x.location_id, x.service_type, x.priority,
             sum(x.created), sum(x.responded), coalesce(sum(x.first_response_minutes), 0),
             coalesce(sum(x.first_response_business_minutes), 0), sum(x.response_due), sum(x.response_met),
             sum(x.escalated), coalesce(sum(x.escalation_minutes), 0),
             sum(x.resolved), coalesce(sum(x.resolution_minutes), 0), coalesce(sum(x.resolution_business_minutes), 0),
             sum(x.resolution_due), sum(x.resolution_met), sum(x.first_time_fix), sum(x.recurrence_known), sum(x.recurred),
             sum(x.surveyed), sum(x.answered), sum(x.answered_rating_sum), sum(x.promoters), sum(x.rated), sum(x.rating_sum),
             sum(x.closed), sum(x.cancelled)
        from (
          select f.created_at as at, f.client_id, f.location_id, f.service_type, f.priority,
                 1 as created, (f.first_response_minutes is not null)::int as responded,
                 f.first_response_minutes, f.first_response_business_minutes,
                 (f.first_response_minutes is not null and f.has_response_due)::int as response_due,
                 (f.first_response_minutes is not null and f.has_response_due and f.response_met is true)::int as response_met,
                 f.escalated::int as escalated, case when f.escalated then f.escalation_minutes end as escalation_minutes,
                 0 as resolved, null::float8 as resolution_minutes, null::float8 as resolution_business_minutes,
                 0 as resolution_due, 0 as resolution_met, 0 as first_time_fix, 0 as recurrence_known, 0 as recurred,
                 0 as surveyed, 0 as answered, 0 as answered_rating_sum, 0 as promoters, 0 as rated, 0 as rating_sum,
                 0 as closed, 0 as cancelled
            from unnest(days) d join kpi_request_facts f on f.created_at >= d::timestamp at time zone 'UTC'
                                                     and f.created_at < (d + 1)::timestamp at time zone 'UTC'
          union all
          select f.resolved_at, f.client_id, f.location_id, f.service_type, f.priority,
                 0, 0, null, null, 0, 0, 0, null,
                 1, f.resolution_minutes, f.resolution_business_minutes,
                 f.has_resolution_due::int, (f.has_resolution_due and f.resolution_met is true)::int,
                 (f.first_time_fix is true)::int, (f.recurred is not null)::int, (f.recurred is true)::int,
                 f.survey_sent::int, (f.survey_sent and f.rating is not null)::int,
                 case when f.survey_sent and f.rating is not null then f.rating else 0 end,
                 (f.survey_sent and coalesce(f.rating >= 4, false))::int,
                 (f.rating is not null)::int, coalesce(f.rating, 0),
                 0, 0
            from unnest(days) d join kpi_request_facts f on f.resolved_at >= d::timestamp at time zone 'UTC'
                                                     and f.resolved_at < (d + 1)::timestamp at time zone 'UTC'
          union all
          select f.closed_at, f.client_id, f.location_id, f.service_type, f.priority,
                 0, 0, null, null, 0, 0, 0, null, 0, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                 1, 0
            from unnest(days) d join kpi_request_facts f on f.closed_at >= d::timestamp at time zone 'UTC'
                                                     and f.closed_at < (d + 1)::timestamp at time zone 'UTC'
           where f.cancelled_at is null
          union all
          select f.cancelled_at, f.client_id, f.location_id, f.service_type, f.priority,
                 0, 0, null, null, 0, 0, 0, null, 0, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                 0, 1
            from unnest(days) d join kpi_request_facts f on f.cancelled_at >= d::timestamp at time zone 'UTC'
                                                     and f.cancelled_at < (d + 1)::timestamp at time zone 'UTC'
        ) x
       group by 1, 2, 3, 4, 5, 6;
      -- Their totals over companies, sites and priorities.
      delete from kpi_daily_totals where day = any(days);
      insert into kpi_daily_totals
      select k.day, k.local_day, k.service_type, ${sql.raw(SUMS_SQL)}
        from kpi_daily k where k.day = any(days)
       group by 1, 2, 3;
    end $$`.execute(db);
  // The days a statement's rows touched, before and after: each of their four dates.
  await sql`
    create function kpi_daily_after_facts() returns trigger language plpgsql
    security definer set search_path = public as $$
    declare
      touched date[];
    begin
      if tg_op = 'INSERT' then
        select array_agg(distinct d) into touched
          from new_rows r, unnest(array[r.created_at, r.resolved_at, r.closed_at, r.cancelled_at]) t,
               lateral (select (t at time zone 'UTC')::date as d) x
         where t is not null;
      elsif tg_op = 'UPDATE' then
        select array_agg(distinct d) into touched
          from (select * from old_rows union all select * from new_rows) r,
               unnest(array[r.created_at, r.resolved_at, r.closed_at, r.cancelled_at]) t,
               lateral (select (t at time zone 'UTC')::date as d) x
         where t is not null;
      else
        select array_agg(distinct d) into touched
          from old_rows r, unnest(array[r.created_at, r.resolved_at, r.closed_at, r.cancelled_at]) t,
               lateral (select (t at time zone 'UTC')::date as d) x
         where t is not null;
      end if;
      if touched is not null then
        perform kpi_daily_recompute(touched);
        perform kpi_technicians_recompute(touched);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger kpi_daily_after_insert after insert on kpi_request_facts
            referencing new table as new_rows for each statement execute function kpi_daily_after_facts()`.execute(db);
  await sql`create trigger kpi_daily_after_update after update on kpi_request_facts
            referencing old table as old_rows new table as new_rows for each statement execute function kpi_daily_after_facts()`.execute(
    db,
  );
  await sql`create trigger kpi_daily_after_delete after delete on kpi_request_facts
            referencing old table as old_rows for each statement execute function kpi_daily_after_facts()`.execute(db);

  await db.schema
    .createTable('kpi_visit_facts')
    .addColumn('visit_id', 'uuid', (c) => c.primaryKey().references('site_visits.id').onDelete('cascade'))
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    .addColumn('technician_id', 'uuid', (c) => c.notNull())
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('location_id', 'uuid', (c) => c.notNull())
    .addColumn('service_type', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('checked_in_at', 'timestamptz', (c) => c.notNull())
    .addColumn('on_site_minutes', 'numeric')
    .addColumn('travel_minutes', 'integer')
    .execute();
  await sql`create index kpi_visit_facts_request_idx on kpi_visit_facts (request_id)`.execute(db);
  await sql`create index kpi_visit_facts_checked_in_idx on kpi_visit_facts (checked_in_at)
            include (technician_id, client_id, location_id, service_type, priority, on_site_minutes, travel_minutes)`.execute(db);
  await sql`create index kpi_visit_facts_technician_idx on kpi_visit_facts (technician_id, checked_in_at)`.execute(db);
  await sql`alter table kpi_visit_facts enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on kpi_visit_facts`.execute(db);
  await sql.raw(`create policy tenant_scope on kpi_visit_facts for all using (${VISITS_POLICY}) with check (${VISITS_POLICY})`).execute(db);
  // The visits of the requests that already have facts (later ones come with their refresh).
  await sql`
    insert into kpi_visit_facts
    select v.id, v.request_id, v.technician_id, f.client_id, f.location_id, f.service_type, f.priority, v.checked_in_at,
           extract(epoch from (v.checked_out_at - v.checked_in_at)) / 60, a.travel_minutes
      from site_visits v join kpi_request_facts f on f.request_id = v.request_id left join assignments a on a.id = v.assignment_id
     where v.mode = 'on_site'`.execute(db);

  // Per UTC day and technician: the visits checked in that day (kpi_visit_facts) and the requests
  // resolved that day attributed to the technician (kpi_request_facts), what the technicians'
  // figures add up when no client, site, service type or priority is asked for.
  await db.schema
    .createTable('kpi_daily_technicians')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('technician_id', 'uuid', (c) => c.notNull())
    .addColumn('visits', 'integer', (c) => c.notNull())
    .addColumn('on_site_minutes', 'numeric')
    .addColumn('travel_minutes', 'bigint')
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .addColumn('first_time_fix', 'integer', (c) => c.notNull())
    .addColumn('rated', 'integer', (c) => c.notNull())
    .addColumn('rating_sum', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_daily_technicians_pkey', ['day', 'technician_id'])
    .execute();
  await sql`alter table kpi_daily_technicians enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on kpi_daily_technicians`.execute(db);
  await sql
    .raw(`create policy tenant_scope on kpi_daily_technicians for all using (${VISITS_POLICY}) with check (${VISITS_POLICY})`)
    .execute(db);
  await sql`
    create function kpi_technicians_recompute(days date[]) returns void language plpgsql
    security definer set search_path = public as $$
    begin
      perform pg_advisory_xact_lock(hashtext('kpi_daily_technicians'));
      if days is null then
        delete from kpi_daily_technicians;
        select array_agg(distinct d) into days
          from (select (checked_in_at at time zone 'UTC')::date as d from kpi_visit_facts
                union select (resolved_at at time zone 'UTC')::date from kpi_request_facts where resolved_at is not null) x;
      else
        delete from kpi_daily_technicians where day = any(days);
      end if;
      insert into kpi_daily_technicians
      select x.day, x.technician_id, sum(x.visits), sum(x.on_site_minutes), sum(x.travel_minutes),
             sum(x.resolved), sum(x.first_time_fix), sum(x.rated), sum(x.rating_sum)
        from (
          select d as day, v.technician_id, 1 as visits, v.on_site_minutes, v.travel_minutes,
                 0 as resolved, 0 as first_time_fix, 0 as rated, 0 as rating_sum
            from unnest(days) d join kpi_visit_facts v on v.checked_in_at >= d::timestamp at time zone 'UTC'
                                                      and v.checked_in_at < (d + 1)::timestamp at time zone 'UTC'
          union all
          select d, f.technician_id, 0, null, null,
                 1, (f.first_time_fix is true)::int, (f.rating is not null)::int, coalesce(f.rating, 0)
            from unnest(days) d join kpi_request_facts f on f.resolved_at >= d::timestamp at time zone 'UTC'
                                                        and f.resolved_at < (d + 1)::timestamp at time zone 'UTC'
           where f.technician_id is not null
        ) x
       group by 1, 2;
    end $$`.execute(db);
  await sql`
    create function kpi_technicians_after_visits() returns trigger language plpgsql
    security definer set search_path = public as $$
    declare
      touched date[];
    begin
      if tg_op = 'INSERT' then
        select array_agg(distinct (checked_in_at at time zone 'UTC')::date) into touched from new_rows;
      elsif tg_op = 'UPDATE' then
        select array_agg(distinct (checked_in_at at time zone 'UTC')::date) into touched
          from (select checked_in_at from old_rows union all select checked_in_at from new_rows) r;
      else
        select array_agg(distinct (checked_in_at at time zone 'UTC')::date) into touched from old_rows;
      end if;
      if touched is not null then
        perform kpi_technicians_recompute(touched);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger kpi_technicians_after_insert after insert on kpi_visit_facts
            referencing new table as new_rows for each statement execute function kpi_technicians_after_visits()`.execute(db);
  await sql`create trigger kpi_technicians_after_update after update on kpi_visit_facts
            referencing old table as old_rows new table as new_rows for each statement execute function kpi_technicians_after_visits()`.execute(
    db,
  );
  await sql`create trigger kpi_technicians_after_delete after delete on kpi_visit_facts
            referencing old table as old_rows for each statement execute function kpi_technicians_after_visits()`.execute(db);

  await sql`select kpi_daily_recompute(null)`.execute(db);
  await sql`select kpi_technicians_recompute(null)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kpi_visit_facts').execute();
  await sql`drop function kpi_technicians_after_visits()`.execute(db);
  await db.schema.dropTable('kpi_daily_technicians').execute();
  for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger kpi_daily_after_${op} on kpi_request_facts`).execute(db);
  await sql`drop function kpi_daily_after_facts()`.execute(db);
  await sql`drop function kpi_daily_recompute(date[])`.execute(db);
  await sql`drop function kpi_technicians_recompute(date[])`.execute(db);
  await db.schema.dropTable('kpi_daily_totals').execute();
  await db.schema.dropTable('kpi_daily').execute();
  for (const name of ['open', 'closed', 'cancelled', 'visited']) await sql.raw(`drop index kpi_facts_${name}_idx`).execute(db);
  await sql`drop index kpi_facts_resolved_cover_idx`.execute(db);
  for (const [measure] of RANKED_MEASURES) {
    await sql.raw(`drop index kpi_facts_${measure}_rank_idx`).execute(db);
    await sql.raw(`drop index kpi_facts_client_${measure}_rank_idx`).execute(db);
  }
  await sql`drop policy if exists tenant_scope on kpi_request_facts`.execute(db);
  const policy = `app_back_office() or (app_is_client() and client_id = app_client_id()) or (app_role() = 'technician' and technician_id = app_technician_id())`;
  await sql.raw(`create policy tenant_scope on kpi_request_facts for all using (${policy}) with check (${policy})`).execute(db);
}
