/**
 * Login throttle counters (`login_throttle`): failures per key (account or client address), the
 * time of the last one, and how long the key is locked. The policy (free failures, delays) is
 * the caller's (api/auth/throttle.ts); the arithmetic runs in PostgreSQL so that concurrent API
 * processes share it.
 */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

/** Seconds until the most locked of `keys` is free again (0 when none is locked). */
export async function secondsUntilUnlocked(db: Executor, keys: string[]): Promise<number> {
  const row = await db
    .selectFrom('loginThrottle')
    .select(sql<number>`ceil(extract(epoch from max(locked_until) - now()))`.as('seconds'))
    .where('key', 'in', keys)
    .where('lockedUntil', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return Math.max(0, Number(row?.seconds ?? 0));
}

export interface FailureRule {
  /** Failures allowed before the key is locked. */
  free: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** A key whose last failure is older than this starts again from one failure. */
  decaySeconds: number;
}

/**
 * Counts one failure on `key` and locks it past the free allowance, for a delay doubling with
 * each further failure (capped). One statement: concurrent failures on another API process
 * cannot lose an increment.
 */
export async function recordThrottleFailure(db: Executor, key: string, rule: FailureRule): Promise<void> {
  await sql`
      insert into login_throttle as t (key, failures, last_failure_at, locked_until)
      values (${key}, 1, now(), case when 1 > ${rule.free}::int then now() + make_interval(secs => ${rule.baseDelaySeconds}::float8) end)
      on conflict (key) do update set
        failures = case when t.last_failure_at < now() - make_interval(secs => ${rule.decaySeconds}::float8) then 1 else t.failures + 1 end,
        last_failure_at = now(),
        locked_until = case
          when (case when t.last_failure_at < now() - make_interval(secs => ${rule.decaySeconds}::float8) then 1 else t.failures + 1 end) > ${rule.free}::int
          then now() + make_interval(secs => least(${rule.maxDelaySeconds}::float8,
                 ${rule.baseDelaySeconds}::float8 * power(2, t.failures - ${rule.free}::int)))
          else null end`.execute(db);
}

/** Forgets the failures counted on `key`. */
export async function clearThrottle(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('loginThrottle').where('key', '=', key).execute();
}
