import { sql, type Kysely } from 'kysely';

// Row-level security for the tables that the access-control migration's event trigger could not
// classify from their columns (no client_id, request_id or technician_id), so they were left
// readable and writable by every signed-in role, clients and technicians included:
// - dispatch_plans: a day's routes name every client's tickets, sites and times → staff only;
// - contract_billing_terms: a contract's negotiated rates → back office, or the contract's client;
// - invoice_counters: the legal number series → finance and admins (credit notes via the API).
// The tables the trigger did classify (invoices, intervention_reports, satisfaction_surveys) are
// protected again here by app_protect_table(), a no-op where the trigger already did it: the
// trigger exists only where the migrator is a superuser, and these must not stay open elsewhere.

const POLICIES: Record<string, string> = {
  dispatch_plans: `app_is_staff()`,
  contract_billing_terms: `app_back_office() or (app_is_client() and exists (select 1 from contracts c where c.id = contract_id and c.client_id = app_client_id()))`,
  invoice_counters: `coalesce(app_role() in ('finance', 'admin'), false)`,
};

const CLASSIFIED = ['invoices', 'intervention_reports', 'satisfaction_surveys'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, expression] of Object.entries(POLICIES)) {
    await sql.raw(`alter table ${table} enable row level security`).execute(db);
    await sql.raw(`drop policy if exists tenant_scope on ${table}`).execute(db);
    await sql.raw(`create policy tenant_scope on ${table} for all using (${expression}) with check (${expression})`).execute(db);
  }
  for (const table of CLASSIFIED) {
    await sql`select app_protect_table(${table}::regclass)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of Object.keys(POLICIES)) {
    await sql.raw(`drop policy if exists tenant_scope on ${table}`).execute(db);
    await sql.raw(`alter table ${table} disable row level security`).execute(db);
  }
}
