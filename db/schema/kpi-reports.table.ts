import type { ColumnType, Selectable } from 'kysely';

export type ReportPeriodKind = 'weekly' | 'monthly';

/** Who receives the scheduled report of a scope (migration 0280): management (client_id null) or one company. */
export interface ReportSubscriptionsTable {
  id: ColumnType<string, string | undefined, never>;
  clientId: string | null;
  /** Generated: the client id as text, or 'management'. */
  scope: ColumnType<string, never, never>;
  userId: string;
  weekly: boolean;
  monthly: boolean;
  createdBy: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One produced report (migration 0280): unique per (scope, period kind, period start). */
export interface KpiReportsTable {
  id: ColumnType<string, string | undefined, never>;
  clientId: string | null;
  scope: ColumnType<string, never, never>;
  periodKind: ReportPeriodKind;
  /** Calendar dates (YYYY-MM-DD): first day, and the day after the last. */
  periodStart: ColumnType<string, string, never>;
  periodEnd: ColumnType<string, string, never>;
  language: 'fr' | 'en';
  figures: ColumnType<unknown, string, never>;
  pdf: ColumnType<Buffer, Buffer, never>;
  csv: ColumnType<string, string, never>;
  workflowId: string;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export type ReportSubscriptionRow = Selectable<ReportSubscriptionsTable>;
export type KpiReportRow = Selectable<KpiReportsTable>;
