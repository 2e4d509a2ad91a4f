/** Scheduled KPI reports: names and messages shared by the schedule, the workflows, the activities and the API. */
import type { ReportPeriod, ReportPeriodKind } from './report-period.contract.js';

export const KPI_REPORT_SCHEDULE_IDS = { weekly: 'kpi-report-weekly', monthly: 'kpi-report-monthly' } as const;
export const KPI_REPORTS_WORKFLOW_TYPE = 'kpiReportsWorkflow';
export const KPI_REPORT_WORKFLOW_TYPE = 'kpiReportWorkflow';

/** A report's scope: management (staff-wide figures) or one client company. */
export type ReportScope = { kind: 'management' } | { kind: 'client'; clientId: string };

/** The scope as stored (kpi_reports.scope): the client id, or 'management'. */
export function scopeKey(scope: ReportScope): string {
  return scope.kind === 'management' ? 'management' : scope.clientId;
}

/**
 * One report per scope and period: starting its workflow a second time for the same period is
 * rejected by Temporal (workflow id reuse policy), and its row is unique in kpi_reports anyway.
 */
export function kpiReportWorkflowId(scope: ReportScope, period: Pick<ReportPeriod, 'kind' | 'start'>): string {
  return `kpi-report:${scopeKey(scope)}:${period.kind}:${period.start}`;
}

/** What the schedule starts: all the scopes with subscribers, for the period just ended. */
export interface KpiReportsInput {
  kind: ReportPeriodKind;
  /** The instant the period is computed from; by default when the schedule fired. */
  at?: string;
  /** Only these scopes (tests, a replay by hand); by default every scope with a subscriber. */
  only?: ReportScope[];
}

export interface KpiReportsResult {
  period: ReportPeriod;
  /** Workflow ids of the reports started now. */
  started: string[];
  /** Workflow ids already started for this period (a second run): nothing done again. */
  alreadyStarted: string[];
}

export interface KpiReportInput {
  scope: ReportScope;
  period: ReportPeriod;
}

export interface KpiReportResult {
  reportId: string;
  /** false when the report existed already (a retried activity or a restarted worker). */
  created: boolean;
  /** Messages sent now; a retry counts the ones claimed before as duplicates. */
  emailed: number;
  duplicates: number;
}
