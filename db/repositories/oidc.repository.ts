/**
 * Single sign-on: each client company's identity provider (`oidc_providers`) and the sign-in
 * attempts under way (`oidc_logins`: state, PKCE verifier and nonce between the redirect and the
 * callback). Under a scoped executor row-level security decides which configuration a caller
 * reaches; the sealed client secret is never selected by the functions a request uses to read.
 */
import { sql, type Insertable, type Updateable } from 'kysely';
import type { OidcLoginsTable, OidcProvidersTable } from '../schema/auth.table.js';
import type { Executor } from '../executor.js';

/** Every column a request may read: the sealed secret is not one of them. */
const PUBLIC_COLUMNS = [
  'id',
  'clientId',
  'slug',
  'issuer',
  'oidcClientId',
  'allowedEmailDomains',
  'defaultRole',
  'enabled',
  'hasClientSecret',
  'createdAt',
  'updatedAt',
  'updatedByUserId',
] as const;

/** The enabled provider named `slug` in sign-in URLs, with its secret (owner connection only). */
export async function findEnabledOidcProviderBySlug(db: Executor, slug: string) {
  return db.selectFrom('oidcProviders').selectAll().where('slug', '=', slug).where('enabled', '=', true).executeTakeFirst();
}

/** The provider `id`, enabled or not, with its secret (owner connection only); throws when there is none. */
export async function getOidcProvider(db: Executor, id: string) {
  return db.selectFrom('oidcProviders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * The slug of the enabled provider that signs in addresses of `domain` (lower case), if any: what
 * the sign-in page asks before offering single sign-on (owner connection: nobody is signed in yet).
 */
export async function findEnabledOidcSlugForDomain(db: Executor, domain: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('oidcProviders')
    .select('slug')
    .where('enabled', '=', true)
    .where(sql<boolean>`${domain} = any(select lower(d) from unnest(allowed_email_domains) d)`)
    .orderBy('slug')
    .executeTakeFirst();
  return row?.slug;
}

/** A client company's provider, without its secret. */
export async function findOidcProviderOfClient(db: Executor, clientId: string) {
  return db.selectFrom('oidcProviders').select(PUBLIC_COLUMNS).where('clientId', '=', clientId).executeTakeFirst();
}

export type OidcProviderView = NonNullable<Awaited<ReturnType<typeof findOidcProviderOfClient>>>;

export async function insertOidcProvider(db: Executor, values: Insertable<OidcProvidersTable>): Promise<void> {
  await db.insertInto('oidcProviders').values(values).execute();
}

/** Changes a client company's provider; `updatedAt` is set to now. */
export async function updateOidcProviderOfClient(
  db: Executor,
  clientId: string,
  change: Omit<Updateable<OidcProvidersTable>, 'updatedAt'>,
): Promise<void> {
  await db
    .updateTable('oidcProviders')
    .set({ ...change, updatedAt: sql<Date>`now()` })
    .where('clientId', '=', clientId)
    .execute();
}

/** The `domains` another company than `clientId` already uses for sign-in (see migration 0070). */
export async function emailDomainsClaimedElsewhere(db: Executor, domains: string[], clientId: string): Promise<string[]> {
  const { rows } = await sql<{
    claimed: string[];
  }>`select app_email_domains_claimed(${sql.val(domains)}::text[], ${clientId}::uuid) as claimed`.execute(db);
  return rows[0]?.claimed ?? [];
}

/** Records a sign-in attempt, first dropping attempts older than an hour (no separate job). */
export async function recordOidcLogin(db: Executor, login: Insertable<OidcLoginsTable>): Promise<void> {
  await db
    .deleteFrom('oidcLogins')
    .where('createdAt', '<', sql<Date>`now() - interval '1 hour'`)
    .execute();
  await db.insertInto('oidcLogins').values(login).execute();
}

/**
 * Takes the sign-in attempt `state` if it is less than 10 minutes old. Single use: the row is
 * deleted as it is read, so a replayed callback finds nothing.
 */
export async function takeOidcLogin(db: Executor, state: string) {
  return db
    .deleteFrom('oidcLogins')
    .where('state', '=', state)
    .where('createdAt', '>', sql<Date>`now() - interval '10 minutes'`)
    .returningAll()
    .executeTakeFirst();
}
