/**
 * The platform's two dependencies out of reach, in the API's words. While PostgreSQL or Temporal
 * cannot be reached (crashed, restarting, network), every request that needs it answers
 * `503 service_unavailable` with `Retry-After` and a message naming what is down, never a 500
 * (README, "When PostgreSQL or Temporal is down", gives the bounds). The answer itself is built by
 * `dependencyUnavailable` in api/errors.ts.
 */
import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { isDatabaseUnavailable } from '../db/index.js';

export type Dependency = 'postgres' | 'temporal';

/** Seconds a client should wait: the time `npm start`'s supervisor (or an orchestrator) needs to bring it back. */
export const RETRY_AFTER_SECONDS: Record<Dependency, number> = { postgres: 5, temporal: 10 };

const NAMES: Record<Dependency, string> = {
  postgres: 'the database (PostgreSQL)',
  temporal: 'the workflow engine (Temporal)',
};

/** gRPC status codes of a server that cannot be reached or does not answer in time. */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** Thrown where a Temporal call is known to have failed for want of the server (api/temporal-wait.ts). */
export class TemporalUnavailableError extends Error {
  constructor(override readonly cause?: unknown) {
    super(`Temporal unavailable${cause instanceof Error ? `: ${cause.message}` : ''}`);
    this.name = 'TemporalUnavailableError';
  }
}

/** Whether a Temporal client call failed because the server is unreachable or did not answer in time. */
export function isTemporalUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  for (let next: unknown = err; next !== null && typeof next === 'object' && !seen.has(next); next = (next as { cause?: unknown }).cause) {
    seen.add(next);
    if (next instanceof TemporalUnavailableError || next instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(next) && [GRPC_UNAVAILABLE, GRPC_DEADLINE_EXCEEDED].includes(Number(next.code))) return true;
  }
  return false;
}

/** Which dependency `err` says is out of reach, if any. */
export function unavailableDependency(err: unknown): Dependency | null {
  if (isDatabaseUnavailable(err)) return 'postgres';
  if (isTemporalUnavailable(err)) return 'temporal';
  return null;
}

/** The message of the 503: what is down, what became of the request, when to retry. */
export function unavailableMessage(dependency: Dependency, outcome = 'the request could not be completed'): string {
  return `${NAMES[dependency]} is unavailable: ${outcome}. Retry in ${RETRY_AFTER_SECONDS[dependency]} s.`;
}

/** A short line for the log (no stack: an outage makes one per request), e.g. `postgres unavailable: connect ECONNREFUSED 127.0.0.1:54329`. */
export function unavailableLogLine(dependency: Dependency, err: unknown): string {
  let reason = err;
  while (reason instanceof Error && reason.cause instanceof Error && !(reason as { code?: unknown }).code) reason = reason.cause;
  const text = reason instanceof Error ? reason.message || String((reason as { code?: unknown }).code ?? reason.name) : String(reason);
  return `${dependency} unavailable: ${text.split('\n')[0]}`;
}
