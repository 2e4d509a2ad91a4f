/**
 * Authentication, authorisation and the per-request data scope: the three hooks the route table
 * is mounted with (see api/routing.ts). Tenant isolation itself is PostgreSQL row-level security
 * (migration 0003); this module only tells PostgreSQL who is asking.
 */
import type { Request, RequestHandler, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { Kysely, Transaction } from 'kysely';
import type { DB, UserRow } from '../../db/index.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import { enterCallerScope } from '../../db/repositories/caller-scope.repository.js';
import { touchApiToken, userForSecret, type CredentialKind } from '../../db/repositories/credentials.repository.js';
import { recordedChanges } from '../audit-trail.js';
import { HttpError } from '../errors.js';
import { holdResponse, type Principal, type RouteSpec } from '../routing.js';
import { API_TOKEN_PREFIX } from '../../platform/crypto/tokens.js';

/** The NOLOGIN role requests run as; it has no BYPASSRLS and owns nothing. */
export const TENANT_ROLE = 'app_tenant';

/** Name of the session cookie (its value: a secret from platform/crypto/tokens.ts). */
export const SESSION_COOKIE = 'sid';

export interface AuthenticatedRequest extends Request {
  principal?: Principal | null;
  credential?: { kind: CredentialKind; id: string } | null;
}

export function principalOf(user: Pick<UserRow, 'id' | 'role' | 'clientId' | 'technicianId' | 'displayName'>): Principal {
  return {
    userId: user.id,
    role: user.role,
    clientId: user.clientId,
    technicianId: user.technicianId,
    displayName: user.displayName,
  };
}

export const principalFrom = (req: Request): Principal | null => (req as AuthenticatedRequest).principal ?? null;

/**
 * The caller's secret: `Authorization: Bearer fsp_…` (API token) or the `sid` cookie (session),
 * each only in its own place.
 * Calendar and feed readers cannot send headers: for GET only, an API token may come as
 * `?access_token=fsp_…` (revocable, and scoped like any call of its owner).
 */
function presentedSecret(req: Request): { kind: CredentialKind; secret: string } | null {
  const queryToken = (req.query as Record<string, unknown> | undefined)?.access_token;
  if (req.method === 'GET' && typeof queryToken === 'string' && queryToken.startsWith(API_TOKEN_PREFIX) && !req.headers.authorization) {
    return { kind: 'api_token', secret: queryToken };
  }
  const header = req.headers.authorization;
  if (header) {
    // Bearer is for API tokens only. A session id is an HttpOnly cookie that scripts never see; it
    // must not double as a bearer secret that code would store, and each kind keeps its own rules
    // (a session's cross-site checks; a token's name, listing, last use and revocation).
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match || !match[1]!.startsWith(API_TOKEN_PREFIX)) return null;
    return { kind: 'api_token', secret: match[1]! };
  }
  const sid = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
  return sid ? { kind: 'session', secret: sid } : null;
}

/**
 * Sets `req.principal` from the presented credential, read through the owner connection (there
 * is no caller yet to scope by). An unknown, expired or revoked credential leaves it null.
 */
export function authenticate(db: Kysely<DB>): RequestHandler {
  return async (req, _res, next) => {
    const r = req as AuthenticatedRequest;
    r.principal = null;
    r.credential = null;
    const presented = presentedSecret(req);
    if ((req.query as Record<string, unknown> | undefined)?.access_token !== undefined) {
      // Consumed here: routes' query schemas never see (nor log) the secret.
      const { access_token: _secret, ...rest } = req.query as Record<string, unknown>;
      Object.defineProperty(req, 'query', { value: rest, configurable: true, enumerable: true, writable: true });
    }
    if (presented) {
      const found = await userForSecret(db, presented.kind, presented.secret);
      if (found) {
        r.principal = principalOf(found.user);
        r.credential = { kind: presented.kind, id: found.credentialId };
        if (presented.kind === 'api_token') {
          await touchApiToken(db, found.credentialId);
        }
      }
    }
    next();
  };
}

