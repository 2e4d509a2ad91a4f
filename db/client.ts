import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
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

/** The one connection pool of a process. Close it with `db.destroy()` at shutdown. */
export function createDb(options: DbOptions): Kysely<DB> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'intervention-platform',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // A dropped connection (database restart) must not crash the process: the pool reconnects.
  pool.on('error', () => {});
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
}
