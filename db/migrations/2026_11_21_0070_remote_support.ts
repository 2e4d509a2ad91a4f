import { sql, type Kysely } from 'kysely';

// Remote support is billed like any closure. Two things the schema lacked:
// - the contract's rule for it: 'included' (the default) treats the time like on-site labour
//   (free on a flat-rate contract, else drawn from the monthly included hours, the rest billed),
//   'billed' always bills it, 'not_billed' never does; at its own hourly rate, or the contract's
//   hourly rate when none is set. Contracts without a terms row get the same defaults in code.
// - where the time is kept: remote_sessions, one row per remote proposal, written by the
//   activity that records the proposal (keyed like it, so a retry writes once). site_visits does
//   not fit: its technician_id is mandatory and the time here is a support agent's, not a
//   technician's.

/** The same bound as the API's (minutes of one proposal): a last guard, not the validation. */
const MAX_MINUTES = 480;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('contract_billing_terms')
    .addColumn('remote_support_billing', 'text', (c) =>
      c
        .notNull()
        .defaultTo('included')
        .check(sql`remote_support_billing in ('included', 'billed', 'not_billed')`),
    )
    .addColumn('remote_support_rate_cents', 'integer', (c) => c.check(sql`remote_support_rate_cents >= 0`))
    .execute();

  await db.schema
    .createTable('remote_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    // Who did the work: the account that proposed the solution (support agent or admin). Kept
    // when the account is deleted, minus the link, because the time may be invoiced.
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('minutes', 'integer', (c) => c.notNull().check(sql.raw(`minutes between 1 and ${MAX_MINUTES}`)))
    .addColumn('performed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('remote_sessions_request_idx').on('remote_sessions').column('request_id').execute();
  // Visible with its request (back office, the request's client, its technician); a no-op where
  // the access-control event trigger already protected it at creation.
  await sql`select app_protect_table('remote_sessions'::regclass)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('remote_sessions').ifExists().execute();
  await db.schema
    .alterTable('contract_billing_terms')
    .dropColumn('remote_support_rate_cents')
    .dropColumn('remote_support_billing')
    .execute();
}
