import { sql, type Kysely } from 'kysely';

// What the closure of an intervention leaves behind: the technician's report with preventive
// recommendations, and the client's answer to the satisfaction survey. One of each per request
// and per idempotency key, so a retried activity never writes twice.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('intervention_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    .addColumn('technician_id', 'uuid', (c) => c.references('technicians.id').onDelete('set null'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('recommendations', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('intervention_reports_request_idx').on('intervention_reports').column('request_id').execute();

  await db.schema
    .createTable('satisfaction_surveys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().unique().references('service_requests.id').onDelete('cascade'))
    .addColumn('rating', 'smallint', (c) => c.notNull().check(sql`rating between 1 and 5`))
    .addColumn('comment', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('answered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('satisfaction_surveys').ifExists().execute();
  await db.schema.dropTable('intervention_reports').ifExists().execute();
}
