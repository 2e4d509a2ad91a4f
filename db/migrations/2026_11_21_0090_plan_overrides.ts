import { sql, type Kysely } from 'kysely';

// Dispatcher overrides of a daily plan. Each override is re-solved into a NEW plan row (a version)
// rather than an edit of the previous one, so the board, the audit and a later comparison see
// what the optimizer proposed and what the dispatcher changed, in order:
// - version: 1 for an optimizer run, base version + 1 for an override;
// - base_plan_id: the version the override was applied to;
// - override: what was asked (kind, ticket, technician, time), by whom (user id, role, name),
//   when, and what it moved; the cumulative list lives in the result, so re-solving later
//   versions re-applies every earlier override.
// The table keeps its row-level security policy (staff only, 0050); no new table.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('dispatch_plans')
    .addColumn('version', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`version >= 1`),
    )
    .addColumn('base_plan_id', 'uuid', (c) => c.references('dispatch_plans.id').onDelete('set null'))
    .addColumn('override', 'jsonb')
    .execute();
  await db.schema.createIndex('dispatch_plans_base_idx').on('dispatch_plans').column('base_plan_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dispatch_plans_base_idx').ifExists().execute();
  await db.schema.alterTable('dispatch_plans').dropColumn('override').dropColumn('base_plan_id').dropColumn('version').execute();
}
