import { sql, type Kysely } from 'kysely';

// The optimized daily plans: one row per run, with the solver's result kept whole (routes with
// times, unassigned visits with their reasons, cost breakdown, statistics) for the dispatcher's
// board, the audit of what was proposed, and comparisons between runs.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dispatch_plans')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('plan_date', 'date', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('proposed')
        .check(sql`status in ('proposed', 'published', 'superseded')`),
    )
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('visits', 'integer', (c) => c.notNull())
    .addColumn('technicians', 'integer', (c) => c.notNull())
    .addColumn('assigned', 'integer', (c) => c.notNull())
    .addColumn('feasible', 'boolean', (c) => c.notNull())
    .addColumn('all_p1_placed', 'boolean', (c) => c.notNull())
    .addColumn('travel_minutes', 'integer', (c) => c.notNull())
    .addColumn('solve_ms', 'integer', (c) => c.notNull())
    .addColumn('result', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // A retried activity stores its run's plan once.
  await db.schema.createIndex('dispatch_plans_run_key').on('dispatch_plans').columns(['workflow_id', 'run_id']).unique().execute();
  await db.schema.createIndex('dispatch_plans_date_idx').on('dispatch_plans').columns(['plan_date', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dispatch_plans').ifExists().execute();
}
