/**
 * The activity groups the intervention workflow calls, each with its own timeouts and retries.
 * Types only from activities/: the implementations never enter the workflow bundle.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { BillingActivities } from '../../activities/billing/billing.contract.js';
import type { LifecycleActivities } from '../../activities/lifecycle/lifecycle.activities.js';
import type { createRecordActivities } from '../../activities/records/records.activities.js';

/** Database writes: retried until the database is back (each write is idempotent by key). */
export const records = proxyActivities<ReturnType<typeof createRecordActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Lifecycle writes and emails: idempotent by key, so retries are safe; bounded backoff. */
export const lifecycle = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['UnknownReference'] },
});

/** Invoicing (another team's activity): one invoice per intervention, keyed by workflow id. */
export const billing = proxyActivities<BillingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});
