import { sql, type Kysely } from 'kysely';

// The accounting settings of the FEC export (journal code, sales accounts per line kind,
// VAT-collected accounts per rate, client accounts): one row, a JSON document the API validates
// (api/finance/accounting-settings.ts, whose defaults apply while there is no row). Finance and
// admins read and change it; nobody else sees it.

const FINANCE = `coalesce(app_role() in ('finance', 'admin'), false)`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('accounting_settings')
    .addColumn('id', 'boolean', (c) =>
      c
        .primaryKey()
        .defaultTo(true)
        .check(sql`id`),
    )
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table accounting_settings enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on accounting_settings`.execute(db);
  await sql.raw(`create policy tenant_scope on accounting_settings for all using (${FINANCE}) with check (${FINANCE})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('accounting_settings').execute();
}
