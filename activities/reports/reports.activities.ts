/** Indicators: the refresh of the precomputed facts (docs/kpis.md). */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import type { KpiRefreshResult } from '../../workflows/reports/reports.contract.js';
import { refreshKpiFacts } from './kpi-refresh.js';

export interface ReportDeps {
  db: Kysely<DB>;
}

export function createReportActivities({ db }: ReportDeps) {
  return {
    /** Recomputes the facts of the requests changed since, and settles recurrence windows. */
    async refreshKpiFacts(): Promise<KpiRefreshResult> {
      return refreshKpiFacts(db);
    },
  };
}
