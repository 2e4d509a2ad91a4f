/**
 * Finds, builds or downloads the official Temporal CLI (which contains the dev server) and runs it.
 *
 * Resolution order (the first that applies wins):
 *   1. `TEMPORAL_ADDRESS` is set: an existing server is used, nothing is started.
 *   2. `temporal` on PATH.
 *   3. The project's cached build in `.cache/temporal-<version>/temporal` (gitignored).
 *   4. `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` into that cache, when Go is present.
 *   5. The TypeScript SDK's own download (machines with internet), run through `@temporalio/testing`.
 *
 * v1.5.1 is the newest CLI tag that `go install` accepts: later tags carry a `replace` directive.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import Long from 'long';
import type { ProcessExit } from './supervise.js';

export const TEMPORAL_CLI_VERSION = '1.5.1';
// @temporalio/proto is CommonJS: its namespaces are reached through the default export under Node ESM.
const { temporal } = proto;
const CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Search attributes the workflows list interventions by; registered at every start (idempotent). */
export const SEARCH_ATTRIBUTES = {
  InterventionStatus: 'Keyword',
  Priority: 'Keyword',
  ClientId: 'Keyword',
  TechnicianId: 'Keyword',
  TicketNumber: 'Keyword',
} as const;

type Log = (line: string) => void;

export interface RunningTemporal {
  /** host:port of the frontend gRPC service. */
  address: string;
  namespace: string;
  /** Web UI URL when the UI was started. */
  uiUrl?: string;
  /** How the server was obtained, for the start-up banner and the issue notes. */
  source: 'external' | 'path' | 'cache' | 'go-install' | 'sdk-download';
  /** The dev server's process id, when this process runs the CLI. */
  pid?: number;
  /** Settles when the dev server started here has exited (never for an external server or the SDK's download). */
  exited: Promise<ProcessExit>;
  stop(): Promise<void>;
}

export interface StartTemporalOptions {
  /** An existing server (TEMPORAL_ADDRESS); nothing is started when set. */
  address?: string;
  namespace: string;
  /** SQLite file that persists the dev server's state; in memory when absent. */
  dbFile?: string;
  port?: number;
  /** Start the web UI on this port; headless when absent. */
  uiPort?: number;
  cacheDir?: string;
  log?: Log;
  /** `PRAGMA=VALUE` for the dev server's SQLite file (DEV_SERVER_SQLITE_PRAGMAS when absent; [] for SQLite's defaults). */
  sqlitePragmas?: readonly string[];
}

/**
 * The dev server's SQLite settings. Its defaults (rollback journal, synchronous=FULL) sync the disk
 * several times per transaction, and every workflow task and activity is one or more: on the
 * 2-core reference machine the server saturated below 5 intakes a second, waiting on the disk
 * (bench/results/load.md). A write-ahead log with synchronous=NORMAL syncs at checkpoints only:
 * a crash of the server (kill -9) still loses nothing committed; a power cut may lose the last
 * transactions, as on any laptop development setup (production runs Temporal on PostgreSQL).
 */
export const DEV_SERVER_SQLITE_PRAGMAS = ['journal_mode=WAL', 'synchronous=NORMAL'] as const;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function defaultCacheDir(): string {
  return process.env.TEMPORAL_CLI_CACHE ?? path.join(repoRoot, '.cache');
}

/**
 * Returns the path of a usable `temporal` binary, building it with Go when needed,
 * or undefined when neither a binary nor Go is available (then the SDK download is the last resort).
 */
