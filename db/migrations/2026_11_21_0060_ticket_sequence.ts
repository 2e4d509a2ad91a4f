import { sql, type Kysely } from 'kysely';

// Ticket numbers from a sequence instead of a counter row. The row had to be locked until the
// transaction that took it committed; under row-level security every API call is one
// transaction, which lasts until the intake's workflow has confirmed it, so concurrent intakes
// queued on that lock (or starved the pool when taken on a second connection). nextval() locks
// nothing and never repeats. Ticket numbers must be unique, not gapless (invoice numbers are the
// gapless ones, see the billing migration); the sequence continues across years.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence ticket_number_seq`.execute(db);
  await sql`select setval('ticket_number_seq', coalesce((select max(last_value) from ticket_counters), 0) + 1, false)`.execute(db);
  await sql`grant usage, select on sequence ticket_number_seq to app_tenant`.execute(db);
  await db.schema.dropTable('ticket_counters').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last_value', 'integer', (c) => c.notNull().check(sql`last_value >= 0`))
    .execute();
  await sql`insert into ticket_counters (year, last_value)
            select extract(year from now())::int, last_value from ticket_number_seq where is_called`.execute(db);
  await sql`drop sequence ticket_number_seq`.execute(db);
}
