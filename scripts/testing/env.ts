/**
 * What integration tests share: the real PostgreSQL and Temporal started by the global setup,
 * and a helper that runs a real worker on a task queue of the test's own.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import {
  classifyActivityErrors,
  createActivities,
  createMailer,
  sellerProfileFromConfig,
  type Mailer,
  type SellerProfile,
} from '../../activities/index.js';
import { createApp, type AppDeps } from '../../api/app.js';
import { createDb, type DB } from '../../db/index.js';
import { loadConfig } from '../../platform/config.js';
import { enforceResponseSchemas } from './response-check.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through vitest (globalSetup)`);
  return value;
}

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another helper in this process
  }
}

/** The issuer and finance address of test workers: the configuration defaults, whatever the shell has. */
export const testSeller = (): SellerProfile => sellerProfileFromConfig(loadConfig({}));
export const testFinanceEmail = (): string => loadConfig({}).FINANCE_EMAIL;
export const testSupportEmail = (): string => loadConfig({}).SUPPORT_EMAIL;

export const testDatabaseUrl = () => required('TEST_DATABASE_URL');
export const testTemporalAddress = () => required('TEST_TEMPORAL_ADDRESS');
export const testNamespace = () => process.env.TEST_TEMPORAL_NAMESPACE ?? 'default';

export function testDb(max = 5): Kysely<DB> {
  return createDb({ connectionString: testDatabaseUrl(), max, applicationName: 'vitest' });
}

export async function testClient(): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address: testTemporalAddress() });
  return { client: new Client({ connection, namespace: testNamespace() }), connection };
}

export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

export interface TestWorker {
  worker: Worker;
  taskQueue: string;
  /** Resolves when the worker has stopped. */
  stop(): Promise<void>;
}

/** Starts a real worker (bundled workflows, real activities) polling a fresh task queue. */
export async function startTestWorker(options: {
  db: Kysely<DB>;
  mailer?: Mailer;
  taskQueue?: string;
  activities?: Record<string, (...args: any[]) => Promise<unknown>>;
}): Promise<TestWorker> {
  const mailer = options.mailer ?? createMailer({ db: options.db, from: 'Support <support@test.local>' });
  return startWorkerWith(options.taskQueue ?? uniqueTaskQueue(), {
    ...createActivities({
      db: options.db,
      mailer,
      seller: testSeller(),
      financeEmail: testFinanceEmail(),
      supportEmail: testSupportEmail(),
    }),
    ...(options.activities ?? {}),
  });
}

/**
 * Starts a worker (bundled workflows) whose activities are exactly `activities`: fakes, so a
 * workflow's branches run in seconds without the database.
 */
export async function startWorkerWith(taskQueue: string, activities: object): Promise<TestWorker> {
  quietRuntime();
  const connection = await NativeConnection.connect({ address: testTemporalAddress() });
  const worker = await Worker.create({
    connection,
    namespace: testNamespace(),
    taskQueue,
    workflowBundle: { codePath: required('TEST_WORKFLOW_BUNDLE') },
    activities,
    // The production worker's error classification (scripts/worker.ts).
    interceptors: { activity: [classifyActivityErrors] },
    shutdownGraceTime: '2s',
    maxHeartbeatThrottleInterval: '1 second',
    defaultHeartbeatThrottleInterval: '1 second',
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => {});
      await connection.close();
    },
  };
}

/**
 * The rate limits of test apps: the suite sends thousands of requests from 127.0.0.1, so tests
 * that are not about rate limiting get limits they cannot reach (counted apart from other
 * limits: the limit is part of the counter's key, api/rate-limit.ts).
 */
export const TEST_RATE_LIMITS = { perAddress: 1_000_000, perAccount: 1_000_000 };

/** The platform under test: real pool, Temporal client, worker and API on a free port. */
export interface TestPlatform {
  db: Kysely<DB>;
  client: Client;
  connection: Connection;
  /** The worker polling `taskQueue`; null while none does (`worker: false`, until startWorker). */
  worker: TestWorker | null;
  taskQueue: string;
  /** Starts a worker on the platform's task queue (a worker coming back after an outage). */
  startWorker(): Promise<TestWorker>;
  /** Stops the worker: from then on nothing polls the task queue (an outage). */
  stopWorker(): Promise<void>;
  server: Server;
  url: string;
  /** Stops the API, the worker, the client connection and the pool, in that order. */
  stop(): Promise<void>;
}

/** Serves an express app on a free loopback port (the one way tests start an HTTP server). */
export async function listen(app: {
  listen: (port: number, host: string, ready: () => void) => Server;
}): Promise<{ url: string; server: Server }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }));
  });
}

export async function startTestPlatform(
  options: {
    app?: Omit<Partial<AppDeps>, 'db' | 'temporal' | 'taskQueue'>;
    mailer?: Mailer;
    /** false: no worker polls the task queue (an outage) until `startWorker()`. */
    worker?: boolean;
    /** The API's pool size (default 5). */
    poolSize?: number;
    /** Activities replacing the real ones of the same name (e.g. built with an injected clock). */
    activities?: (db: Kysely<DB>) => Record<string, (...args: any[]) => Promise<unknown>>;
  } = {},
): Promise<TestPlatform> {
  const db = testDb(options.poolSize);
  const { client, connection } = await testClient();
  const taskQueue = uniqueTaskQueue();
  const launch = () =>
    startTestWorker({
      db,
      taskQueue,
      ...(options.mailer ? { mailer: options.mailer } : {}),
      ...(options.activities ? { activities: options.activities(db) } : {}),
    });
  const app = createApp({
    db,
    temporal: client,
    taskQueue,
    // The invitation and reset links: the test's mailer (a capturing SMTP server), else the outbox.
    mailer: options.mailer ?? createMailer({ db, from: 'Support <support@test.local>' }),
    log: (err) => console.error(err),
    rateLimit: TEST_RATE_LIMITS,
    checkResponses: enforceResponseSchemas,
    ...options.app,
  });
  const { server, url } = await listen(app);
  const platform: TestPlatform = {
    db,
    client,
    connection,
    worker: options.worker === false ? null : await launch(),
    taskQueue,
    async startWorker() {
      if (platform.worker) throw new Error('a worker already polls this platform');
      platform.worker = await launch();
      return platform.worker;
    },
    async stopWorker() {
      await platform.worker?.stop();
      platform.worker = null;
    },
    server,
    url,
    async stop() {
      server.close();
      await (app.locals.live as { close(): Promise<void> } | undefined)?.close();
      await platform.worker?.stop();
      await connection.close();
      await db.destroy();
    },
  };
  return platform;
}

/**
 * Where browser tests write their screenshots: SCREENSHOT_DIR to keep them and look at them
 * (`SCREENSHOT_DIR=shots npx vitest run web`), else the run's scratch folder, removed at the end.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.SCREENSHOT_DIR ?? join(required('TEST_SCRATCH_DIR'), 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/**
 * Polls `probe` until it yields a value (something the real services do in the background: a
 * workflow step, an email), failing with `what` after `timeoutMs`.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
