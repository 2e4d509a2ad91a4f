/**
 * Registers the nightly plan as a Temporal Schedule (create, or update when it exists, so a
 * changed NIGHTLY_PLAN_AT applies on the next start): every evening at that time, Europe/Paris,
 * `nightlyPlanWorkflow` optimizes the next working day and proposes it to the dispatchers.
 */
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleHandle,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import {
  NIGHTLY_PLAN_SCHEDULE_ID,
  NIGHTLY_PLAN_WORKFLOW_TYPE,
  type NightlyPlanInput,
} from '../workflows/dispatch/nightly-plan.contract.js';

export interface NightlyPlanScheduleOptions {
  taskQueue: string;
  /** HH:MM, Europe/Paris (NIGHTLY_PLAN_AT); by default 18:00. */
  at?: string;
  /** Tests use their own schedule id and day. */
  scheduleId?: string;
  input?: NightlyPlanInput;
}

export async function ensureNightlyPlanSchedule(client: Client, options: NightlyPlanScheduleOptions): Promise<ScheduleHandle> {
  const scheduleId = options.scheduleId ?? NIGHTLY_PLAN_SCHEDULE_ID;
  const [hour, minute] = (options.at ?? '18:00').split(':').map(Number);
  const spec: ScheduleSpec = { calendars: [{ hour: hour ?? 18, minute: minute ?? 0 }], timezone: 'Europe/Paris' };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: NIGHTLY_PLAN_WORKFLOW_TYPE,
    // The schedule appends the fire time; the day's plan run has the day's own id.
    workflowId: `nightly-plan-${scheduleId}`,
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
    // An evening missed while the worker was down is caught up until the next morning; the
    // previous evening's run may still wait for its publication time, so overlaps are allowed
    // (each run plans its own day, and a day's plan is made once).
    policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '12 hours' },
  });
}
