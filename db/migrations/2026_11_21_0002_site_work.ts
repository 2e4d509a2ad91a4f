import { sql, type Kysely } from 'kysely';

// What happens on site, shared by the lifecycle (which writes it) and billing (which prices it):
// each visit with its check-in/out and travel, the parts catalogue, and the parts replaced.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('site_visits')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    .addColumn('assignment_id', 'uuid', (c) => c.references('assignments.id').onDelete('set null'))
    .addColumn('technician_id', 'uuid', (c) => c.notNull().references('technicians.id').onDelete('restrict'))
    .addColumn('mode', 'text', (c) =>
      c
        .notNull()
        .defaultTo('on_site')
        .check(sql`mode in ('on_site', 'remote')`),
    )
    .addColumn('checked_in_at', 'timestamptz', (c) => c.notNull())
    .addColumn('checked_out_at', 'timestamptz')
    .addColumn('travel_km', sql`numeric(7,2)`, (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`travel_km >= 0`),
    )
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('site_visits_order', sql`checked_out_at is null or checked_out_at >= checked_in_at`)
    .execute();
  await db.schema.createIndex('site_visits_request_idx').on('site_visits').column('request_id').execute();

  await db.schema
    .createTable('parts_catalogue')
    .addColumn('sku', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('unit_price_cents', 'integer', (c) => c.notNull().check(sql`unit_price_cents >= 0`))
    .addColumn('vat_rate_basis_points', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(2000)
        .check(sql`vat_rate_basis_points between 0 and 10000`),
    )
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();

  await db.schema
    .createTable('parts_used')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    .addColumn('site_visit_id', 'uuid', (c) => c.references('site_visits.id').onDelete('set null'))
    .addColumn('sku', 'text', (c) => c.notNull().references('parts_catalogue.sku').onDelete('restrict'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('serial_numbers', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('under_warranty', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('parts_used_request_idx').on('parts_used').column('request_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('parts_used').ifExists().execute();
  await db.schema.dropTable('parts_catalogue').ifExists().execute();
  await db.schema.dropTable('site_visits').ifExists().execute();
}
