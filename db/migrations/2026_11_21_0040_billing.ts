import { sql, type Kysely } from 'kysely';

// Billing: the pricing terms of each contract, the gapless number series, and the issued
// documents (invoices, type 380, and credit notes, type 381). An issued document is a legal
// record: a trigger rejects every UPDATE and DELETE, a correction is a credit note.

export async function up(db: Kysely<any>): Promise<void> {
  // Pricing rules the contracts table does not hold. A contract without a row here is billed
  // with the defaults below (15-minute increments, 30-minute minimum, the contract's hourly
  // rate, a flat travel fee per on-site visit, 20 % VAT).
  await db.schema
    .createTable('contract_billing_terms')
    .addColumn('contract_id', 'uuid', (c) => c.primaryKey().references('contracts.id').onDelete('cascade'))
    .addColumn('rounding_increment_minutes', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(15)
        .check(sql`rounding_increment_minutes between 1 and 240`),
    )
    .addColumn('minimum_billed_minutes', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(30)
        .check(sql`minimum_billed_minutes >= 0`),
    )
    .addColumn('rate_n1_cents', 'integer', (c) => c.check(sql`rate_n1_cents >= 0`))
    .addColumn('rate_n2_cents', 'integer', (c) => c.check(sql`rate_n2_cents >= 0`))
    .addColumn('rate_n3_cents', 'integer', (c) => c.check(sql`rate_n3_cents >= 0`))
    .addColumn('travel_mode', 'text', (c) =>
      c
        .notNull()
        .defaultTo('flat')
        .check(sql`travel_mode in ('flat', 'per_km', 'included')`),
    )
    .addColumn('travel_per_km_cents', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`travel_per_km_cents >= 0`),
    )
    .addColumn('parts_discount_basis_points', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`parts_discount_basis_points between 0 and 10000`),
    )
    .addColumn('labour_vat_basis_points', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(2000)
        .check(sql`labour_vat_basis_points between 0 and 10000`),
    )
    .addColumn('travel_vat_basis_points', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(2000)
        .check(sql`travel_vat_basis_points between 0 and 10000`),
    )
    .addColumn('payment_terms_days', 'integer', (c) => c.check(sql`payment_terms_days between 0 and 60`))
    .execute();

  // One row per (series, year); the number is taken with an upsert-increment inside the
  // transaction that inserts the document, so a rollback gives the number back.
  await db.schema
    .createTable('invoice_counters')
    .addColumn('series', 'text', (c) => c.notNull().check(sql`series in ('FA', 'AV')`))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_value', 'integer', (c) => c.notNull().check(sql`last_value >= 0`))
    .addPrimaryKeyConstraint('invoice_counters_pk', ['series', 'year'])
    .execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('type_code', 'integer', (c) => c.notNull().check(sql`type_code in (380, 381)`))
    .addColumn('series', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull().check(sql`sequence > 0`))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('request_id', 'uuid', (c) => c.references('service_requests.id').onDelete('restrict'))
    .addColumn('ticket_number', 'text')
    .addColumn('credited_invoice_id', 'uuid', (c) => c.references('invoices.id').onDelete('restrict'))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('restrict'))
    .addColumn('contract_id', 'uuid', (c) => c.references('contracts.id').onDelete('restrict'))
    .addColumn('issue_date', 'date', (c) => c.notNull())
    .addColumn('due_date', 'date', (c) => c.notNull())
    .addColumn('delivery_date', 'date')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('EUR'))
    .addColumn('seller', 'jsonb', (c) => c.notNull())
    .addColumn('buyer', 'jsonb', (c) => c.notNull())
    .addColumn('lines', 'jsonb', (c) => c.notNull())
    .addColumn('vat_breakdown', 'jsonb', (c) => c.notNull())
    .addColumn('total_excl_vat_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_vat_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_incl_vat_cents', 'bigint', (c) => c.notNull())
    .addColumn('included_minutes_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text')
    .addColumn('pdf', 'bytea', (c) => c.notNull())
    .addColumn('xml', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('invoices_series_sequence_key', ['series', 'year', 'sequence'])
    .addCheckConstraint(
      'invoices_kind_check',
      sql`(type_code = 380 and request_id is not null and credited_invoice_id is null and series = 'FA')
       or (type_code = 381 and credited_invoice_id is not null and reason is not null and series = 'AV')`,
    )
    .execute();
  // Exactly one invoice per intervention, whatever retries or duplicate signals happen.
  await sql`create unique index invoices_one_per_request on invoices (request_id) where type_code = 380`.execute(db);
  await db.schema.createIndex('invoices_client_issue_idx').on('invoices').columns(['client_id', 'issue_date']).execute();
  await db.schema.createIndex('invoices_issue_idx').on('invoices').columns(['issue_date', 'number']).execute();
  await db.schema.createIndex('invoices_credited_idx').on('invoices').column('credited_invoice_id').execute();

  await sql`
    create function invoices_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'issued invoices and credit notes cannot be modified or deleted (%): issue a credit note',
        old.number using errcode = 'integrity_constraint_violation';
    end $$`.execute(db);
  await sql`create trigger invoices_immutable before update or delete on invoices
            for each row execute function invoices_immutable()`.execute(db);
  // TRUNCATE bypasses row triggers: reject it too.
  await sql`
    create function invoices_no_truncate() returns trigger language plpgsql as $$
    begin
      raise exception 'issued invoices and credit notes cannot be deleted' using errcode = 'integrity_constraint_violation';
    end $$`.execute(db);
  await sql`create trigger invoices_no_truncate before truncate on invoices
            for each statement execute function invoices_no_truncate()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('invoices').ifExists().execute();
  await sql`drop function if exists invoices_immutable()`.execute(db);
  await sql`drop function if exists invoices_no_truncate()`.execute(db);
  await db.schema.dropTable('invoice_counters').ifExists().execute();
  await db.schema.dropTable('contract_billing_terms').ifExists().execute();
}
