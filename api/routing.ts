/**
 * The route table. Every endpoint is declared once as data (method, path, who may call it, zod
 * schemas for params, query and body, and the handler), so that validation, the OpenAPI
 * document, authorisation and the role × route test matrix all read the same declaration and a
 * new route cannot be forgotten by any of them.
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../db/index.js';
import { HttpError, validationError } from './errors.js';
import { refuseUnstorableInput } from './input-text.js';

export const ROLES = ['client_user', 'client_admin', 'support_agent', 'dispatcher', 'technician', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: set by the authentication middleware. */
export interface Principal {
  userId: string;
  role: Role;
  /** Set for client_user / client_admin: the company they belong to. */
  clientId: string | null;
  /** Set for technicians. */
  technicianId: string | null;
  displayName?: string;
}

/** `public`: anyone; otherwise the roles allowed (tenant scoping is applied in the data layer). */
export type Access = 'public' | readonly Role[];

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** JSON response bodies of a route, per status (`{ 200: schema, 201: schema }`): what it answers on success. */
export type ResponseSchemas = { readonly [status: number]: z.ZodType };

/**
 * What a handler may pass to `res.json` for a schema's output: a `Date` wherever a string is
 * declared (JSON turns it into its ISO string, which is what the schema describes).
 */
export type Sendable<T> = T extends string
  ? T | Date
  : T extends readonly (infer U)[]
    ? readonly Sendable<U>[]
    : T extends object
      ? { [K in keyof T]: Sendable<T[K]> }
      : T;

/** The union of the bodies a route declares (anything when it declares none). */
export type ResponseBody<R> = number extends keyof R
  ? any
  : [keyof R] extends [never]
    ? any
    : { [S in keyof R]: R[S] extends z.ZodType ? Sendable<z.output<R[S]>> : never }[keyof R];

export interface RouteContext<B, Q, P, R = ResponseSchemas> {
  req: Request;
  /** `res.json(body)` is type-checked against the route's declared `response` schemas. */
  res: Response<ResponseBody<R>>;
  body: B;
  query: Q;
  params: P;
  principal: Principal | null;
  /**
   * The data access of this request. Handlers use this, never a global pool: it is where the
   * caller's tenant scope is applied, in one place (see MountOptions.withDb). On a route declared
   * `transaction: 'steps'` there is no request-long transaction and any use of it throws: use
   * `scoped`.
   */
  db: Kysely<DB>;
  /**
   * Runs `fn` with the caller's scoped data access. On a `steps` route each call is its own short
   * transaction, committed when `fn` returns (so nothing is held while the handler then waits on
   * Temporal); on other routes it is the request's transaction.
   */
  scoped<T>(fn: (db: Kysely<DB>) => Promise<T>): Promise<T>;
}

export interface RouteSpec<B = unknown, Q = unknown, P = unknown, R extends ResponseSchemas = ResponseSchemas> {
  method: HttpMethod;
  /** Express path under /api, e.g. `/requests/:ticket/cancel`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * `integration_token`: a `public` route that checks its own bearer token (a company's
   * monitoring integration, not an account's session or API token) and answers 401 without it.
   */
  credential?: 'integration_token';
  /** Documented responses (status → description); 2xx first. */
  responses?: Record<number, string>;
  /**
   * The JSON body of each success status (schemas in `api/schemas/*.response.ts`): the OpenAPI
   * document's response schemas, the type `res.json` accepts, and, with
   * `MountOptions.checkResponses`, what every JSON answer is checked against. Every JSON route
   * declares it; a route with `produces` answers something else and declares none.
   */
  response?: R;
  /** Response content type when not JSON (PDF, XML, CSV, ICS…). */
  produces?: string;
  /**
   * Audit log entry for each successful call: `write` (default for POST/PUT/PATCH/DELETE),
   * `personal_data` (a read or write that reveals personal data), `none` (default for GET).
   */
  audit?: 'write' | 'personal_data' | 'none';
  /**
   * Largest JSON body accepted (body-parser syntax, e.g. '36mb'); DEFAULT_BODY_LIMIT otherwise.
   * Only routes that carry uploads raise it, so no other route buffers megabytes for anyone.
   */
  bodyLimit?: string;
  /**
   * `request` (default): guards, handler and audit entry run in one scoped transaction.
   * `steps`: for handlers that wait on Temporal (a worker that is down makes that wait as long as
   * the bound the handler sets). No transaction or pooled connection is held across the wait:
   * the guards run in a first short scoped transaction, the handler's database work in the ones
   * it opens with `ctx.scoped`, the audit entry in a last one after the handler succeeded. Every
   * one of them is as scoped (row-level security) as the request transaction is.
   */
  transaction?: 'request' | 'steps';
  handler(ctx: RouteContext<B, Q, P, R>): Promise<void> | void;
}

