import { sql, type Kysely } from 'kysely';

// The dispatch settings of the company (one row; defaults apply while there is none):
// - auto_publish_at: null, the nightly plan waits for a dispatcher to publish it; HH:MM (Europe/Paris,
//   the evening the plan is made, or the next morning when earlier than the nightly run), it
//   publishes itself then if nobody did;
// - emergency_mode: 'insert', a new P1 on a day with a published plan is inserted and published at
//   once; 'propose', the insertion is stored as a proposed version the dispatcher publishes.
// Staff read it (the board shows it); dispatchers and admins change it.

const READ = `app_is_staff()`;
const WRITE = `coalesce(app_role() in ('dispatcher', 'admin'), false)`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dispatch_settings')
    .addColumn('id', 'boolean', (c) =>
      c
        .primaryKey()
        .defaultTo(true)
        .check(sql`id`),
    )
    .addColumn('auto_publish_at', 'text', (c) => c.check(sql`auto_publish_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`))
    .addColumn('emergency_mode', 'text', (c) =>
      c
        .notNull()
        .defaultTo('insert')
        .check(sql`emergency_mode in ('insert', 'propose')`),
    )
    .addColumn('updated_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table dispatch_settings enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on dispatch_settings`.execute(db);
  await sql.raw(`create policy tenant_scope on dispatch_settings for all using (${READ}) with check (${WRITE})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dispatch_settings').execute();
}
