/**
 * Login throttling, persisted in PostgreSQL so that it survives restarts and holds across API
 * processes. Failures are counted per account and per client IP; past a free allowance each
 * further failure locks the key for an exponentially growing delay (capped). A success clears
 * the account's counter. Counters older than the decay window start again from zero.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { clearThrottle, recordThrottleFailure, secondsUntilUnlocked } from '../../db/repositories/login-throttle.repository.js';

export interface ThrottlePolicy {
  accountFreeFailures: number;
  ipFreeFailures: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  decaySeconds: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  accountFreeFailures: 5,
  ipFreeFailures: 30,
  baseDelaySeconds: 2,
  maxDelaySeconds: 15 * 60,
  decaySeconds: 60 * 60,
};

const keys = (email: string, ip: string) => ({ account: `account:${email}`, ip: `ip:${ip}` });

/** Seconds until the next attempt is allowed (0 = allowed now). */
export async function lockedFor(db: Kysely<DB>, email: string, ip: string): Promise<number> {
  const { account, ip: ipKey } = keys(email, ip);
  return secondsUntilUnlocked(db, [account, ipKey]);
}

export async function recordFailure(db: Kysely<DB>, email: string, ip: string, policy: ThrottlePolicy): Promise<void> {
  const { account, ip: ipKey } = keys(email, ip);
  const { baseDelaySeconds, maxDelaySeconds, decaySeconds } = policy;
  for (const [key, free] of [
    [account, policy.accountFreeFailures],
    [ipKey, policy.ipFreeFailures],
  ] as const) {
    await recordThrottleFailure(db, key, { free, baseDelaySeconds, maxDelaySeconds, decaySeconds });
  }
}

export async function recordSuccess(db: Kysely<DB>, email: string): Promise<void> {
  await clearThrottle(db, keys(email, '').account);
}
