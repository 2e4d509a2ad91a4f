import { sql, type Kysely } from 'kysely';

// Payment status of the invoices. Issued invoices are immutable (migration 0040), so a payment is
// a row of its own: at most one per invoice, the date it was paid on, who recorded it and when.
// No row: unpaid (overdue once the due date has passed, computed when read). Finance and admins
// record and withdraw payments (each change audited by the API); back-office roles read them, a
// client company's users read their own company's (client_id copied from the invoice on insert).

const READ = `app_back_office() or (app_is_client() and client_id = app_client_id())`;
const WRITE = `coalesce(app_role() in ('finance', 'admin'), false)`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invoice_payments')
    .addColumn('invoice_id', 'uuid', (c) => c.primaryKey().references('invoices.id').onDelete('restrict'))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('restrict'))
    .addColumn('paid_on', 'date', (c) => c.notNull())
    .addColumn('recorded_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('invoice_payments_client_idx').on('invoice_payments').column('client_id').execute();
  // The event trigger of 0003 may have given the table its default client policy (which would
  // let a client write): replace it by a read policy and a finance-only write policy.
  await sql`alter table invoice_payments enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on invoice_payments`.execute(db);
  await sql.raw(`create policy tenant_scope on invoice_payments for select using (${READ})`).execute(db);
  await sql.raw(`create policy finance_write on invoice_payments for all using (${WRITE}) with check (${WRITE})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('invoice_payments').execute();
}
