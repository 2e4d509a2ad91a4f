import { sql, type Kysely } from 'kysely';

// Certifications a job requires (issue 14): a service type can require some for every client
// (e.g. electrical clearance for hardware upgrades), a client's contract can add its own (e.g.
// the client's security vetting). The daily plan asks the optimizer for the union, as a hard
// requirement; only technicians' certifications valid on the plan's day count. Names match
// technician_certifications.name (free text, compared exactly).
// - contracts.required_certifications: on the contract row, so the contracts' own policy applies.
// - service_type_requirements: platform-wide reference data, one row per service type that has
//   requirements; everyone may read it (the plan and the admin screens do), only admins change it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('contracts')
    .addColumn('required_certifications', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();

  await db.schema
    .createTable('service_type_requirements')
    .addColumn('service_type', 'text', (c) => c.primaryKey())
    .addColumn('required_certifications', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table service_type_requirements enable row level security`.execute(db);
  await sql`create policy read_all on service_type_requirements for select using (true)`.execute(db);
  await sql`create policy admin_write on service_type_requirements for all
            using (coalesce(app_role() = 'admin', false)) with check (coalesce(app_role() = 'admin', false))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_type_requirements').ifExists().execute();
  await db.schema.alterTable('contracts').dropColumn('required_certifications').execute();
}
