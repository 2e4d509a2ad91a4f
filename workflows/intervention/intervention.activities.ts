/**
 * The activity groups the intervention workflow calls, each with its own timeouts and retries.
 * Types only from activities/: the implementations never enter the workflow bundle.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { BillingActivities } from '../../activities/billing/billing.contract.js';
import type { LifecycleActivities } from '../../activities/lifecycle/lifecycle.activities.js';
import type { createRecordActivities } from '../../activities/records/records.activities.js';
import { DURABLE_WRITE_RETRY, DURABLE_WRITE_SCHEDULE_TO_CLOSE, withPermanentFailures } from '../activity-retry.contract.js';
import { InterventionFailure } from './intervention.contract.js';

/**
 * Database writes: retried while the database is down, for at most seven days (each write is
 * idempotent by key); errors no retry can fix fail at once (see activity-retry.contract.ts).
 */
export const records = proxyActivities<ReturnType<typeof createRecordActivities>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: DURABLE_WRITE_SCHEDULE_TO_CLOSE,
  retry: withPermanentFailures({ ...DURABLE_WRITE_RETRY, nonRetryableErrorTypes: [InterventionFailure.UnknownReference] }),
});

/** Lifecycle writes and emails: idempotent by key, so retries are safe; same bound as records. */
export const lifecycle = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: DURABLE_WRITE_SCHEDULE_TO_CLOSE,
  retry: withPermanentFailures({ ...DURABLE_WRITE_RETRY, nonRetryableErrorTypes: [InterventionFailure.UnknownReference] }),
});

/**
 * Invoicing (another team's activity): one invoice per intervention, keyed by workflow id. A
 * slower start and cap (PDF and XML rendering), the same seven-day bound.
 */
export const billing = proxyActivities<BillingActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: DURABLE_WRITE_SCHEDULE_TO_CLOSE,
  retry: withPermanentFailures({ ...DURABLE_WRITE_RETRY, initialInterval: '5 seconds', maximumInterval: '5 minutes' }),
});
