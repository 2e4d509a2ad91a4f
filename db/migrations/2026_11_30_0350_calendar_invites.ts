import { sql, type Kysely } from 'kysely';

// Calendar invites and feeds (issue 14, "What people receive"):
// - outbound_messages keeps the iCalendar part of an invite (its METHOD and exact bytes), so the
//   outbox shows and downloads it and a later SMTP retry sends the same bytes;
// - visit_invites holds, per visit (service request), the SEQUENCE of its calendar event (UID
//   `<request id>@intervention-platform`), raised once per invite message (last_key makes the
//   raise idempotent under activity retries), read by the invites and the feed alike;
// - calendar_feed_tokens: a technician's subscription URLs, only the SHA-256 of the secret kept,
//   revocable.

const VISIT_POLICY = `app_back_office() or app_tech_on_request(request_id)`;
const FEED_POLICY = `app_back_office() or (app_role() = 'technician' and technician_id = app_technician_id())`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('outbound_messages')
    .addColumn('ical_method', 'text', (c) => c.check(sql`ical_method in ('REQUEST', 'CANCEL', 'PUBLISH')`))
    .addColumn('ical_content', 'text')
    .execute();

  await db.schema
    .createTable('visit_invites')
    .addColumn('request_id', 'uuid', (c) => c.primaryKey().references('service_requests.id').onDelete('cascade'))
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_key', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('calendar_feed_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('technician_id', 'uuid', (c) => c.notNull().references('technicians.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('calendar_feed_tokens_technician_idx').on('calendar_feed_tokens').column('technician_id').execute();

  for (const [table, policy] of [
    ['visit_invites', VISIT_POLICY],
    ['calendar_feed_tokens', FEED_POLICY],
  ] as const) {
    await sql.raw(`alter table ${table} enable row level security`).execute(db);
    await sql.raw(`drop policy if exists tenant_scope on ${table}`).execute(db);
    await sql.raw(`create policy tenant_scope on ${table} for all using (${policy}) with check (${policy})`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_feed_tokens').execute();
  await db.schema.dropTable('visit_invites').execute();
  await db.schema.alterTable('outbound_messages').dropColumn('ical_content').dropColumn('ical_method').execute();
}
