import { sql, type Kysely } from 'kysely';

// Scheduled KPI reports (issue 12, "Scheduled reports"; docs/kpis.md "Scheduled reports").
// - report_subscriptions: who receives the weekly and/or monthly report of a scope. The scope is
//   management (client_id null, staff-wide figures, managed by an admin) or one client company
//   (managed by its client_admin). One row per scope and account.
// - kpi_reports: each report produced, with its PDF and CSV. The unique key (scope, period_kind,
//   period_start) is what makes a report exist exactly once whatever retries or restarts happen.
// Row-level security: the back office reads every row; a client_admin its own company's rows
// only (never a management row, whose client_id is null).

const POLICY = `app_back_office() or (app_role() = 'client_admin' and client_id = app_client_id())`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('client_id', 'uuid', (c) => c.references('clients.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) =>
      c
        .notNull()
        .generatedAlwaysAs(sql`coalesce(client_id::text, 'management')`)
        .stored(),
    )
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('weekly', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('monthly', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('report_subscriptions_scope_user_key', ['scope', 'user_id'])
    .addCheckConstraint('report_subscriptions_some_frequency', sql`weekly or monthly`)
    .execute();

  await db.schema
    .createTable('kpi_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('client_id', 'uuid', (c) => c.references('clients.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) =>
      c
        .notNull()
        .generatedAlwaysAs(sql`coalesce(client_id::text, 'management')`)
        .stored(),
    )
    .addColumn('period_kind', 'text', (c) => c.notNull().check(sql`period_kind in ('weekly', 'monthly')`))
    /** The first day of the period and the day after its last (calendar days in Europe/Paris). */
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('fr'))
    .addColumn('figures', 'jsonb', (c) => c.notNull())
    .addColumn('pdf', 'bytea', (c) => c.notNull())
    .addColumn('csv', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('kpi_reports_scope_period_key', ['scope', 'period_kind', 'period_start'])
    .execute();
  await db.schema.createIndex('kpi_reports_client_idx').on('kpi_reports').columns(['client_id', 'period_start']).execute();

  for (const table of ['report_subscriptions', 'kpi_reports']) {
    await sql.raw(`alter table ${table} enable row level security`).execute(db);
    await sql.raw(`drop policy if exists tenant_scope on ${table}`).execute(db);
    await sql.raw(`create policy tenant_scope on ${table} for all using (${POLICY}) with check (${POLICY})`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kpi_reports').ifExists().execute();
  await db.schema.dropTable('report_subscriptions').ifExists().execute();
}
