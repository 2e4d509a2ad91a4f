import { sql, type Kysely } from 'kysely';

// The photos and diagnostic bundle of an intake, stored by the API before it starts the
// intervention workflow, keyed by ticket number: the request row they belong to is written later
// by the workflow's intake activity, which may run seconds or hours later (no worker polling).
// That activity moves them into request_attachments (delete … returning → insert, one statement,
// so a retry moves nothing twice). Until then they are readable only by staff and by the
// company the request is for; no route reads them, the policy is there so none ever could
// across tenants.

const POLICY = `app_is_staff() or (app_is_client() and client_id = app_client_id())`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('intake_attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ticket_number', 'text', (c) => c.notNull())
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('photo', 'diagnostic_bundle')`))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('uploaded_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('intake_attachments_ticket_idx').on('intake_attachments').column('ticket_number').execute();
  // The event trigger of 0003 (where it exists) gave it the generic per-client policy, which lets
  // finance read photos; replaced by the narrower one, and set here where there is no trigger.
  await sql`alter table intake_attachments enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on intake_attachments`.execute(db);
  await sql.raw(`create policy tenant_scope on intake_attachments for all using (${POLICY}) with check (${POLICY})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('intake_attachments').execute();
}
