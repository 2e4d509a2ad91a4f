import { sql, type Kysely } from 'kysely';

// An intake's Idempotency-Key → its ticket. Written in the API's first transaction (with the
// ticket number and the staged files), before the workflow starts, so a client that resubmits
// after a dropped connection gets the ticket it already has instead of a second one.
// - id: a digest of the account and the key (the key is per account: the same key from another
//   account is another intake), so the raw key is not stored;
// - request_hash: a digest of the body, to refuse the same key with a different body (409);
// - created_at: also the intake's submission time, reused when a retry has to start the workflow.
// Readable only by the account that wrote it (and staff, who may need to trace a duplicate).

const POLICY = `app_is_staff() or user_id = app_user_id()`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('intake_idempotency_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('ticket_number', 'text', (c) => c.notNull().unique())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('intake_idempotency_keys_created_idx').on('intake_idempotency_keys').column('created_at').execute();
  // The event trigger of 0003 (where it exists) gave it the generic per-client policy (a whole
  // company, finance included); replaced by the per-account one, and set here where there is no trigger.
  await sql`alter table intake_idempotency_keys enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on intake_idempotency_keys`.execute(db);
  await sql.raw(`create policy tenant_scope on intake_idempotency_keys for all using (${POLICY}) with check (${POLICY})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('intake_idempotency_keys').execute();
}
