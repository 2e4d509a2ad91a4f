/**
 * Sessions (cookie) and API tokens (bearer): the secret is returned once to the caller and only
 * its SHA-256 is stored. Revocation is a timestamp checked on every lookup, so it is immediate.
 */
import { sql } from 'kysely';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { UserRow } from '../schema/auth.table.js';
import type { Executor } from '../executor.js';

export type CredentialKind = 'session' | 'api_token';
const TABLE = { session: 'sessions', api_token: 'apiTokens' } as const;

export interface IssuedCredential {
  id: string;
  secret: string;
  expiresAt: Date | null;
}

export async function issueCredential(
  db: Executor,
  kind: CredentialKind,
  input: { userId: string; ttlSeconds?: number | null; name?: string | null; ip?: string | null; userAgent?: string | null },
): Promise<IssuedCredential> {
  const secret = newSecret(kind === 'api_token' ? API_TOKEN_PREFIX : '');
  const expiresAt = input.ttlSeconds ? new Date(Date.now() + input.ttlSeconds * 1000) : null;
  const row = await db
    .insertInto(TABLE[kind])
    .values({
      userId: input.userId,
      tokenHash: hashSecret(secret),
      name: input.name ?? null,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, secret, expiresAt };
}

/** The active account behind a secret, or undefined if unknown, expired, revoked or disabled. */
export async function userForSecret(
  db: Executor,
  kind: CredentialKind,
  secret: string,
): Promise<{ credentialId: string; user: UserRow } | undefined> {
  const table = TABLE[kind];
  const row = await db
    .selectFrom(`${table} as c` as 'sessions as c')
    .innerJoin('users as u', 'u.id', 'c.userId')
    .selectAll('u')
    .select('c.id as credentialId')
    .where('c.tokenHash', '=', hashSecret(secret))
    .where('c.revokedAt', 'is', null)
    .where((eb) => eb.or([eb('c.expiresAt', 'is', null), eb('c.expiresAt', '>', sql<Date>`now()`)]))
    .where('u.active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  const { credentialId, ...user } = row;
  return { credentialId, user };
}

export async function revokeCredential(db: Executor, kind: CredentialKind, id: string): Promise<boolean> {
  const result = await db
    .updateTable(TABLE[kind])
    .set({ revokedAt: sql`now()` })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends every session and token of an account (disabled account, role change). */
export async function revokeAllForUser(db: Executor, userId: string): Promise<void> {
  for (const table of ['sessions', 'apiTokens'] as const) {
    await db
      .updateTable(table)
      .set({ revokedAt: sql`now()` })
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .execute();
  }
}

export async function listApiTokens(db: Executor, userId: string) {
  return db
    .selectFrom('apiTokens')
    .select(['id', 'name', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt', 'desc')
    .execute();
}

/**
 * Records that an API token was just used. Coarse on purpose: at most one write per token per
 * minute, not one per request.
 */
export async function touchApiToken(db: Executor, tokenId: string): Promise<void> {
  await db
    .updateTable('apiTokens')
    .set({ lastUsedAt: sql`now()` })
    .where('id', '=', tokenId)
    .where((eb) => eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}

/** Makes a revoked session valid again (the one that just changed its account's password). */
export async function unrevokeSession(db: Executor, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ revokedAt: null }).where('id', '=', sessionId).execute();
}