/** 401 without a valid credential, 403 for a role the route does not admit. */
export function authorize(spec: RouteSpec<any, any, any>, req: Request): void {
  if (spec.access === 'public') return;
  const principal = principalFrom(req);
  if (!principal) throw new HttpError(401, 'unauthorized', 'authentication required');
  if (!spec.access.includes(principal.role)) {
    throw new HttpError(403, 'forbidden', `role ${principal.role} may not ${spec.method.toUpperCase()} /api${spec.path}`);
  }
}

/** Switches a transaction to the tenant role with the caller's identity (all `SET LOCAL`). */
export async function enterScope(trx: Transaction<DB>, principal: Principal | null): Promise<void> {
  await enterCallerScope(
    trx,
    {
      role: principal?.role ?? '',
      userId: principal?.userId ?? '',
      clientId: principal?.clientId ?? '',
      technicianId: principal?.technicianId ?? '',
    },
    TENANT_ROLE,
  );
}

/**
 * Runs a handler inside one transaction scoped to the caller. The response is held back until
 * the transaction has committed, so a client is never told "done" for a write that then rolls
 * back; on error nothing is sent here and the error middleware answers.
 */
export function scopedRunner(db: Kysely<DB>) {
  return async function withDb(req: Request, res: Response, fn: (db: Kysely<DB>) => Promise<void>): Promise<void> {
    await holdResponse(res, () => scopedStep(db)(req, fn));
  };
}

/**
 * One short transaction scoped to the caller, committed when `fn` returns: the steps of a route
 * that waits on Temporal between them (`transaction: 'steps'`, api/routing.ts).
 */
export function scopedStep(db: Kysely<DB>) {
  return function step<T>(req: Request, fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
    return db.transaction().execute(async (trx) => {
      await enterScope(trx, principalFrom(req));
      return fn(trx);
    });
  };
}

const SECRET_KEYS = /pass(word)?|secret|token|code_?verifier/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1)]),
  );
}

export const requestOrigin = (req: Request) => ({
  ip: req.ip ?? req.socket.remoteAddress ?? null,
  userAgent: req.headers['user-agent']?.slice(0, 300) ?? null,
});

/**
 * The audit entry of a route call, in the request's transaction (it commits or rolls back with
 * the change it documents); on a route that waits on Temporal (`transaction: 'steps'`), in its
 * own scoped transaction right after the handler succeeded. Writes are audited by default, reads when the route declares that
 * it returns personal data.
 */
export async function auditRouteCall(ctx: {
  spec: RouteSpec<any, any, any>;
  req: Request;
  db: Kysely<DB>;
  params: unknown;
  body: unknown;
}): Promise<void> {
  const { spec, req } = ctx;
  const mode = spec.audit ?? (spec.method === 'get' ? 'none' : 'write');
  if (mode === 'none') return;
  const principal = principalFrom(req);
  const params = (ctx.params ?? {}) as Record<string, unknown>;
  const firstParam = Object.values(params)[0];
  const details: Record<string, unknown> = { params };
  if (spec.method !== 'get' && ctx.body !== undefined) {
    const body = JSON.stringify(redact(ctx.body));
    details.body = body.length > 4000 ? { truncated: body.slice(0, 4000) } : JSON.parse(body);
  } else if (Object.keys(req.query ?? {}).length) {
    details.query = redact(req.query);
  }
  const entry = {
    actorUserId: principal?.userId ?? null,
    actorRole: principal?.role ?? null,
    action: `${spec.method.toUpperCase()} ${spec.path}`,
    personalData: mode === 'personal_data',
    ...requestOrigin(req),
    details: JSON.stringify(details),
  };
  // A use case that recorded its changes (api/audit-trail.ts): one entry per object, with the
  // object's state before and after (secrets redacted like the body).
  const changes = recordedChanges(req.res);
  if (changes.length > 0) {
    for (const change of changes) {
      await appendAudit(ctx.db, {
        ...entry,
        entityType: change.entityType,
        entityId: change.entityId,
        before: redact(change.before, -8),
        after: redact(change.after, -8),
      });
    }
    return;
  }
  await appendAudit(ctx.db, {
    ...entry,
    entityType: spec.tag,
    entityId: firstParam === undefined ? null : String(firstParam),
  });
}
