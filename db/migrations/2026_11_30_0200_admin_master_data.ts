import { sql, type Kysely } from 'kysely';

// The administration workspace's data.
// - Sites: opening hours per ISO weekday (several ranges a day, e.g. 08:30–12:00 and 14:00–18:00)
//   and closure dates, as rows the dispatch optimizer can read (the old `opening_hours` jsonb of
//   free text is kept for display only). Visible exactly as their site is: the policies below
//   ask client_locations, whose own policy then applies.
// - Account links: one-time links by email (invitation, password reset). Only the SHA-256 of the
//   secret is stored; a link is used once and expires. Created by an admin (any account) or a
//   client admin (accounts of their company: the users policy decides which they see).
// - The audit log records the object's state before and after each master-data change.

const SITE_VISIBLE = `exists (select 1 from client_locations l where l.id = location_id)`;
const LINK_SCOPE = `app_role() in ('admin', 'client_admin') and exists (select 1 from users u where u.id = user_id)`;

async function protect(db: Kysely<any>, table: string, expression: string) {
  await sql.raw(`alter table ${table} enable row level security`).execute(db);
  await sql.raw(`drop policy if exists tenant_scope on ${table}`).execute(db);
  await sql.raw(`create policy tenant_scope on ${table} for all using (${expression}) with check (${expression})`).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('site_opening_hours')
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('client_locations.id').onDelete('cascade'))
    .addColumn('weekday', 'smallint', (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('opens_at', 'time', (c) => c.notNull())
    .addColumn('closes_at', 'time', (c) => c.notNull())
    .addPrimaryKeyConstraint('site_opening_hours_pk', ['location_id', 'weekday', 'opens_at'])
    .addCheckConstraint('site_opening_hours_order', sql`closes_at > opens_at`)
    .execute();
  await protect(db, 'site_opening_hours', SITE_VISIBLE);

  await db.schema
    .createTable('site_closures')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('client_locations.id').onDelete('cascade'))
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addCheckConstraint('site_closures_dates', sql`ends_on >= starts_on`)
    .execute();
  await db.schema.createIndex('site_closures_location_idx').on('site_closures').columns(['location_id', 'starts_on']).execute();
  await protect(db, 'site_closures', SITE_VISIBLE);

  await db.schema
    .createTable('account_links')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('invite', 'reset')`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by_user_id', 'uuid', (c) => c.defaultTo(sql`app_user_id()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('account_links_user_idx').on('account_links').column('user_id').execute();
  await protect(db, 'account_links', LINK_SCOPE);

  await db.schema.alterTable('audit_log').addColumn('before', 'jsonb').addColumn('after', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('before').dropColumn('after').execute();
  await db.schema.dropTable('account_links').ifExists().execute();
  await db.schema.dropTable('site_closures').ifExists().execute();
  await db.schema.dropTable('site_opening_hours').ifExists().execute();
}
