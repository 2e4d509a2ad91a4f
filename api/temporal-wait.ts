/**
 * Bounded waits on the workflows. An update or a query needs a worker to answer; when none polls
 * the task queue (crashed, deploying), the Temporal call would wait without end and the client
 * with it. Every such call goes through `withinBound`, and the routes that make one are declared
 * `transaction: 'steps'` so that nothing in the database is held meanwhile.
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { isGrpcServiceError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/index.js';
import { findRequestByTicket } from '../db/repositories/requests.repository.js';
import { interventionWorkflowId } from '../workflows/intervention/intervention.contract.js';
import { dependencyUnavailable, HttpError, notFound } from './errors.js';
import { unstorableText } from './input-text.js';
import type { Principal } from './routing.js';
import { temporalConnected } from './temporal-client.js';
import { isTemporalUnavailable, TemporalUnavailableError } from './unavailable.js';

export { TemporalUnavailableError } from './unavailable.js';

export interface TemporalWaits {
  /** The intake's confirmation (INTAKE_CONFIRM_TIMEOUT_MS); then 202 with the ticket number. */
  intakeConfirmMs: number;
  /** An action's outcome (ACTION_TIMEOUT_MS); then 503 worker_unavailable. */
  actionMs: number;
}

export const DEFAULT_WAITS: TemporalWaits = { intakeConfirmMs: 8_000, actionMs: 10_000 };

/** Thrown by `withinBound` when the bound passed: the outcome is unknown, not a failure. */
export class TemporalWaitTimeout extends Error {
  constructor(readonly afterMs: number) {
    super(`no answer from the workflows within ${afterMs} ms`);
  }
}

/**
 * Runs `fn` (Temporal client calls) for at most `ms`, whatever the server does:
 * - its gRPC calls carry the deadline (their retries too), and are cancelled at the bound;
 * - the answer does not wait for them: at `ms` this throws, even if a call is still unwinding;
 * - TemporalWaitTimeout when the server is connected but nothing answered (no worker: the outcome
 *   is unknown), TemporalUnavailableError when the server cannot be reached (sooner than `ms`
 *   when it refuses connections: the client's retries give up after about 2 s,
 *   api/temporal-client.ts).
 */
