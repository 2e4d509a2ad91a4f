import { sql, type Kysely } from 'kysely';

// Per-client single sign-on configured through the API (admins for any company, a client admin
// for their own), and who provided each attachment (GDPR right of access).
//
// oidc_providers was reachable only through the owner connection. It now has row-level security
// (admin: every row; client_admin: their company's row; everyone else: nothing) and COLUMN
// grants: a request may write the sealed client secret but never read it back, so no route can
// leak it even by a `select *`; `has_client_secret` tells the UI whether one is set. The
// `client_secret_env` column (the NAME of an environment variable) stays owner-only: a client
// admin who could set it would make the server send any of its environment variables
// (DATABASE_URL…) to an identity provider of their choosing.
//
// allowed_email_domain becomes allowed_email_domains (one company often has several).

const READABLE = [
  'id',
  'client_id',
  'slug',
  'issuer',
  'oidc_client_id',
  'allowed_email_domains',
  'default_role',
  'enabled',
  'has_client_secret',
  'created_at',
  'updated_at',
  'updated_by_user_id',
];
const INSERTABLE = [
  'client_id',
  'slug',
  'issuer',
  'oidc_client_id',
  'client_secret_sealed',
  'allowed_email_domains',
  'default_role',
  'enabled',
  'updated_by_user_id',
];
const UPDATABLE = [
  'slug',
  'issuer',
  'oidc_client_id',
  'client_secret_sealed',
  'allowed_email_domains',
  'default_role',
  'enabled',
  'updated_at',
  'updated_by_user_id',
];

const POLICY = `app_role() = 'admin' or (app_role() = 'client_admin' and client_id = app_client_id())`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table oidc_providers add column allowed_email_domains text[]`.execute(db);
  await sql`update oidc_providers set allowed_email_domains = array[lower(allowed_email_domain)]`.execute(db);
  await sql`alter table oidc_providers alter column allowed_email_domains set not null`.execute(db);
  await sql`alter table oidc_providers add constraint oidc_providers_domains_check
            check (cardinality(allowed_email_domains) between 1 and 20)`.execute(db);
  await sql`alter table oidc_providers drop column allowed_email_domain`.execute(db);
  // `v1.<iv>.<tag>.<ciphertext>` (AES-256-GCM, key OIDC_SECRET_KEY) or `plain.<secret>` where no
  // key is configured (development only; see docs/access-control.md).
  await sql`alter table oidc_providers add column client_secret_sealed text`.execute(db);
  await sql`alter table oidc_providers add column has_client_secret boolean
            generated always as (client_secret_sealed is not null or client_secret_env is not null) stored`.execute(db);
  await sql`alter table oidc_providers add column updated_at timestamptz not null default now()`.execute(db);
  await sql`alter table oidc_providers add column updated_by_user_id uuid`.execute(db);

  await sql`alter table oidc_providers enable row level security`.execute(db);
  await sql.raw(`create policy tenant_scope on oidc_providers for all using (${POLICY}) with check (${POLICY})`).execute(db);
  await sql`revoke all on oidc_providers from app_tenant`.execute(db);
  await sql.raw(`grant select (${READABLE.join(', ')}) on oidc_providers to app_tenant`).execute(db);
  await sql.raw(`grant insert (${INSERTABLE.join(', ')}) on oidc_providers to app_tenant`).execute(db);
  await sql.raw(`grant update (${UPDATABLE.join(', ')}) on oidc_providers to app_tenant`).execute(db);

  // Email domains already used by another company (its provider, or accounts outside this
  // company, staff included). A client admin must not claim them: the provider they control
  // could otherwise create accounts squatting other people's addresses. SECURITY DEFINER: the
  // caller cannot see those rows; only the clashing domains are revealed, not whose they are.
  await sql`
    create function app_email_domains_claimed(domains text[], for_client uuid) returns text[]
    language sql stable security definer set search_path = public as $$
      select coalesce(array_agg(distinct d order by d), '{}')
      from unnest(domains) d
      where exists (select 1 from oidc_providers p where p.client_id <> for_client and d = any(p.allowed_email_domains))
         or exists (select 1 from users u where split_part(u.email, '@', 2) = d and u.client_id is distinct from for_client)
    $$`.execute(db);
  await sql`grant execute on function app_email_domains_claimed(text[], uuid) to app_tenant`.execute(db);

  // Who provided an attachment (the intake's caller), for the right of access.
  await sql`alter table request_attachments add column uploaded_by_user_id uuid`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table request_attachments drop column uploaded_by_user_id`.execute(db);
  await sql`drop function if exists app_email_domains_claimed(text[], uuid)`.execute(db);
  await sql`drop policy if exists tenant_scope on oidc_providers`.execute(db);
  await sql`alter table oidc_providers disable row level security`.execute(db);
  await sql`revoke all on oidc_providers from app_tenant`.execute(db);
  await sql`alter table oidc_providers add column allowed_email_domain text`.execute(db);
  await sql`update oidc_providers set allowed_email_domain = allowed_email_domains[1]`.execute(db);
  await sql`alter table oidc_providers alter column allowed_email_domain set not null`.execute(db);
  for (const column of ['updated_by_user_id', 'updated_at', 'has_client_secret', 'client_secret_sealed', 'allowed_email_domains']) {
    await sql.raw(`alter table oidc_providers drop column ${column}`).execute(db);
  }
}
