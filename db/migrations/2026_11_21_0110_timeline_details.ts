import { sql, type Kysely } from 'kysely';

// The facts of a timeline entry as data (technician's name and slot, check-in mode, rating…), so
// the web page can say them in the reader's language instead of showing the workflow's English
// message with ISO dates. Nullable: entries written before this column keep their message only,
// and the page falls back to it. The row-level security of request_events covers the new column.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('request_events')
    .addColumn('details', 'jsonb', (c) => c.check(sql`details is null or jsonb_typeof(details) = 'object'`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('request_events').dropColumn('details').execute();
}