/** Declares a route with its types inferred from the schemas. */
export function route<B = undefined, Q = undefined, P = undefined, R extends ResponseSchemas = Record<never, never>>(
  spec: RouteSpec<B, Q, P, R>,
): RouteSpec<any, any, any> {
  return spec as unknown as RouteSpec<any, any, any>;
}

function parsePart<T>(schema: z.ZodType<T> | undefined, value: unknown, part: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, part === 'body' ? undefined : part);
  return result.data;
}

/** Checks that a path parameter names an object the caller may see (through the scoped db). */
export type ParamGuard = (db: Kysely<DB>, value: string) => Promise<boolean>;

export interface MountOptions {
  /**
   * Runs the rest of the request with its data access (scoped to the principal, one
   * transaction, released afterwards).
   */
  withDb: (req: Request, res: Response, fn: (db: Kysely<DB>) => Promise<void>) => Promise<void>;
  /**
   * One short transaction scoped to the principal, committed when `fn` returns (the steps of a
   * `transaction: 'steps'` route).
   */
  step: <T>(req: Request, fn: (db: Kysely<DB>) => Promise<T>) => Promise<T>;
  /** Checks the principal against the route's access before anything else runs. */
  authorize?: (spec: RouteSpec<any, any, any>, req: Request) => void | Promise<void>;
  /**
   * Per path-parameter name (`ticket`, `userId`…): a route whose path names another tenant's
   * object answers 404 before its body is parsed or its handler runs, whatever the handler does
   * (even one that goes straight to Temporal).
   */
  guards?: Record<string, ParamGuard>;
  /** Runs after a successful handler, in the same data scope (the audit log). */
  afterHandler?: (ctx: { spec: RouteSpec<any, any, any>; req: Request; db: Kysely<DB>; params: unknown; body: unknown }) => Promise<void>;
  /**
   * Checks every JSON body a handler sends against the route's `response` schema for its status
   * (a 2xx status without one is a mismatch too). `enforce` (the tests): the mismatch is reported
   * and the answer becomes a 500 `response_schema_mismatch`; `log`: reported, the body sent as is.
   * Off when absent.
   */
  checkResponses?: { mode: 'enforce' | 'log'; onMismatch(mismatch: ResponseMismatch): void };
}

/** A JSON answer that is not what its route declares. */
export interface ResponseMismatch {
  method: HttpMethod;
  path: string;
  status: number;
  /** `path: message` per difference, or that the status has no declared schema. */
  problems: string[];
}