export async function resolveTemporalCli(
  cacheDir = defaultCacheDir(),
  log: Log = (l) => console.log(l),
): Promise<{ path: string; source: 'path' | 'cache' | 'go-install' } | undefined> {
  const fromPath = onPath('temporal');
  if (fromPath) return { path: fromPath, source: 'path' };

  const binDir = path.join(cacheDir, `temporal-${TEMPORAL_CLI_VERSION}`);
  const cached = path.join(binDir, 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache' };

  const go = onPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) return undefined;

  mkdirSync(binDir, { recursive: true });
  log(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with ${go} (first run only; several minutes on a cold Go cache)…`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      go,
      ['install', '-trimpath', '-ldflags', `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`, CLI_MODULE],
      { env: { ...process.env, CGO_ENABLED: '0', GOBIN: binDir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let lines = 0;
    let tail = '';
    const progress = setInterval(() => {
      log(`  … still building (${Math.round((Date.now() - started) / 1000)} s, ${lines} modules fetched)`);
    }, 30_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      lines += text.split('\n').filter((l) => l.startsWith('go: downloading')).length;
      tail = (tail + text).slice(-4000);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (err) => {
      clearInterval(progress);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(progress);
      if (code === 0) resolve();
      else reject(new Error(`go install ${CLI_MODULE} failed with exit code ${code}:\n${tail}`));
    });
  });
  if (!isExecutable(cached)) throw new Error(`go install finished but ${cached} is missing`);
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s: ${cached}`);
  return { path: cached, source: 'go-install' };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not pick a free port'));
      });
    });
  });
}

/** The preferred port when nothing listens on it, otherwise a free one. */
export async function portOrFree(preferred: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

/** Waits until the frontend answers GetSystemInfo, far longer than the SDK's fixed 5 s. */
async function waitForFrontend(address: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`the Temporal dev server exited with code ${child.exitCode} during start-up`);
    }
    // A lazy connection is closed on every path, so failed attempts leave no retrying channel.
    const connection = Connection.lazy({ address, connectTimeout: 2_000 });
    try {
      await connection.ensureConnected();
      await connection.workflowService.getSystemInfo({});
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await connection.close().catch(() => {});
    }
  }
  throw new Error(`Temporal at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

/** Registers the namespace (on an external server) and the search attributes, skipping those present. */
export async function ensureNamespaceAndSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(30 * 24 * 3600) },
      });
    }
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const present = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {};
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      if (present.has(name)) continue;
      missing[name] =
        type === 'Keyword'
          ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
          : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT;
    }
    if (Object.keys(missing).length > 0) {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
    }
  } finally {
    await connection.close();
  }
}

/** What never happens: the exit of a server this process does not run. */
const NEVER = new Promise<ProcessExit>(() => {});

/** Starts (or connects to) a Temporal server with the namespace and search attributes registered. */
export async function startTemporal(options: StartTemporalOptions): Promise<RunningTemporal> {
  const log = options.log ?? ((l: string) => console.log(l));
  const namespace = options.namespace;

  if (options.address) {
    await waitForFrontend(options.address, 30_000);
    await ensureNamespaceAndSearchAttributes(options.address, namespace);
    return { address: options.address, namespace, source: 'external', exited: NEVER, stop: async () => {} };
  }

  const port = options.port ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  const cli = await resolveTemporalCli(options.cacheDir ?? defaultCacheDir(), log);

  if (!cli) {
    log('No Temporal CLI on PATH, in the cache, and no Go toolchain: using the SDK download (needs internet).');
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port,
        namespace,
        ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
        ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : {}),
      },
    });
    await ensureNamespaceAndSearchAttributes(env.address, namespace);
    return {
      address: env.address,
      namespace,
      source: 'sdk-download',
      exited: NEVER,
      ...(options.uiPort ? { uiUrl: `http://127.0.0.1:${options.uiPort}` } : {}),
      stop: () => env.teardown(),
    };
  }

  if (options.dbFile) mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...(options.dbFile ? (options.sqlitePragmas ?? DEV_SERVER_SQLITE_PRAGMAS).flatMap((pragma) => ['--sqlite-pragma', pragma]) : []),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
  ];
  const child = spawn(cli.path, args, {
    env: { ...process.env, TEMPORAL_VERSION_CHECK_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killTimer);
  };

  try {
    await waitForFrontend(address, 90_000, child);
    await ensureNamespaceAndSearchAttributes(address, namespace);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- temporal output ---\n${output}`);
  }
  return {
    address,
    namespace,
    source: cli.source,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    exited,
    ...(options.uiPort ? { uiUrl: `http://127.0.0.1:${options.uiPort}` } : {}),
    stop,
  };
}

// `npm run temporal:ensure`: resolve or build the CLI and print its path.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await resolveTemporalCli();
  if (!result) {
    console.error('No temporal binary and no Go toolchain; the SDK download will be used at start.');
    process.exit(1);
  }
  console.log(result.path);
  if (existsSync(result.path)) spawnSync(result.path, ['--version'], { stdio: 'inherit' });
}
