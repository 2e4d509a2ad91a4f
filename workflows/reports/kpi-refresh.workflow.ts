/**
 * Refreshes the precomputed indicator facts (kpi_request_facts, docs/kpis.md): started every ten
 * minutes by a Temporal Schedule (scripts/reports-schedule.ts). The activity is idempotent
 * (only changed requests are recomputed), so a retry or an overlapping run changes nothing.
 */
import { proxyActivities } from '@temporalio/workflow';
import { withPermanentFailures } from '../activity-retry.contract.js';
import type { createReportActivities } from '../../activities/reports/reports.activities.js';
import type { KpiRefreshResult } from './reports.contract.js';

const reports = proxyActivities<ReturnType<typeof createReportActivities>>({
  startToCloseTimeout: '30 minutes',
  // Bounded: the next scheduled run takes over.
  retry: withPermanentFailures({ initialInterval: '10 seconds', maximumInterval: '2 minutes', maximumAttempts: 5 }),
});

export async function kpiRefreshWorkflow(): Promise<KpiRefreshResult> {
  return reports.refreshKpiFacts();
}
