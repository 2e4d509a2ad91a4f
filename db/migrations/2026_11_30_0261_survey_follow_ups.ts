import { sql, type Kysely } from 'kysely';

// Closing the quality loop (docs/kpis.md, "The technician's rating"): a survey answered with a
// rating of 2 or less opens one follow-up task for support (one per request). Staff only: the
// client's own answer stays in satisfaction_surveys.

const POLICY = `app_is_staff()`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_follow_ups')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().unique().references('service_requests.id').onDelete('cascade'))
    .addColumn('technician_id', 'uuid', (c) => c.references('technicians.id').onDelete('set null'))
    .addColumn('rating', 'smallint', (c) => c.notNull().check(sql`rating between 1 and 5`))
    .addColumn('comment', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'done')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('survey_follow_ups_open_idx').on('survey_follow_ups').columns(['status', 'created_at']).execute();
  await sql`alter table survey_follow_ups enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on survey_follow_ups`.execute(db);
  await sql.raw(`create policy tenant_scope on survey_follow_ups for all using (${POLICY}) with check (${POLICY})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_follow_ups').execute();
}
