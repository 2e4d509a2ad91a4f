import { sql, type Kysely } from 'kysely';

// The facts of each request (docs/kpis.md): its measures computed once by the refreshKpiFacts
// activity (business minutes need the SLA calendar, which lives in code), so that the dashboards
// aggregate one narrow table instead of replaying every request's history per query.
// Row-level security: back office all; a client its own company's; a technician the requests
// attributed to them (their last visit).

const POLICY = `app_back_office() or (app_is_client() and client_id = app_client_id()) or (app_role() = 'technician' and technician_id = app_technician_id())`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kpi_request_facts')
    .addColumn('request_id', 'uuid', (c) => c.primaryKey().references('service_requests.id').onDelete('cascade'))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('location_id', 'uuid', (c) => c.notNull())
    .addColumn('contract_id', 'uuid')
    .addColumn('asset_id', 'uuid')
    .addColumn('service_type', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('technician_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('first_response_minutes', 'float8')
    .addColumn('first_response_business_minutes', 'float8')
    .addColumn('resolution_minutes', 'float8')
    .addColumn('resolution_business_minutes', 'float8')
    .addColumn('paused_minutes', 'float8', (c) => c.notNull().defaultTo(0))
    .addColumn('paused_business_minutes', 'float8', (c) => c.notNull().defaultTo(0))
    .addColumn('response_met', 'boolean')
    .addColumn('resolution_met', 'boolean')
    .addColumn('has_response_due', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('has_resolution_due', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('escalated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('escalation_minutes', 'float8')
    .addColumn('rejections', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_time_fix', 'boolean')
    .addColumn('recurred', 'boolean')
    .addColumn('survey_sent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('rating', 'smallint')
    .addColumn('visits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('on_site_minutes', 'float8', (c) => c.notNull().defaultTo(0))
    .addColumn('travel_minutes', 'float8', (c) => c.notNull().defaultTo(0))
    /** service_requests.updated_at the facts were computed from: the refresh picks newer ones. */
    .addColumn('source_updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('refreshed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  for (const [name, cols] of [
    ['kpi_facts_created_idx', ['created_at']],
    ['kpi_facts_resolved_idx', ['resolved_at']],
    ['kpi_facts_client_created_idx', ['client_id', 'created_at']],
    ['kpi_facts_client_resolved_idx', ['client_id', 'resolved_at']],
    ['kpi_facts_technician_resolved_idx', ['technician_id', 'resolved_at']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('kpi_request_facts')
      .columns([...cols])
      .execute();
  }
  // The refresh finds requests changed since their facts by updated_at.
  await sql`create index if not exists service_requests_updated_idx on service_requests (updated_at)`.execute(db);
  await sql`alter table kpi_request_facts enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on kpi_request_facts`.execute(db);
  await sql.raw(`create policy tenant_scope on kpi_request_facts for all using (${POLICY}) with check (${POLICY})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kpi_request_facts').execute();
  await sql`drop index if exists service_requests_updated_idx`.execute(db);
}
