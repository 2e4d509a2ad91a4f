/**
 * One-time links by email (invitation, password reset). Only the SHA-256 of the secret is
 * stored; a link is consumed once, before it expires.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { hashPassword } from '../../platform/crypto/password.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { DB } from '../schema/index.js';
import type { Executor } from '../executor.js';
import { revokeAllForUser } from './credentials.repository.js';

export async function issueAccountLink(db: Executor, input: { userId: string; purpose: 'invite' | 'reset'; ttlSeconds: number }) {
  const secret = newSecret();
  // An older link of the same account stops working: only the latest one sent is valid.
  await db
    .updateTable('accountLinks')
    .set({ usedAt: sql`now()` })
    .where('userId', '=', input.userId)
    .where('usedAt', 'is', null)
    .execute();
  const row = await db
    .insertInto('accountLinks')
    .values({
      userId: input.userId,
      purpose: input.purpose,
      tokenHash: hashSecret(secret),
      expiresAt: new Date(Date.now() + input.ttlSeconds * 1000),
    })
    .returning(['id', 'expiresAt'])
    .executeTakeFirstOrThrow();
  return { id: row.id, secret, expiresAt: row.expiresAt };
}

/** The account of a usable link (unused, unexpired, account active), or undefined. */
export async function findUsableAccountLink(db: Executor, secret: string) {
  return db
    .selectFrom('accountLinks as l')
    .innerJoin('users as u', 'u.id', 'l.userId')
    .select(['u.id as userId', 'u.email', 'u.displayName', 'l.purpose'])
    .where('l.tokenHash', '=', hashSecret(secret))
    .where('l.usedAt', 'is', null)
    .where('l.expiresAt', '>', sql<Date>`now()`)
    .where('u.active', '=', true)
    .executeTakeFirst();
}

/**
 * In one transaction: marks the link of `secret` used (if it still is usable), sets the account's
 * password and ends its sessions and tokens. Returns the account, or undefined when the link was
 * used meanwhile. Run on the owner connection: the caller is anonymous.
 */
export async function consumeAccountLink(db: Kysely<DB>, secret: string, password: string) {
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const link = await trx
      .updateTable('accountLinks as l')
      .from('users as u')
      .set({ usedAt: sql`now()` })
      .whereRef('u.id', '=', 'l.userId')
      .where('l.tokenHash', '=', hashSecret(secret))
      .where('l.usedAt', 'is', null)
      .where('l.expiresAt', '>', sql<Date>`now()`)
      .where('u.active', '=', true)
      .returning(['u.id as userId', 'u.email', 'l.purpose'])
      .executeTakeFirst();
    if (!link) return undefined;
    await trx.updateTable('users').set({ passwordHash }).where('id', '=', link.userId).execute();
    await revokeAllForUser(trx, link.userId);
    return link;
  });
}
