import { CamelCasePlugin, Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import type { DB } from './schema/index.js';

// int8 (counts, bigserial ids) as numbers: they stay far below 2^53 here.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
// `date` as the ISO string itself, never a Date shifted by the process time zone.
pg.types.setTypeParser(1082, (value) => value);

export interface DbOptions {
  connectionString: string;
  /** Pool size; the API and the worker each hold one pool. */
  max?: number;
  applicationName?: string;
}

/** How long getting a connection may take (a new one, or a free one from a busy pool). */
export const DB_CONNECT_TIMEOUT_MS = 5_000;

/**
 * The database could not be reached: a connection could not be opened (refused, timed out, the
 * server starting or shutting down) or was lost. `cause` is the driver's error.
 */
export class DatabaseUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`database unavailable: ${(cause as Error)?.message || String(cause)}`);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * SQLSTATEs of a server that is going away or not there yet: class 08 (connection exception),
 * 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up, recovering),
 * 53300 too many connections.
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** What pg says when a connection dies under a query, or a busy pool gives none in time. */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/;
/** Node's socket errors (also found inside AggregateErrors: one attempt per address). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether `err` (from a query through a pool of `createDb`) says PostgreSQL is unreachable rather
 * than that the query is wrong. Looks through `cause` chains and AggregateErrors.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const next = queue.shift() as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | null | undefined;
    if (next === null || typeof next !== 'object' || seen.has(next)) continue;
    seen.add(next);
    if (next instanceof DatabaseUnavailableError) return true;
    if (typeof next.code === 'string' && UNAVAILABLE_SQLSTATE.test(next.code)) return true;
    if (typeof next.message === 'string' && UNAVAILABLE_MESSAGE.test(next.message)) return true;
    if (next.cause !== undefined) queue.push(next.cause);
    if (Array.isArray(next.errors)) queue.push(...(next.errors as unknown[]));
  }
  return false;
}

/** A connection that could not be opened: the server is unreachable, unless it refused us (auth, unknown database). */
function connectFailure(err: unknown): Error {
  const code = (err as { code?: unknown })?.code;
  const refusedByServer =
    typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !SOCKET_CODES.has(code) && !UNAVAILABLE_SQLSTATE.test(code);
  return refusedByServer && err instanceof Error ? err : new DatabaseUnavailableError(err);
}

/** The one connection pool of a process. Close it with `db.destroy()` at shutdown. */
export function createDb(options: DbOptions): Kysely<DB> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'intervention-platform',
    connectionTimeoutMillis: DB_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  });
  // A dropped connection (database restart) must not crash the process: the pool reconnects.
  pool.on('error', () => {});
  // A connection that cannot be had is typed at its source, so the API answers 503 for it (and
  // only for it) whatever the socket error was.
  const typedPool: PostgresPool = {
    connect: () =>
      pool.connect().catch((err: unknown) => {
        throw connectFailure(err);
      }),
    end: () => pool.end(),
  };
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: typedPool }), plugins: [new CamelCasePlugin()] });
  optionsOfDb.set(db, options);
  return db;
}

const optionsOfDb = new WeakMap<Kysely<DB>, DbOptions>();

/** How `db` (made by `createDb`) connects: for a dedicated connection beside its pool (db/live-listener.ts). */
export function connectionOptionsOf(db: Kysely<DB>): DbOptions {
  const options = optionsOfDb.get(db);
  if (!options) throw new Error('this Kysely instance was not made by createDb');
  return options;
}
