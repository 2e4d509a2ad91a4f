import { sql, type Kysely } from 'kysely';

// The asset registry (issue 13): the demo `assets` table becomes each company's register. It
// gains a hostname (matched by monitoring alerts), a department, the contract that covers it, a
// status (in service, in repair, retired) and the NAS kind. Row-level security is split: every
// role that read assets still reads them (staff and finance all, a client its company's, a
// technician those of the companies they serve); only staff and the company's own admin write.

const READ = `app_back_office() or (app_is_client() and client_id = app_client_id()) or (app_role() = 'technician' and app_tech_serves_client(client_id))`;
const WRITE = `app_is_staff() or (app_role() = 'client_admin' and client_id = app_client_id())`;
const KINDS = ['workstation', 'laptop', 'server', 'printer', 'network', 'nas', 'phone', 'other'];
const OLD_KINDS = ['workstation', 'laptop', 'server', 'printer', 'network', 'phone', 'other'];

const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('assets')
    .addColumn('hostname', 'text')
    .addColumn('department', 'text')
    .addColumn('contract_id', 'uuid', (c) => c.references('contracts.id').onDelete('set null'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('in_service')
        .check(sql`status in ('in_service', 'in_repair', 'retired')`),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table assets drop constraint if exists assets_kind_check`.execute(db);
  await sql`alter table assets add constraint assets_kind_check check (kind in (${list(KINDS)}))`.execute(db);
  // Alerts name a host: one asset per hostname and company (case-insensitive), found by index.
  await sql`create unique index assets_hostname_key on assets (client_id, lower(hostname)) where hostname is not null`.execute(db);
  await db.schema.createIndex('assets_contract_idx').on('assets').column('contract_id').execute();

  await sql`drop policy if exists tenant_scope on assets`.execute(db);
  await sql.raw(`create policy assets_read on assets for select using (${READ})`).execute(db);
  await sql.raw(`create policy assets_insert on assets for insert with check (${WRITE})`).execute(db);
  await sql.raw(`create policy assets_update on assets for update using (${WRITE}) with check (${WRITE})`).execute(db);
  await sql.raw(`create policy assets_delete on assets for delete using (${WRITE})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['assets_read', 'assets_insert', 'assets_update', 'assets_delete']) {
    await sql.raw(`drop policy if exists ${name} on assets`).execute(db);
  }
  await sql.raw(`create policy tenant_scope on assets for all using (${READ}) with check (${READ})`).execute(db);
  await sql`drop index if exists assets_hostname_key`.execute(db);
  await sql`update assets set kind = 'network' where kind = 'nas'`.execute(db);
  await sql`alter table assets drop constraint if exists assets_kind_check`.execute(db);
  await sql`alter table assets add constraint assets_kind_check check (kind in (${list(OLD_KINDS)}))`.execute(db);
  await db.schema
    .alterTable('assets')
    .dropColumn('hostname')
    .dropColumn('department')
    .dropColumn('contract_id')
    .dropColumn('status')
    .dropColumn('updated_at')
    .execute();
}
