/**
 * The platform's two servers on the embedded defaults, supervised: PostgreSQL (embedded,
 * persisted in DATA_DIR/pg) and the Temporal dev server (persisted in DATA_DIR/temporal), started
 * in parallel and restarted on the same port and data when one dies (scripts/supervise.ts).
 * External servers (DATABASE_URL, TEMPORAL_ADDRESS) are used as they are, unsupervised.
 * `npm start` and `npm run bench:load` start them this way.
 */
import path from 'node:path';
import type { Config } from '../platform/config.js';
import { startPostgres, type RunningPostgres } from './postgres.js';
import { supervise, type Backoff, type Supervisor } from './supervise.js';
import { portOrFree, startTemporal, type RunningTemporal } from './temporal-cli.js';

export interface PlatformServices {
  postgres: Supervisor<RunningPostgres>;
  temporal: Supervisor<RunningTemporal>;
  /** Connection URL of the application database (the same across restarts). */
  databaseUrl: string;
  /** host:port of the Temporal frontend (the same across restarts). */
  temporalAddress: string;
  namespace: string;
  uiUrl?: string;
  /** No restart from now on (shutdown has begun). */
  release(): void;
  /** Stops Temporal, then PostgreSQL, without restarting them. */
  stop(): Promise<void>;
}

type ServiceConfig = Pick<
  Config,
  | 'DATABASE_URL'
  | 'DATA_DIR'
  | 'EMBEDDED_PG_PORT'
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_PORT'
  | 'TEMPORAL_UI'
  | 'TEMPORAL_UI_PORT'
>;

export async function startPlatformServices(
  config: ServiceConfig,
  options: {
    log: (line: string) => void;
    database?: string;
    backoff?: Partial<Backoff>;
    /** The dev server's SQLite pragmas (scripts/temporal-cli.ts DEV_SERVER_SQLITE_PRAGMAS when absent). */
    sqlitePragmas?: readonly string[];
  },
): Promise<PlatformServices> {
  const { log } = options;
  const database = options.database ?? 'fieldservice';
  const pgOptions = {
    databaseUrl: config.DATABASE_URL,
    dataDir: path.join(config.DATA_DIR, 'pg'),
    database,
    log,
  };
  const temporalPort = await portOrFree(config.TEMPORAL_PORT);
  const uiPort = config.TEMPORAL_UI ? await portOrFree(config.TEMPORAL_UI_PORT) : undefined;
  const temporalOptions = {
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    dbFile: path.join(config.DATA_DIR, 'temporal', 'dev-server.sqlite'),
    port: temporalPort,
    ...(uiPort ? { uiPort } : {}),
    ...(options.sqlitePragmas ? { sqlitePragmas: options.sqlitePragmas } : {}),
    log,
  };
  let pgPort: number | undefined;
  const [postgres, temporal] = await Promise.all([
    supervise<RunningPostgres>({
      name: 'PostgreSQL',
      log,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      // The first start may take another port when the preferred one is busy; restarts take that one.
      start: async () => {
        const started = await startPostgres(
          pgPort === undefined ? { ...pgOptions, port: config.EMBEDDED_PG_PORT } : { ...pgOptions, port: pgPort, strictPort: true },
        );
        pgPort = started.port;
        return started;
      },
    }).then((s) => {
      log(`PostgreSQL ready (${s.current.source}${s.current.port ? `, port ${s.current.port}` : ''})`);
      return s;
    }),
    supervise<RunningTemporal>({
      name: 'Temporal',
      log,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      start: () => startTemporal(temporalOptions),
    }).then((s) => {
      log(`Temporal ready (${s.current.source}, ${s.current.address})`);
      return s;
    }),
  ]);
  return {
    postgres,
    temporal,
    databaseUrl: postgres.current.url,
    temporalAddress: temporal.current.address,
    namespace: temporal.current.namespace,
    ...(temporal.current.uiUrl ? { uiUrl: temporal.current.uiUrl } : {}),
    release() {
      postgres.release();
      temporal.release();
    },
    async stop() {
      await temporal.stop();
      await postgres.stop();
    },
  };
}
