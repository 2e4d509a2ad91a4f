/**
 * The platform as separate processes on one machine, for the load benchmark (bench/bench-load.ts):
 * PostgreSQL and the Temporal dev server (embedded, supervised: scripts/services.ts) in this
 * process, then N workers (`scripts/worker.ts`) and M API processes (`scripts/api.ts`) as child
 * processes with DATABASE_URL and TEMPORAL_ADDRESS set: the processes the README's production
 * section describes, on the embedded defaults, in a data folder of their own (a fresh temporary
 * one unless given), on free loopback ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { connectApiClient } from '../api/temporal-client.js';
import { createDb, migrateToLatest, type DB } from '../db/index.js';
import { findTicketStatuses } from '../db/repositories/requests.repository.js';
import { interventionWorkflowId } from '../workflows/intervention/intervention.contract.js';
import { demoEmail, demoPassword, demoRequests, seedReferenceData } from './seed.js';
import { startPlatformServices, type PlatformServices } from './services.js';
import { freePort } from './temporal-cli.js';

// @temporalio/proto is CommonJS: its namespaces are reached through the default export under Node ESM.
const EVENT_TYPES = proto.temporal.api.enums.v1.EventType as unknown as Record<number, string>;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface LoadPlatformOptions {
  workers?: number;
  apis?: number;
  /** Data folder (a fresh temporary one, removed at stop, when absent). */
  dataDir?: string;
  log?: (line: string) => void;
  /** The Temporal dev server's SQLite pragmas (its defaults: []; the platform's when absent). */
  sqlitePragmas?: readonly string[];
}

export type IntakeBody = NonNullable<ReturnType<typeof demoRequests>[number]>;

export interface LoadPlatform {
  /** Base URLs of the API processes (http://127.0.0.1:port). */
  apiUrls: string[];
  /** Headers of the support agent who files the requests (session cookie, the app's origin). */
  headersFor(apiUrl: string): Record<string, string>;
  /** The six demo requests' bodies, as support files them through the web form. */
  intakeBodies: IntakeBody[];
  /** Process ids by role, for CPU accounting: `postgres` is the postmaster (its backends are its children). */
  pids(): Record<'postgres' | 'temporal' | 'workers' | 'apis', number[]>;
  /** How many of the tickets have their request row, and how many of those passed the intake (status beyond `new`). */
  rowsOf(tickets: string[]): Promise<{ rows: number; confirmed: number }>;
  /** How many of the tickets have their workflow on the Temporal server. */
  workflowsOf(tickets: string[]): Promise<number>;
  /** The Temporal history of one ticket's workflow, event types in order. */
  historyOf(ticket: string): Promise<{ eventType: string; activityType?: string; atMs: number }[]>;
  db: Kysely<DB>;
  client: Client;
  stop(): Promise<void>;
}

function spawnNode(script: string, env: Record<string, string>, name: string, log: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, script)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT') log(`${name} exited (${signal ?? code}): ${tail.slice(-1000)}`);
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not healthy within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pooled<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!);
      }
    }),
  );
  return results;
}

/** The live processes whose parent is `pid` (a postmaster's backends). */
export function childPids(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export async function startLoadPlatform(options: LoadPlatformOptions = {}): Promise<LoadPlatform> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'fsp-load-'));
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const services: PlatformServices = await startPlatformServices(
    {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: await freePort(),
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_PORT: await freePort(),
      TEMPORAL_UI: false,
      TEMPORAL_UI_PORT: 8233,
    },
    { log, ...(options.sqlitePragmas ? { sqlitePragmas: options.sqlitePragmas } : {}) },
  );
  const children: ChildProcess[] = [];
  const db = createDb({ connectionString: services.databaseUrl, max: 4, applicationName: 'bench' });
  let connection: Connection | undefined;
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await connection?.close();
    await db.destroy();
    await services.stop();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await migrateToLatest(db);
    await seedReferenceData(db);
    const env = {
      DATABASE_URL: services.databaseUrl,
      TEMPORAL_ADDRESS: services.temporalAddress,
      TEMPORAL_NAMESPACE: services.namespace,
      HOST: '127.0.0.1',
      // One address and one account send everything: the general rate limit is not what is measured.
      RATE_LIMIT_PER_ADDRESS: '1000000',
      RATE_LIMIT_PER_ACCOUNT: '1000000',
      TEMPORAL_UI: 'false',
    };
    const workers = Array.from({ length: options.workers ?? 1 }, (_, i) => spawnNode('scripts/worker.ts', env, `worker ${i + 1}`, log));
    children.push(...workers);
    const apiPorts = await Promise.all(Array.from({ length: options.apis ?? 1 }, () => freePort()));
    const apis = apiPorts.map((port, i) => spawnNode('scripts/api.ts', { ...env, PORT: String(port) }, `API ${i + 1}`, log));
    children.push(...apis);
    const apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(apiUrls.map((url) => waitHealthy(url, 120_000)));
    log(`${workers.length} worker(s), ${apis.length} API process(es) up: ${apiUrls.join(', ')}`);

    const login = await fetch(`${apiUrls[0]}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demoEmail('support_agent'), password: demoPassword('support_agent') }),
    });
    const cookie = login.headers.get('set-cookie')?.split(';')[0];
    if (!login.ok || !cookie) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
    const clients = (await (await fetch(`${apiUrls[0]}/api/clients`, { headers: { cookie } })).json()) as {
      items: Parameters<typeof demoRequests>[0];
    };
    const intakeBodies = demoRequests(clients.items).filter((b): b is IntakeBody => b !== null);
    const api = await connectApiClient(services.temporalAddress, services.namespace);
    connection = api.connection;
    const client = api.client;

    return {
      apiUrls,
      headersFor: (url) => ({ 'content-type': 'application/json', cookie, origin: new URL(url).origin }),
      intakeBodies,
      pids: () => ({
        postgres: services.postgres.current.pid ? [services.postgres.current.pid] : [],
        temporal: services.temporal.current.pid ? [services.temporal.current.pid] : [],
        workers: workers.map((w) => w.pid!).filter(Boolean),
        apis: apis.map((a) => a.pid!).filter(Boolean),
      }),
      async rowsOf(tickets) {
        let rows = 0;
        let confirmed = 0;
        for (let i = 0; i < tickets.length; i += 1000) {
          const found = await findTicketStatuses(db, tickets.slice(i, i + 1000));
          rows += found.length;
          confirmed += found.filter((r) => r.status !== 'new').length;
        }
        return { rows, confirmed };
      },
      async workflowsOf(tickets) {
        const found = await pooled(tickets, 16, (ticket) =>
          client.workflow
            .getHandle(interventionWorkflowId(ticket))
            .describe()
            .then(
              () => 1,
              () => 0,
            ),
        );
        return found.reduce<number>((a, b) => a + b, 0);
      },
      async historyOf(ticket) {
        const history = await client.workflow.getHandle(interventionWorkflowId(ticket)).fetchHistory();
        const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
          Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
        const first = ms(history.events?.[0]?.eventTime);
        return (history.events ?? []).map((event) => {
          const type = event.eventType ?? 0;
          const name = (EVENT_TYPES[type] ?? String(type)).replace(/^EVENT_TYPE_/, '');
          const activityType = event.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined;
          return { eventType: name, atMs: Math.round(ms(event.eventTime) - first), ...(activityType ? { activityType } : {}) };
        });
      },
      db,
      client,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
