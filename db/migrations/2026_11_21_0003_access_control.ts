import { sql, type Kysely } from 'kysely';

// Who may see and do what. Accounts, sessions, API tokens, login throttling, per-client OIDC,
// the append-only audit log, GDPR consents, and tenant isolation as PostgreSQL row-level
// security: the API runs each request in a transaction switched to the NOLOGIN role
// `app_tenant` with the caller's identity in `app.*` settings, so every query of every route is
// filtered by the policies below, in one place. The worker keeps the owner connection (owners
// bypass RLS) because workflows act for the platform, not for a caller.

const CLIENT_ROLES = `('client_user', 'client_admin')`;
const ROLES = `('client_user', 'client_admin', 'support_agent', 'dispatcher', 'technician', 'finance', 'admin')`;

/** Tables filtered by a policy, with the policy's expression (USING and WITH CHECK). */
const POLICIES: Record<string, string> = {
  clients: `app_back_office() or (app_is_client() and id = app_client_id()) or (app_role() = 'technician' and app_tech_serves_client(id))`,
  client_contacts: `app_back_office() or (app_is_client() and client_id = app_client_id()) or (app_role() = 'technician' and app_tech_serves_client(client_id))`,
  client_locations: `app_back_office() or (app_is_client() and client_id = app_client_id()) or (app_role() = 'technician' and app_tech_serves_client(client_id))`,
  assets: `app_back_office() or (app_is_client() and client_id = app_client_id()) or (app_role() = 'technician' and app_tech_serves_client(client_id))`,
  contracts: `app_back_office() or (app_is_client() and client_id = app_client_id())`,
  contract_sla_targets: `app_back_office() or (app_is_client() and exists (select 1 from contracts c where c.id = contract_id and c.client_id = app_client_id()))`,
  service_requests: `app_back_office() or (app_is_client() and client_id = app_client_id()) or (app_role() = 'technician' and app_tech_on_request(id))`,
  request_events: `app_request_visible(request_id)`,
  parts_used: `app_request_visible(request_id)`,
  consents: `app_request_visible(request_id)`,
  // Finance sees reports (for invoicing), never diagnostic bundles or photos.
  request_attachments: `app_is_staff() or (app_role() = 'finance' and kind = 'report') or (app_role() <> 'finance' and app_request_visible(request_id))`,
  assignments: `app_back_office() or (app_role() = 'technician' and technician_id = app_technician_id()) or (app_is_client() and app_request_visible(request_id))`,
  site_visits: `app_back_office() or (app_role() = 'technician' and technician_id = app_technician_id()) or (app_is_client() and app_request_visible(request_id))`,
  outbound_messages: `app_back_office()`,
  technicians: `app_back_office() or (app_role() = 'technician' and id = app_technician_id())`,
  // Skills, certifications, shifts and absences (with their reasons) are about one person.
  technician_skills: `app_back_office() or (app_role() = 'technician' and technician_id = app_technician_id())`,
  technician_certifications: `app_back_office() or (app_role() = 'technician' and technician_id = app_technician_id())`,
  technician_shifts: `app_back_office() or (app_role() = 'technician' and technician_id = app_technician_id())`,
  technician_absences: `app_back_office() or (app_role() = 'technician' and technician_id = app_technician_id())`,
  users: `app_role() = 'admin' or id = app_user_id() or (app_role() = 'client_admin' and client_id = app_client_id())`,
  sessions: `app_role() = 'admin' or user_id = app_user_id()`,
  api_tokens: `app_role() = 'admin' or user_id = app_user_id()`,
};

