/**
 * The general rate limit of the API: per client address (before authentication, so a flood
 * costs no credential lookup) and per account (after it, whatever address or credential the
 * account uses). Counters live in PostgreSQL (`rate_limits`, migration 0150) through
 * rate-limiter-flexible's RateLimiterPostgres, so every API process shares them. Fixed windows
 * of 60 s. `/healthz` is outside `/api` and never limited; the login throttle
 * (api/auth/throttle.ts) is a separate, stricter rule for failed sign-ins.
 */
import type { Request, RequestHandler, Response } from 'express';
import { CompiledQuery, type Kysely } from 'kysely';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { DB } from '../db/index.js';
import type { AuthenticatedRequest } from './auth/access.js';
import { isDatabaseUnavailable } from '../db/index.js';
import { HttpError } from './errors.js';

export interface RateLimitPolicy {
  /** Requests per minute from one client address (config RATE_LIMIT_PER_ADDRESS). */
  perAddress: number;
  /** Requests per minute of one account (config RATE_LIMIT_PER_ACCOUNT). */
  perAccount: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitPolicy = { perAddress: 600, perAccount: 300 };

const WINDOW_SECONDS = 60;
/** Created by migration 0150, not by the library at run time (the API role needs no DDL right). */
export const RATE_LIMIT_TABLE = 'rate_limits';

/**
 * The library's PostgreSQL client, over the app's Kysely pool: one short statement per call,
 * no connection held.
 */
function storeClient(db: Kysely<DB>) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const result = await db.executeQuery(CompiledQuery.raw(q.text, q.values ?? []));
      return { rows: result.rows, rowCount: Number(result.numAffectedRows ?? result.rows.length) };
    },
  };
}

function limiter(db: Kysely<DB>, scope: 'address' | 'account', points: number) {
  return new RateLimiterPostgres({
    storeClient: storeClient(db),
    storeType: 'pool',
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    // The limit is part of the key: processes (or tests) running with another limit keep their
    // own counters instead of reading counts made against a different allowance.
    keyPrefix: `${scope}-${points}`,
    points,
    duration: WINDOW_SECONDS,
  });
}

/** `RateLimit-*` (IETF draft httpapi-ratelimit-headers) of the tighter of the limits consulted. */
function describe(res: Response, limit: number, state: RateLimiterRes): void {
  const remaining = Math.max(0, limit - state.consumedPoints);
  const previous = res.getHeader('RateLimit-Remaining');
  if (previous !== undefined && Number(previous) <= remaining) return;
  res.setHeader('RateLimit-Limit', String(limit));
  res.setHeader('RateLimit-Remaining', String(remaining));
  res.setHeader('RateLimit-Reset', String(Math.max(0, Math.ceil(state.msBeforeNext / 1000))));
  res.setHeader('RateLimit-Policy', `${limit};w=${WINDOW_SECONDS}`);
}

function middleware(
  scope: 'address' | 'account',
  limit: number,
  rl: RateLimiterPostgres,
  keyOf: (req: Request) => string | null,
  log: (err: unknown) => void,
): RequestHandler {
  return async (req, res, next) => {
    const key = keyOf(req);
    if (key === null) return next();
    try {
      describe(res, limit, await rl.consume(key));
      next();
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) {
        // The database is out of reach: every /api route but the OpenAPI document needs it, so
        // answer its 503 now (the error handler's) rather than after a second wait for a connection.
        if (isDatabaseUnavailable(outcome)) return next(outcome);
        // Another store failure: the request may not need the store's table; refusing
        // everything would turn a hiccup into a full outage.
        log(outcome);
        return next();
      }
      describe(res, limit, outcome);
      const seconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      next(new HttpError(429, 'too_many_requests', `too many requests from this ${scope}; retry in ${seconds} s`, undefined, seconds));
    }
  };
}

/** The two middlewares: `byAddress` goes before authentication, `byAccount` after it. */
export function createRateLimits(
  db: Kysely<DB>,
  policy: RateLimitPolicy,
  log: (err: unknown) => void,
): { byAddress: RequestHandler; byAccount: RequestHandler } {
  return {
    byAddress: middleware(
      'address',
      policy.perAddress,
      limiter(db, 'address', policy.perAddress),
      (req) => req.ip ?? req.socket.remoteAddress ?? 'unknown',
      log,
    ),
    byAccount: middleware(
      'account',
      policy.perAccount,
      limiter(db, 'account', policy.perAccount),
      (req) => (req as AuthenticatedRequest).principal?.userId ?? null,
      log,
    ),
  };
}
