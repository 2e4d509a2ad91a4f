/**
 * The worker process: workflows bundled, activities registered over one database pool and the
 * mailer. `npm start` runs it in-process with the API; production runs it alone
 * (`tsx scripts/worker.ts`, DATABASE_URL and TEMPORAL_ADDRESS set).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import {
  classifyActivityErrors,
  createActivities,
  createMailer,
  sellerProfileFromConfig,
  type Mailer,
  type SellerProfile,
} from '../activities/index.js';
import { createDb, type DB } from '../db/index.js';
import { loadConfigOrExit } from '../platform/config.js';
import { ensureRetentionSchedule } from './retention-schedule.js';
import { ensureKpiRefreshSchedule } from './reports-schedule.js';
import { ensureKpiReportSchedules } from './kpi-report-schedule.js';
import { ensureNightlyPlanSchedule } from './nightly-plan-schedule.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundles the workflow code once (webpack); reuse the result for every worker of the process. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  trace() {},
  debug() {},
  info() {},
  warn(message: string) {
    console.warn(message);
  },
  error(message: string) {
    console.error(message);
  },
  log() {},
};

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Kysely<DB>;
  mailer: Mailer;
  /** Who issues the invoices (SELLER_*), and where finance receives them (FINANCE_EMAIL). */
  seller: SellerProfile;
  financeEmail: string;
  /** Where SLA alerts and support notifications go (SUPPORT_EMAIL). */
  supportEmail: string;
  /** The road-network travel-time service (ROUTING_URL). */
  routingUrl?: string;
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Grace period for in-flight activities at shutdown. */
  shutdownGraceTime?: string;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: createActivities({
      db: options.db,
      mailer: options.mailer,
      seller: options.seller,
      financeEmail: options.financeEmail,
      supportEmail: options.supportEmail,
      ...(options.routingUrl ? { routingUrl: options.routingUrl } : {}),
    }),
    // Errors no retry can fix fail at once, typed (activities/errors.ts).
    interceptors: { activity: [classifyActivityErrors] },
    shutdownGraceTime: (options.shutdownGraceTime ?? '10s') as '10s',
    // Heartbeats carry progress the UI shows (the optimizer's): let one through every second.
    maxHeartbeatThrottleInterval: '1 second',
    defaultHeartbeatThrottleInterval: '1 second',
  });
}

// Standalone worker process.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const config = loadConfigOrExit();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    console.error('The standalone worker needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs everything embedded).');
    process.exit(2);
  }
  const db = createDb({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE, applicationName: 'worker' });
  const mailer = createMailer({ db, from: config.MAIL_FROM, smtpUrl: config.SMTP_URL });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    mailer,
    seller: sellerProfileFromConfig(config),
    financeEmail: config.FINANCE_EMAIL,
    supportEmail: config.SUPPORT_EMAIL,
    ...(config.ROUTING_URL ? { routingUrl: config.ROUTING_URL } : {}),
  });
  // The daily GDPR retention run (create-or-update, so restarts apply config changes).
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const scheduler = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  await ensureRetentionSchedule(scheduler, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  // The indicator facts' refresh, every ten minutes (docs/kpis.md).
  await ensureKpiRefreshSchedule(scheduler, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  // The weekly and monthly KPI reports to their subscribers (Monday / 1st, Europe/Paris).
  await ensureKpiReportSchedules(scheduler, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  // The next working day's plan, proposed every evening (NIGHTLY_PLAN_AT, Europe/Paris).
  await ensureNightlyPlanSchedule(scheduler, { taskQueue: config.TEMPORAL_TASK_QUEUE, at: config.NIGHTLY_PLAN_AT });
  await clientConnection.close();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  console.log(`worker polling ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS}`);
  try {
    await worker.run();
  } finally {
    await connection.close();
    await mailer.close();
    await db.destroy();
  }
}
