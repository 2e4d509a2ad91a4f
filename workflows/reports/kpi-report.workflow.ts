/**
 * Scheduled KPI reports (docs/kpis.md "Scheduled reports"). A Temporal Schedule starts
 * `kpiReportsWorkflow` every Monday morning (weekly) and on the 1st of the month (monthly), in
 * Europe/Paris. It computes the period that just ended from the instant the schedule fired, lists
 * the scopes with subscribers, and starts one `kpiReportWorkflow` per scope whose id is derived
 * from the scope and the period.
 *
 * Exactly once, at three levels: Temporal refuses a second workflow with the same id for the same
 * period (unless the first one failed); the report row is unique per (scope, period kind, period
 * start), so a retried or re-run production returns the stored report; each email is claimed in
 * the outbox by a key per report and recipient before it is sent, so a retry never sends twice.
 */
import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import {
  SearchAttributeType,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  defineSearchAttributeKey,
} from '@temporalio/common';
import { withPermanentFailures } from '../activity-retry.contract.js';
import type { createKpiReportActivities } from '../../activities/reports/kpi-report.activities.js';
import type { createReportActivities } from '../../activities/reports/reports.activities.js';
import {
  KPI_REPORT_WORKFLOW_TYPE,
  kpiReportWorkflowId,
  type KpiReportInput,
  type KpiReportResult,
  type KpiReportsInput,
  type KpiReportsResult,
} from './kpi-report.contract.js';
import { periodJustEnded } from './report-period.contract.js';

const retry = withPermanentFailures({ initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 });
const reports = proxyActivities<ReturnType<typeof createKpiReportActivities>>({ startToCloseTimeout: '10 minutes', retry });
const facts = proxyActivities<ReturnType<typeof createReportActivities>>({ startToCloseTimeout: '30 minutes', retry });

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export async function kpiReportsWorkflow(input: KpiReportsInput): Promise<KpiReportsResult> {
  const info = workflowInfo();
  const at = input.at ? new Date(input.at) : (info.typedSearchAttributes.get(SCHEDULED_START) ?? info.startTime);
  const period = periodJustEnded(input.kind, at);
  // The figures come from the precomputed facts: bring them up to date first (idempotent).
  await facts.refreshKpiFacts();
  const scopes = input.only ?? (await reports.reportScopes({ kind: input.kind }));
  const started: string[] = [];
  const alreadyStarted: string[] = [];
  const children = [];
  for (const scope of scopes) {
    const workflowId = kpiReportWorkflowId(scope, period);
    try {
      const child = await startChild(KPI_REPORT_WORKFLOW_TYPE, {
        workflowId,
        args: [{ scope, period } satisfies KpiReportInput],
        // A report that failed may be produced by a later run; one that ran never again.
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      started.push(workflowId);
      children.push(child.result());
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      alreadyStarted.push(workflowId);
    }
  }
  await Promise.all(children);
  return { period, started, alreadyStarted };
}

/** One scope's report for one period: produce (or find) it, then email each subscriber once. */
export async function kpiReportWorkflow(input: KpiReportInput): Promise<KpiReportResult> {
  const { reportId, created } = await reports.produceKpiReport({ ...input, workflowId: workflowInfo().workflowId });
  const sent = await reports.emailKpiReport({ reportId });
  return { reportId, created, emailed: sent.sent, duplicates: sent.duplicates };
}
