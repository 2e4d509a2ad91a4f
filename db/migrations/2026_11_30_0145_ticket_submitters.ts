import { sql, type Kysely } from 'kysely';

// Who submitted each ticket: the account that took its number. The request row is written later,
// by the workflow's intake activity, which does not know the caller; the ticket number is taken in
// the API's scoped transaction, whose settings name the caller (app_user_id(), the same identity
// row-level security checks), so the row is written there, with the number. The right of access
// (GDPR export) lists the requests an account submitted even when the form gave another contact
// email; without this only the contact's email linked them.
// Readable by staff and by the account itself; the account's erasure leaves the ticket unlinked.

const READ = `app_is_staff() or user_id = app_user_id()`;
const WRITE = `app_is_staff() or user_id is not distinct from app_user_id()`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_submitters')
    .addColumn('ticket_number', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) =>
      c
        .references('users.id')
        .onDelete('set null')
        .defaultTo(sql`app_user_id()`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ticket_submitters_user_idx').on('ticket_submitters').column('user_id').execute();
  // Backfill from what earlier intakes left: the Idempotency-Key's account, and the uploader of
  // the request's photos or diagnostic bundle.
  await sql`insert into ticket_submitters (ticket_number, user_id, created_at)
            select ticket_number, user_id, created_at from intake_idempotency_keys where user_id is not null
            on conflict do nothing`.execute(db);
  await sql`insert into ticket_submitters (ticket_number, user_id, created_at)
            select distinct on (r.ticket_number) r.ticket_number, a.uploaded_by_user_id, r.created_at
              from request_attachments a join service_requests r on r.id = a.request_id
             where a.uploaded_by_user_id is not null and a.kind in ('photo', 'diagnostic_bundle')
             order by r.ticket_number, a.created_at
            on conflict do nothing`.execute(db);
  await sql`alter table ticket_submitters enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on ticket_submitters`.execute(db);
  await sql.raw(`create policy tenant_scope on ticket_submitters for all using (${READ}) with check (${WRITE})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_submitters').execute();
}
