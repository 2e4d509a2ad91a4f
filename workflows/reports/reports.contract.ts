/** The indicators' recurring work: names shared by the workflow, the activity and the schedule. */

export const KPI_REFRESH_SCHEDULE_ID = 'kpi-facts-refresh';
export const KPI_REFRESH_WORKFLOW_ID = 'kpi-facts-refresh';

export interface KpiRefreshResult {
  /** Requests whose facts were (re)computed. */
  refreshed: number;
  /** Resolved requests whose 30-day recurrence window was settled. */
  recurrenceSettled: number;
}
