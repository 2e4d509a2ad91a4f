/**
 * Registers the refresh of the indicator facts as a Temporal Schedule, every ten minutes
 * (create, or update when it exists, so a deploy that changes it applies on the next start).
 */
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import { KPI_REFRESH_SCHEDULE_ID, KPI_REFRESH_WORKFLOW_ID } from '../workflows/reports/reports.contract.js';

export interface KpiRefreshScheduleOptions {
  taskQueue: string;
  scheduleId?: string;
  /** Minutes between two refreshes (10 by default). */
  everyMinutes?: number;
}

export async function ensureKpiRefreshSchedule(client: Client, options: KpiRefreshScheduleOptions) {
  const scheduleId = options.scheduleId ?? KPI_REFRESH_SCHEDULE_ID;
  const spec: ScheduleSpec = { intervals: [{ every: `${options.everyMinutes ?? 10} minutes` }] };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: 'kpiRefreshWorkflow',
    workflowId: `${KPI_REFRESH_WORKFLOW_ID}-${scheduleId}`,
    taskQueue: options.taskQueue,
    args: [],
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
    // One refresh at a time; missed ones (worker down) are not replayed: the next one catches up.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
  });
}
