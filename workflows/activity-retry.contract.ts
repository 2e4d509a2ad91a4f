/**
 * How the workflows retry their activities, in one place: transient failures (database down,
 * connection reset, deadlock, SMTP 4xx) are retried with a capped backoff for a bounded time;
 * failures no retry can fix are never retried. The worker's activity interceptor
 * (activities/errors.ts) turns the latter into a non-retryable ApplicationFailure of type
 * `PermanentFailure.type`; the proxies also list that type, as a second safety.
 * Side-effect free: imported by the workflows (bundle) and by activities/.
 */
import type { RetryPolicy } from '@temporalio/common';

/** The ApplicationFailure type of an error no retry can fix (bad data, constraint, validation). */
export const PermanentFailure = {
  type: 'PermanentDataError',
} as const;

/** Details carried by a PermanentDataError failure (no value from the data: it may be personal). */
export interface PermanentFailureDetails {
  /** PostgreSQL SQLSTATE (e.g. 22021), when the database refused the data. */
  sqlstate?: string;
  /** The original error's name (DatabaseError, ZodError…). */
  errorName: string;
  table?: string;
  column?: string;
  constraint?: string;
}

/**
 * An error's message without the data it may quote: PostgreSQL quotes the offending value at the
 * end (`invalid input syntax for type uuid: "…"`), and URLs may carry credentials. Identifiers
 * (constraint, table, column) are kept: they say where to look. Used by the activity interceptor
 * and by the operations screen (which shows the last failure of a retrying activity).
 */
export function safeMessage(message: string): string {
  return message
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1***@')
    .replace(/:\s*"(?:[^"\\]|\\.)*"\s*$/s, ': "…"')
    .slice(0, 500);
}

/**
 * Durable writes (records, lifecycle, invoicing, credit notes): a crash of the database must
 * lose nothing, so they keep retrying while it is down — but not forever. The backoff is capped
 * at one minute (a recovered database is used again within a minute) and the activity gives up
 * after seven days (`DURABLE_WRITE_SCHEDULE_TO_CLOSE`), about 10,000 attempts: long enough for a
 * week-end outage or a restore from backup, while the operations screen
 * (GET /api/operations/stuck) shows the failing activity from its third attempt on, minutes
 * after the outage starts. Before this bound the retries were unlimited and unseen.
 * Use it as `withPermanentFailures({ ...DURABLE_WRITE_RETRY, nonRetryableErrorTypes: [business types] })`.
 */
export const DURABLE_WRITE_RETRY = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
} as const satisfies RetryPolicy;
export const DURABLE_WRITE_SCHEDULE_TO_CLOSE = '7 days';

/** `policy` with the permanent failure type added to its non-retryable types. */
export function withPermanentFailures(policy: RetryPolicy): RetryPolicy {
  return { ...policy, nonRetryableErrorTypes: [...(policy.nonRetryableErrorTypes ?? []), PermanentFailure.type] };
}
