/**
 * Registers the scheduled KPI reports as two Temporal Schedules (create, or update when they
 * exist, so a deploy that changes them applies on the next start): the weekly report every Monday
 * at 06:00 and the monthly one on the 1st at 06:30, Europe/Paris, each starting
 * `kpiReportsWorkflow` for the period that just ended (docs/kpis.md "Scheduled reports").
 */
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleHandle,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import { KPI_REPORT_SCHEDULE_IDS, KPI_REPORTS_WORKFLOW_TYPE, type KpiReportsInput } from '../workflows/reports/kpi-report.contract.js';
import type { ReportPeriodKind } from '../workflows/reports/report-period.contract.js';

export interface KpiReportScheduleOptions {
  taskQueue: string;
  /** Prefix of the schedule ids (tests use their own); by default `kpi-report`. */
  scheduleIds?: Partial<Record<ReportPeriodKind, string>>;
  /** Only these scopes (tests); by default every scope with subscribers. */
  only?: KpiReportsInput['only'];
}

const SPECS: Record<ReportPeriodKind, ScheduleSpec> = {
  weekly: { calendars: [{ dayOfWeek: 'MONDAY', hour: 6, minute: 0 }], timezone: 'Europe/Paris' },
  monthly: { calendars: [{ dayOfMonth: 1, hour: 6, minute: 30 }], timezone: 'Europe/Paris' },
};

async function ensureOne(client: Client, kind: ReportPeriodKind, options: KpiReportScheduleOptions): Promise<ScheduleHandle> {
  const scheduleId = options.scheduleIds?.[kind] ?? KPI_REPORT_SCHEDULE_IDS[kind];
  const spec = SPECS[kind];
  const input: KpiReportsInput = { kind, ...(options.only ? { only: options.only } : {}) };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: KPI_REPORTS_WORKFLOW_TYPE,
    // The schedule appends the fire time; each report's own workflow id is scope + period.
    workflowId: `kpi-reports-${scheduleId}`,
    taskQueue: options.taskQueue,
    args: [input],
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
    // A run missed while the worker was down is caught up within two days (still the same
    // period); a second run of the same period produces and sends nothing again.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '2 days' },
  });
}

export async function ensureKpiReportSchedules(client: Client, options: KpiReportScheduleOptions) {
  return { weekly: await ensureOne(client, 'weekly', options), monthly: await ensureOne(client, 'monthly', options) };
}
