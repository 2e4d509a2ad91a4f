/**
 * Registers the daily GDPR retention run as a Temporal Schedule (create, or update when it
 * exists, so a deploy that changes the time or task queue applies on the next start).
 */
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import { RETENTION_SCHEDULE_ID, RETENTION_WORKFLOW_ID, type RetentionInput } from '../workflows/retention/retention.contract.js';

export interface RetentionScheduleOptions {
  taskQueue: string;
  scheduleId?: string;
  /** Local time in Europe/Paris; by default 03:30, outside working hours. */
  hour?: number;
  minute?: number;
  input?: RetentionInput;
}

export async function ensureRetentionSchedule(client: Client, options: RetentionScheduleOptions) {
  const scheduleId = options.scheduleId ?? RETENTION_SCHEDULE_ID;
  const spec: ScheduleSpec = {
    calendars: [{ hour: options.hour ?? 3, minute: options.minute ?? 30 }],
    timezone: 'Europe/Paris',
  };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: 'retentionWorkflow',
    workflowId: `${RETENTION_WORKFLOW_ID}-${scheduleId}`,
    taskQueue: options.taskQueue,
    args: [options.input ?? {}],
  };
  const handle = client.schedule.getHandle(scheduleId);
  try {
    await handle.update((previous) => ({ ...previous, spec, action }));
    return handle;
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  return client.schedule.create({
    scheduleId,
    spec,
    action,
    // One run at a time; a missed run (worker down) is caught up once, not once per missed day.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  });
}