/** Compares what a handler sends with its route's declaration (JSON-serialised, as the client gets it). */
export function checkResponseBody(spec: RouteSpec<any, any, any>, status: number, body: unknown): ResponseMismatch | null {
  const schema = spec.response?.[status];
  const at = { method: spec.method, path: spec.path, status };
  if (!schema) {
    return status >= 200 && status < 300 ? { ...at, problems: [`status ${status} has no declared response schema`] } : null;
  }
  const result = schema.safeParse(body === undefined ? undefined : JSON.parse(JSON.stringify(body)));
  if (result.success) return null;
  return { ...at, problems: result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`) };
}

/** Wraps `res.json` for one request so that what it sends is checked against the route's schemas. */
function checkJsonOf(spec: RouteSpec<any, any, any>, res: Response, check: NonNullable<MountOptions['checkResponses']>): () => void {
  const json = res.json;
  res.json = function checkedJson(this: Response, body?: unknown) {
    const mismatch = checkResponseBody(spec, this.statusCode, body);
    if (mismatch) {
      check.onMismatch(mismatch);
      if (check.mode === 'enforce') {
        throw new HttpError(
          500,
          'response_schema_mismatch',
          `${spec.method.toUpperCase()} ${spec.path} answered ${mismatch.status} with a body its declaration does not allow: ${mismatch.problems.join('; ')}`,
        );
      }
    }
    return json.call(this, body);
  } as Response['json'];
  return () => {
    res.json = json;
  };
}

/** What a JSON body may weigh on a route that does not declare `bodyLimit`. */
export const DEFAULT_BODY_LIMIT = '1mb';

/**
 * An empty body sent as JSON is not JSON. body-parser reads it as `{}`, which a route whose
 * fields are all optional (check-in, accept…) would then carry out as a valid action.
 */
function refuseEmptyJson(_req: unknown, _res: unknown, raw: Buffer): void {
  if (raw.length === 0) throw Object.assign(new Error('body is empty'), { status: 400, type: 'entity.parse.failed' });
}

/** Path parameter names of an express path: `/requests/:ticket/cancel` → ['ticket']. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

/**
 * Runs `fn` with the response held back: whatever it sends reaches the client only once `fn` has
 * resolved (its transactions committed), so a client is never told "done" for a write that then
 * rolls back. On error nothing is sent here and the error middleware answers.
 */
export async function holdResponse(res: Response, fn: () => Promise<void>): Promise<void> {
  const realEnd = res.end;
  let held: unknown[] | null = null;
  res.end = function holdEnd(this: Response, ...args: unknown[]) {
    held = args;
    return this;
  } as Response['end'];
  try {
    await fn();
  } finally {
    res.end = realEnd;
  }
  if (held) (realEnd as (...a: unknown[]) => void).apply(res, held);
}

/** The `db` of a steps route: a programming error caught by any test that reaches it. */
const NO_REQUEST_TRANSACTION = new Proxy({} as Kysely<DB>, {
  get(_target, property) {
    throw new Error(`this route holds no request transaction (transaction: 'steps'): use ctx.scoped(), not ctx.db.${String(property)}`);
  },
});

/** Mounts the table on an express router: authorise, parse params, guard, parse query/body, run. */
export function mountRoutes(routes: readonly RouteSpec<any, any, any>[], options: MountOptions): Router {
  const router = Router();
  const { withDb, step } = options;
  for (const spec of routes) {
    const guarded = pathParams(spec.path).filter((name) => options.guards?.[name]);
    const checkGuards = async (db: Kysely<DB>, params: unknown, req: Request) => {
      for (const name of guarded) {
        const value = (params as Record<string, unknown> | undefined)?.[name] ?? req.params[name];
        if (!(await options.guards![name]!(db, String(value)))) throw new HttpError(404, 'not_found', `${name} ${String(value)} not found`);
      }
    };
    const principalOf = (req: Request) => (req as { principal?: Principal }).principal ?? null;
    const handler: RequestHandler = async (req, res) => {
      // Restored when the handler is done: the error middleware's own bodies are not the route's.
      const unchecked = options.checkResponses && !spec.produces ? checkJsonOf(spec, res, options.checkResponses) : null;
      try {
        await handle(req, res);
      } finally {
        unchecked?.();
      }
    };
    const handle = async (req: Request, res: Response) => {
      await options.authorize?.(spec, req);
      // Before any schema or guard: text PostgreSQL cannot store, or nesting too deep, is a 400 here.
      refuseUnstorableInput({ params: req.params, query: req.query, body: req.body });
      const params = parsePart(spec.params, req.params, 'params');
      if (spec.transaction === 'steps') {
        await holdResponse(res, async () => {
          if (guarded.length > 0) await step(req, (db) => checkGuards(db, params, req));
          const query = parsePart(spec.query, req.query, 'query');
          const body = parsePart(spec.body, req.body ?? {}, 'body');
          const scoped = <T>(fn: (db: Kysely<DB>) => Promise<T>) => step(req, fn);
          await spec.handler({ req, res, body, query, params, db: NO_REQUEST_TRANSACTION, scoped, principal: principalOf(req) });
          if (options.afterHandler) await step(req, (db) => options.afterHandler!({ spec, req, db, params, body }));
        });
        return;
      }
      await withDb(req, res, async (db) => {
        await checkGuards(db, params, req);
        const query = parsePart(spec.query, req.query, 'query');
        const body = parsePart(spec.body, req.body ?? {}, 'body');
        const scoped = <T>(fn: (db: Kysely<DB>) => Promise<T>) => fn(db);
        await spec.handler({ req, res, body, query, params, db, scoped, principal: principalOf(req) });
        await options.afterHandler?.({ spec, req, db, params, body });
      });
    };
    // Parsed per route: the size limit is the route's, and only routes with a body schema refuse an empty JSON body.
    const json = express.json({ limit: spec.bodyLimit ?? DEFAULT_BODY_LIMIT, ...(spec.body ? { verify: refuseEmptyJson } : {}) });
    router[spec.method](spec.path, json, handler);
  }
  return router;
}
