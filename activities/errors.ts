/**
 * Which activity errors a retry can fix. One place decides it for every activity (the worker's
 * interceptor, `classifyActivityErrors`, applies it): an error that no retry can fix is rethrown as
 * a non-retryable ApplicationFailure of type `PermanentDataError`, so the workflow sees it at the
 * first attempt instead of retrying it without end (issue 16: a NUL byte in a cancellation reason
 * made the records activity fail with SQLSTATE 22021 at attempt 11 and counting).
 *
 * Permanent (the same input fails the same way on every attempt):
 * - PostgreSQL class 22, data exception (22021 invalid byte sequence, 22P02 invalid text
 *   representation, 22001 string too long, 22003 out of range, 22007/22008 bad date/time…);
 * - PostgreSQL class 23, integrity constraint violation (23502 not null, 23503 foreign key, 23514
 *   check; 23505 unique and 23P01 exclusion from the third attempt on). A unique violation can be
 *   a race that the next attempt resolves: an attempt that timed out but still committed, and its
 *   retry, both inserting the one live assignment of a request; the retry then finds its own
 *   row. So those two are retried twice (seconds), then fail for good;
 * - validation errors (zod) of an activity's input;
 * - SMTP 5xx replies to the envelope or the message (RFC 5321: permanent negative completion),
 *   except authentication (530/534/535: a configuration fixed by operations, then retried).
 *
 * Transient, retried with the bounded policy of workflows/activity-retry.contract.ts:
 * - connections: PostgreSQL class 08, ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, DNS errors, the
 *   pool's "timeout exceeded when trying to connect", "Connection terminated unexpectedly";
 * - 40001 serialization failure, 40P01 deadlock, 55P03 lock not available, 57014 statement
 *   timeout, 57P01/57P02/57P03 shutdown or not accepting connections, 25006 read-only transaction
 *   (a failover), class 53 insufficient resources, class 58 system errors, XX internal errors;
 * - SMTP 4xx and connection errors;
 * - everything else, including class 42 (undefined table or column, syntax). Those are programming
 *   or deployment errors: a migration not yet applied, or code fixed by the next deployment, after
 *   which the retry succeeds and nothing is lost. Failing them for good would drop the step; they
 *   stay visible on the operations screen while they retry.
 *
 * Failures already typed by the activities (ApplicationFailure: UnknownReference, business
 * refusals…) and cancellations pass through unchanged.
 */
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { PermanentFailure, safeMessage, type PermanentFailureDetails } from '../workflows/activity-retry.contract.js';

export type ErrorClass = 'permanent' | 'transient';

/** The fields this module reads from pg's DatabaseError, Node's system errors and nodemailer's. */
interface ErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** Five upper-case letters or digits; Node's and nodemailer's codes (EPERM, EENVELOPE…) start with E, no SQLSTATE class does. */
const SQLSTATE = /^(?!E)[0-9A-Z]{5}$/;
const PERMANENT_SQLSTATE_CLASSES = new Set(['22', '23']);
/** Integrity violations a concurrent attempt can cause: permanent only from this attempt on. */
const RACE_SQLSTATES = new Set(['23505', '23P01']);
export const RACE_PERMANENT_FROM_ATTEMPT = 3;
/** SMTP replies that are configuration, not the message: operations fix them, then a retry works. */
const SMTP_AUTH_REPLIES = new Set([530, 534, 535]);

/** The SQLSTATE of a PostgreSQL error (pg's DatabaseError), or undefined. */
export function sqlstateOf(err: unknown): string | undefined {
  const code = (err as ErrorShape | null)?.code;
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}

function classifyOne(err: unknown, attempt: number): ErrorClass | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  if (err instanceof ApplicationFailure) return err.nonRetryable ? 'permanent' : 'transient';
  const shape = err as ErrorShape;
  if (shape.name === 'ZodError') return 'permanent';
  const sqlstate = sqlstateOf(err);
  if (sqlstate && RACE_SQLSTATES.has(sqlstate)) return attempt >= RACE_PERMANENT_FROM_ATTEMPT ? 'permanent' : 'transient';
  if (sqlstate) return PERMANENT_SQLSTATE_CLASSES.has(sqlstate.slice(0, 2)) ? 'permanent' : 'transient';
  if (typeof shape.responseCode === 'number') {
    const reply = shape.responseCode;
    return reply >= 500 && reply < 600 && !SMTP_AUTH_REPLIES.has(reply) ? 'permanent' : 'transient';
  }
  return undefined;
}

/**
 * 'permanent' when no retry can fix `err`, else 'transient' (the default: an unknown error is
 * retried, boundedly and visibly, rather than dropping a step). Looks through `cause` chains and
 * AggregateErrors (Node's connection attempts to several addresses) for the first known error.
 * `attempt`: the activity's attempt number (1 for the first), which decides races (23505).
 */
export function classifyError(err: unknown, attempt = RACE_PERMANENT_FROM_ATTEMPT): ErrorClass {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const next = queue.shift();
    if (next === null || typeof next !== 'object' || seen.has(next)) continue;
    seen.add(next);
    const found = classifyOne(next, attempt);
    if (found) return found;
    const { cause, errors } = next as ErrorShape;
    if (cause !== undefined) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return 'transient';
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** The non-retryable failure a permanent error becomes (details: SQLSTATE and where, no values). */
export function permanentFailure(err: unknown): ApplicationFailure {
  const shape = (err ?? {}) as ErrorShape;
  // pg's DatabaseError is named after its protocol message ('error'): its class says more.
  const errorName = (shape.name === 'error' ? str(err?.constructor?.name) : str(shape.name)) ?? 'Error';
  const sqlstate = sqlstateOf(err);
  const details: PermanentFailureDetails = {
    errorName,
    ...(sqlstate ? { sqlstate } : {}),
    ...(str(shape.table) ? { table: str(shape.table)! } : {}),
    ...(str(shape.column) ? { column: str(shape.column)! } : {}),
    ...(str(shape.constraint) ? { constraint: str(shape.constraint)! } : {}),
  };
  const message =
    errorName === 'ZodError'
      ? 'invalid activity input'
      : safeMessage(str(shape.message) ?? String(err)) + (sqlstate ? ` (SQLSTATE ${sqlstate})` : '');
  return ApplicationFailure.create({ message, type: PermanentFailure.type, nonRetryable: true, details: [details] });
}

/**
 * The worker's activity interceptor: permanent errors leave the activity as a non-retryable
 * `PermanentDataError`; everything else (transient errors, typed failures, cancellations) leaves
 * unchanged. Register it on every worker: `interceptors: { activity: [classifyActivityErrors] }`.
 */
export const classifyActivityErrors: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (err) {
        if (err instanceof TemporalFailure || classifyError(err, ctx.info.attempt) === 'transient') throw err;
        throw permanentFailure(err);
      }
    },
  },
});
