/**
 * Login throttling, persisted in PostgreSQL so that it survives restarts and holds across API
 * processes. Failures are counted per account and per client IP; past a free allowance each
 * further failure locks the key for an exponentially growing delay (capped). A success clears
 * the account's counter. Counters older than the decay window start again from zero.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/index.js';

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
  const row = await db
    .selectFrom('loginThrottle')
    .select(sql<number>`ceil(extract(epoch from max(locked_until) - now()))`.as('seconds'))
    .where('key', 'in', [account, ipKey])
    .where('lockedUntil', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return Math.max(0, Number(row?.seconds ?? 0));
}

export async function recordFailure(db: Kysely<DB>, email: string, ip: string, policy: ThrottlePolicy): Promise<void> {
  const { account, ip: ipKey } = keys(email, ip);
  for (const [key, free] of [
    [account, policy.accountFreeFailures],
    [ipKey, policy.ipFreeFailures],
  ] as const) {
    // One statement: concurrent failures on another API process cannot lose an increment.
    await sql`
      insert into login_throttle as t (key, failures, last_failure_at, locked_until)
      values (${key}, 1, now(), case when 1 > ${free}::int then now() + make_interval(secs => ${policy.baseDelaySeconds}::float8) end)
      on conflict (key) do update set
        failures = case when t.last_failure_at < now() - make_interval(secs => ${policy.decaySeconds}::float8) then 1 else t.failures + 1 end,
        last_failure_at = now(),
        locked_until = case
          when (case when t.last_failure_at < now() - make_interval(secs => ${policy.decaySeconds}::float8) then 1 else t.failures + 1 end) > ${free}::int
          then now() + make_interval(secs => least(${policy.maxDelaySeconds}::float8,
                 ${policy.baseDelaySeconds}::float8 * power(2, t.failures - ${free}::int)))
          else null end`.execute(db);
  }
}

export async function recordSuccess(db: Kysely<DB>, email: string): Promise<void> {
  await db.deleteFrom('loginThrottle').where('key', '=', keys(email, '').account).execute();
}