export async function withinBound<T>(temporal: Client, ms: number, fn: () => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const deadline = Date.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof EXPIRED>((resolve) => {
    timer = setTimeout(() => resolve(EXPIRED), ms);
  });
  const call = temporal.connection.withDeadline(deadline, () => temporal.connection.withAbortSignal(abort.signal, fn));
  try {
    const first = await Promise.race([call.then((value) => ({ value })), expired]);
    if (first !== EXPIRED) return first.value;
    abort.abort();
    // Cancelled; it may still settle later, with nobody listening.
    call.catch(() => {});
    throw temporalConnected(temporal) ? new TemporalWaitTimeout(ms) : new TemporalUnavailableError();
  } catch (err) {
    if (err instanceof TemporalWaitTimeout || err instanceof TemporalUnavailableError) throw err;
    if (causedByUnavailable(err)) throw new TemporalUnavailableError(err);
    // Past the deadline or cancelled: silence over a live connection is the worker's.
    if (abort.signal.aborted || Date.now() >= deadline || isTemporalUnavailable(err)) {
      throw temporalConnected(temporal) ? new TemporalWaitTimeout(ms) : new TemporalUnavailableError(err);
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

const EXPIRED = Symbol('expired');
const GRPC_UNAVAILABLE = 14;

/** Whether a gRPC UNAVAILABLE is somewhere in the cause chain (the SDK wraps it in ServiceError). */
function causedByUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  for (let next: unknown = err; next !== null && typeof next === 'object' && !seen.has(next); next = (next as { cause?: unknown }).cause) {
    seen.add(next);
    if (isGrpcServiceError(next) && Number(next.code) === GRPC_UNAVAILABLE) return true;
  }
  return false;
}

/** Seconds a client should wait before retrying an action that got no answer. */
const RETRY_AFTER_SECONDS = 30;

/**
 * The 503 of an action that got no answer in time. It does not say "not done": the update may
 * have been delivered, or be delivered when a worker comes back (see README, "When the worker is
 * down"); a retry with the same Idempotency-Key is answered with that one outcome.
 */
export function workerUnavailable(what: string, keyed: boolean): HttpError {
  const retry = keyed
    ? 'Retry with the same Idempotency-Key: it is carried out at most once and the retry returns its outcome.'
    : 'Its outcome is unknown: it may still be carried out when processing resumes. Send an Idempotency-Key header so that a retry is carried out at most once.';
  return new HttpError(
    503,
    'worker_unavailable',
    `${what}: no answer from the workflow engine in time (worker unavailable). ${retry}`,
    undefined,
    RETRY_AFTER_SECONDS,
  );
}

const idempotencyKeySchema = z
  .string()
  .min(8, 'expected 8 to 200 characters')
  .max(200, 'expected 8 to 200 characters')
  .refine((key) => unstorableText(key) === null, 'contains a character that cannot be stored');

/** The request's Idempotency-Key header, validated (400 naming the header), or undefined. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const header = req.get('Idempotency-Key');
  if (header === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) {
    const message = parsed.error.issues[0]!.message;
    throw new HttpError(400, 'validation_failed', `Idempotency-Key: ${message}`, [{ field: 'Idempotency-Key', message }]);
  }
  return parsed.data;
}

/**
 * The Temporal update id for a keyed request. Temporal dedupes updates by id within a workflow
 * run, so a retry with the same key joins the first attempt instead of applying it again. The id
 * is per caller and per action, so the same key from another account or on another route is a
 * different update.
 */
export function updateIdFor(key: string, action: string, principal: Principal | null): string {
  const digest = createHash('sha256')
    .update(`${principal?.userId ?? ''}\n${action}\n${key}`)
    .digest('hex')
    .slice(0, 32);
  return `idem-${digest}`;
}

/**
 * Runs an update (or query) on a live intervention for at most ACTION_TIMEOUT_MS, the one way
 * every route does it:
 * - no answer in time: 503 worker_unavailable, the outcome unknown (see workerUnavailable);
 * - Temporal out of reach: 503 service_unavailable naming it (at most a few seconds);
 * - a finished workflow answers "not found": 409 when the request exists (it accepts no more
 *   actions), else 404; looked up through the caller's scoped data access;
 * - a refusal by the workflow's validator is mapped by the error handler (api/errors.ts), the
 *   same for every route: not the technician assigned → 403, a state that refuses it → 409,
 *   anything else refused → 422.
 */
export async function onLiveIntervention<T>(
  deps: { temporal: Client; actionMs: number; scoped: <R>(fn: (db: Kysely<DB>) => Promise<R>) => Promise<R> },
  ticket: string,
  keyed: boolean,
  run: (handle: WorkflowHandle) => Promise<T>,
): Promise<T> {
  const { temporal, actionMs, scoped } = deps;
  try {
    return await withinBound(temporal, actionMs, () => run(temporal.workflow.getHandle(interventionWorkflowId(ticket))));
  } catch (err) {
    if (err instanceof TemporalWaitTimeout) throw workerUnavailable(`the action on ${ticket} was sent`, keyed);
    if (err instanceof TemporalUnavailableError) {
      throw dependencyUnavailable(
        'temporal',
        `the action on ${ticket} may not have reached it; ${
          keyed
            ? 'a retry with the same Idempotency-Key is carried out at most once'
            : 'send an Idempotency-Key header so that a retry is carried out at most once'
        }`,
      );
    }
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    const request = await scoped((db) => findRequestByTicket(db, ticket));
    if (!request) throw notFound(`request ${ticket}`);
    throw new HttpError(409, 'invalid_transition', `intervention ${ticket} is ${request.status} and accepts no more actions`);
  }
}
