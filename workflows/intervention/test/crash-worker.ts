/**
 * A real worker in its own process, so a test can SIGKILL it mid-flow. Built from the same
 * activities as production, over TEST_DATABASE_URL / TEST_TEMPORAL_ADDRESS / TEST_WORKFLOW_BUNDLE,
 * polling TASK_QUEUE and mailing through SMTP_URL, with the real invoicing.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { classifyActivityErrors, createActivities, createMailer } from '../../../activities/index.js';
import { createDb } from '../../../db/index.js';
import { testFinanceEmail, testSeller, testSupportEmail } from '../../../scripts/testing/env.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

Runtime.install({ logger: new DefaultLogger('ERROR') });
const db = createDb({ connectionString: env('TEST_DATABASE_URL'), max: 3, applicationName: 'crash-worker' });
const mailer = createMailer({ db, from: 'Support <support@test.local>', smtpUrl: env('SMTP_URL') });
const connection = await NativeConnection.connect({ address: env('TEST_TEMPORAL_ADDRESS') });
const worker = await Worker.create({
  connection,
  namespace: process.env.TEST_TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: env('TASK_QUEUE'),
  workflowBundle: { codePath: env('TEST_WORKFLOW_BUNDLE') },
  // After the kill, the server gives up on this worker's sticky queue sooner (default 10 s).
  stickyQueueScheduleToStartTimeout: '2s',
  activities: createActivities({ db, mailer, seller: testSeller(), financeEmail: testFinanceEmail(), supportEmail: testSupportEmail() }),
  interceptors: { activity: [classifyActivityErrors] },
});
process.stdout.write('worker ready\n');
await worker.run();
