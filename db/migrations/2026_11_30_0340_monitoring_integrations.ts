import { sql, type Kysely } from 'kysely';

// Monitoring alerts → requests (issue 13). A company's admin creates an integration (a bearer
// token shown once, only its SHA-256 stored, revocable) that Prometheus Alertmanager sends its
// webhook to. Each alert group (Alertmanager's groupKey) has at most one open request: its
// `alert_groups` row says which, how many notifications came, whether it resolved, and whether
// closing was proposed to support (resolved before any visit started).

const SCOPE = `app_is_staff() or (app_role() = 'client_admin' and client_id = app_client_id())`;
const GROUP_READ = `app_back_office() or (app_is_client() and client_id = app_client_id())`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitoring_integrations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // Where a request goes when no asset matches the alert, and its service type by default.
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('client_locations.id').onDelete('cascade'))
    .addColumn('service_type', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('monitoring_integrations_client_idx').on('monitoring_integrations').column('client_id').execute();

  await db.schema
    .createTable('alert_groups')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('integration_id', 'uuid', (c) => c.notNull().references('monitoring_integrations.id').onDelete('cascade'))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('ticket_number', 'text')
    .addColumn('asset_id', 'uuid', (c) => c.references('assets.id').onDelete('set null'))
    .addColumn('open', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('alert_status', 'text', (c) => c.notNull().check(sql`alert_status in ('firing', 'resolved')`))
    .addColumn('notifications', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('first_notified_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_notified_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('close_proposed_at', 'timestamptz')
    .execute();
  // One open request per alert group and integration.
  await sql`create unique index alert_groups_open_key on alert_groups (integration_id, group_key) where open`.execute(db);
  await db.schema.createIndex('alert_groups_ticket_idx').on('alert_groups').column('ticket_number').execute();

  for (const [table, read, write] of [
    ['monitoring_integrations', SCOPE, SCOPE],
    ['alert_groups', GROUP_READ, `app_is_staff()`],
  ] as const) {
    await sql.raw(`alter table ${table} enable row level security`).execute(db);
    await sql.raw(`drop policy if exists tenant_scope on ${table}`).execute(db);
    await sql.raw(`create policy ${table}_read on ${table} for select using (${read})`).execute(db);
    await sql.raw(`create policy ${table}_write on ${table} for insert with check (${write})`).execute(db);
    await sql.raw(`create policy ${table}_update on ${table} for update using (${write}) with check (${write})`).execute(db);
    await sql.raw(`create policy ${table}_delete on ${table} for delete using (${write})`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alert_groups').execute();
  await db.schema.dropTable('monitoring_integrations').execute();
}