/** Reached only through the owner connection (the authentication layer), never by a request. */
const PRIVATE_TABLES = ['login_throttle', 'oidc_providers', 'oidc_logins', 'kysely_migration', 'kysely_migration_lock'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email = lower(email) and email like '%_@_%'`))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql.raw(`role in ${ROLES}`)))
    .addColumn('client_id', 'uuid', (c) => c.references('clients.id').onDelete('cascade'))
    .addColumn('technician_id', 'uuid', (c) => c.references('technicians.id').onDelete('cascade'))
    .addColumn('password_hash', 'text')
    .addColumn('locale', 'text', (c) =>
      c
        .notNull()
        .defaultTo('fr')
        .check(sql`locale in ('fr', 'en')`),
    )
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('disabled_at', 'timestamptz')
    // A client account always belongs to one company; a technician account to one technician.
    .addCheckConstraint('users_client_scope', sql.raw(`(role in ${CLIENT_ROLES}) = (client_id is not null)`))
    .addCheckConstraint('users_technician_scope', sql`(role = 'technician') = (technician_id is not null)`)
    .execute();
  await db.schema.createIndex('users_email_key').on('users').column('email').unique().execute();
  await db.schema.createIndex('users_client_idx').on('users').column('client_id').execute();

  for (const table of ['sessions', 'api_tokens']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
      // SHA-256 of the secret: a leaked table does not leak usable credentials.
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text')
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('expires_at', 'timestamptz')
      .addColumn('last_used_at', 'timestamptz')
      .addColumn('revoked_at', 'timestamptz')
      .execute();
    await db.schema.createIndex(`${table}_user_idx`).on(table).column('user_id').execute();
  }

  // Failed logins per key (`account:<email>`, `ip:<address>`), in the database so that the
  // throttle survives restarts and holds across API processes.
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('locked_until', 'timestamptz')
    .execute();

  await db.schema
    .createTable('oidc_providers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('client_id', 'uuid', (c) => c.notNull().unique().references('clients.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`slug ~ '^[a-z0-9-]{2,40}$'`),
    )
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('oidc_client_id', 'text', (c) => c.notNull())
    // The secret itself lives in the environment / secret store; the row names the variable.
    .addColumn('client_secret_env', 'text')
    .addColumn('allowed_email_domain', 'text', (c) => c.notNull())
    .addColumn('default_role', 'text', (c) =>
      c
        .notNull()
        .defaultTo('client_user')
        .check(sql.raw(`default_role in ${CLIENT_ROLES}`)),
    )
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('oidc_logins')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('provider_id', 'uuid', (c) => c.notNull().references('oidc_providers.id').onDelete('cascade'))
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    // No foreign keys: the log outlives the accounts and objects it mentions.
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('personal_data', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_user_id', 'at']).execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity_type', 'entity_id']).execute();
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger audit_log_append_only before update or delete on audit_log
            for each row execute function audit_log_append_only()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
            for each statement execute function audit_log_append_only()`.execute(db);

  await db.schema
    .createTable('consents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    .addColumn('subject_email', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('diagnostic_data')`))
    .addColumn('granted', 'boolean', (c) => c.notNull())
    .addColumn('recorded_by_user_id', 'uuid')
    .addColumn('ip', 'text')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('consents_request_idx').on('consents').columns(['request_id', 'recorded_at']).execute();
  await db.schema.createIndex('consents_subject_idx').on('consents').column('subject_email').execute();

  await db.schema.alterTable('service_requests').addColumn('anonymised_at', 'timestamptz').execute();

  // --- The caller's identity, as set by the API for the request's transaction. ---
  await sql`create function app_role() returns text language sql stable as
            $$ select nullif(current_setting('app.role', true), '') $$`.execute(db);
  for (const name of ['client_id', 'technician_id', 'user_id']) {
    await sql
      .raw(
        `create function app_${name}() returns uuid language sql stable as
         $$ select nullif(current_setting('app.${name}', true), '')::uuid $$`,
      )
      .execute(db);
  }
  await sql`create function app_is_staff() returns boolean language sql stable as
            $$ select coalesce(app_role() in ('support_agent', 'dispatcher', 'admin'), false) $$`.execute(db);
  await sql`create function app_back_office() returns boolean language sql stable as
            $$ select coalesce(app_role() in ('support_agent', 'dispatcher', 'admin', 'finance'), false) $$`.execute(db);
  await sql
    .raw(
      `create function app_is_client() returns boolean language sql stable as
       $$ select coalesce(app_role() in ${CLIENT_ROLES}, false) $$`,
    )
    .execute(db);
  // SECURITY DEFINER: these look across tables without the policies of those tables, which
  // keeps policies free of cycles (requests ↔ assignments) and cheap.
  await sql`create function app_tech_on_request(req uuid) returns boolean language sql stable
            security definer set search_path = public as $$
              select exists (select 1 from assignments a where a.request_id = req
                               and a.technician_id = app_technician_id() and a.status <> 'cancelled')
                  or exists (select 1 from site_visits v where v.request_id = req and v.technician_id = app_technician_id())
            $$`.execute(db);
  await sql`create function app_tech_serves_client(cid uuid) returns boolean language sql stable
            security definer set search_path = public as $$
              select exists (select 1 from assignments a join service_requests r on r.id = a.request_id
                             where r.client_id = cid and a.technician_id = app_technician_id() and a.status <> 'cancelled')
                  or exists (select 1 from site_visits v join service_requests r on r.id = v.request_id
                             where r.client_id = cid and v.technician_id = app_technician_id())
            $$`.execute(db);
  await sql`create function app_request_visible(req uuid) returns boolean language sql stable
            security definer set search_path = public as $$
              select app_back_office()
                  or (app_is_client() and exists (select 1 from service_requests r where r.id = req and r.client_id = app_client_id()))
                  or (app_role() = 'technician' and app_tech_on_request(req))
            $$`.execute(db);

  // Every status change is audited centrally, whoever makes it (workflow activity or API).
  await sql`
    create function audit_request_status() returns trigger language plpgsql security definer set search_path = public as $$
    begin
      if new.status is distinct from old.status then
        insert into audit_log (actor_user_id, actor_role, action, entity_type, entity_id, details)
        values (app_user_id(), coalesce(app_role(), 'system'), 'status_change', 'service_request', new.ticket_number,
                jsonb_build_object('from', old.status, 'to', new.status));
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger service_requests_audit_status after update of status on service_requests
            for each row execute function audit_request_status()`.execute(db);

  // --- The request role and its grants. Roles are cluster-wide: create it once. ---
  await sql`do $$ begin
              if not exists (select 1 from pg_roles where rolname = 'app_tenant') then
                create role app_tenant nologin;
              end if;
            end $$`.execute(db);
  // The application's login role must be allowed to SET ROLE app_tenant (a no-op for superusers).
  await sql`do $$ begin
              if not (select rolsuper from pg_roles where rolname = current_user) then
                execute format('grant app_tenant to %I', current_user);
              end if;
            end $$`.execute(db);
  await sql`grant usage on schema public to app_tenant`.execute(db);
  await sql`grant select, insert, update, delete on all tables in schema public to app_tenant`.execute(db);
  await sql`grant usage, select on all sequences in schema public to app_tenant`.execute(db);
  // Tables added by later migrations are reachable too; they must add their own policy.
  await sql`alter default privileges in schema public grant select, insert, update, delete on tables to app_tenant`.execute(db);
  await sql`alter default privileges in schema public grant usage, select on sequences to app_tenant`.execute(db);
  for (const table of PRIVATE_TABLES) {
    await sql.raw(`revoke all on ${table} from app_tenant`).execute(db);
  }
  await sql`revoke update, delete, truncate on audit_log from app_tenant`.execute(db);

  for (const [table, expression] of Object.entries(POLICIES)) {
    await sql.raw(`alter table ${table} enable row level security`).execute(db);
    await sql.raw(`create policy tenant_scope on ${table} for all using (${expression}) with check (${expression})`).execute(db);
  }
  // Tables created by later migrations (other features: invoices, photos…) get a policy at
  // creation from their columns, so a new tenant table is never readable across tenants by
  // default: client_id → the client's rows; else request_id → the request's visibility; else
  // technician_id → the technician's rows. Creating an event trigger needs a superuser; where the
  // migrator is not one, later migrations must call app_protect_table() themselves.
  await sql`
    create function app_protect_table(tbl regclass) returns void language plpgsql as $$
    declare
      cols text[];
      expr text;
    begin
      select array_agg(attname::text) into cols from pg_attribute where attrelid = tbl and attnum > 0 and not attisdropped;
      if exists (select 1 from pg_policies p where format('%I.%I', p.schemaname, p.tablename)::regclass = tbl) then
        return;
      elsif 'client_id' = any(cols) then
        expr := 'app_back_office() or (app_is_client() and client_id = app_client_id())';
      elsif 'request_id' = any(cols) then
        expr := 'app_request_visible(request_id)';
      elsif 'technician_id' = any(cols) then
        expr := 'app_back_office() or (app_role() = ''technician'' and technician_id = app_technician_id())';
      else
        return;
      end if;
      execute format('alter table %s enable row level security', tbl);
      execute format('create policy tenant_scope on %s for all using (%s) with check (%s)', tbl, expr, expr);
    end $$`.execute(db);
  await sql`do $do$ begin
    if (select rolsuper from pg_roles where rolname = current_user) then
      create function app_protect_new_tables() returns event_trigger language plpgsql as $$
      declare
        command record;
      begin
        for command in select * from pg_event_trigger_ddl_commands()
                       where object_type = 'table' and schema_name = 'public' loop
          if command.object_identity not like 'public.kysely_%' then
            perform app_protect_table(command.objid::regclass);
          end if;
        end loop;
      end $$;
      create event trigger app_protect_new_tables on ddl_command_end when tag in ('CREATE TABLE')
        execute function app_protect_new_tables();
    end if;
  end $do$`.execute(db);

  await sql`alter table audit_log enable row level security`.execute(db);
  await sql`create policy audit_read on audit_log for select using (app_role() = 'admin')`.execute(db);
  await sql`create policy audit_append on audit_log for insert with check (true)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop event trigger if exists app_protect_new_tables`.execute(db);
  await sql`drop function if exists app_protect_new_tables()`.execute(db);
  await sql`drop function if exists app_protect_table(regclass)`.execute(db);
  for (const table of Object.keys(POLICIES)) {
    await sql.raw(`drop policy if exists tenant_scope on ${table}`).execute(db);
    await sql.raw(`alter table ${table} disable row level security`).execute(db);
  }
  await sql`drop trigger if exists service_requests_audit_status on service_requests`.execute(db);
  await sql`drop function if exists audit_request_status()`.execute(db);
  await db.schema.alterTable('service_requests').dropColumn('anonymised_at').execute();
  for (const table of ['consents', 'audit_log', 'oidc_logins', 'oidc_providers', 'login_throttle', 'api_tokens', 'sessions', 'users']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`drop function if exists audit_log_append_only()`.execute(db);
  for (const fn of [
    'app_request_visible(uuid)',
    'app_tech_serves_client(uuid)',
    'app_tech_on_request(uuid)',
    'app_is_client()',
    'app_back_office()',
    'app_is_staff()',
    'app_user_id()',
    'app_technician_id()',
    'app_client_id()',
    'app_role()',
  ]) {
    await sql.raw(`drop function if exists ${fn}`).execute(db);
  }
  // The role is cluster-wide (other databases may use it): only its rights here are removed.
  await sql`drop owned by app_tenant`.execute(db);
}
