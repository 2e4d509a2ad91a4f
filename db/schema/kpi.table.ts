import type { ColumnType, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** The facts of one request (migration 0260, docs/kpis.md), written by the refreshKpiFacts activity. */
export interface KpiRequestFactsTable {
  requestId: string;
  clientId: string;
  locationId: string;
  contractId: string | null;
  assetId: string | null;
  serviceType: string;
  priority: string;
  status: string;
  technicianId: string | null;
  createdAt: Timestamp;
  resolvedAt: NullableTimestamp;
  closedAt: NullableTimestamp;
  cancelledAt: NullableTimestamp;
  firstResponseMinutes: number | null;
  firstResponseBusinessMinutes: number | null;
  resolutionMinutes: number | null;
  resolutionBusinessMinutes: number | null;
  pausedMinutes: number;
  pausedBusinessMinutes: number;
  responseMet: boolean | null;
  resolutionMet: boolean | null;
  hasResponseDue: boolean;
  hasResolutionDue: boolean;
  escalated: boolean;
  escalationMinutes: number | null;
  rejections: number;
  firstTimeFix: boolean | null;
  recurred: boolean | null;
  surveySent: boolean;
  rating: number | null;
  visits: number;
  onSiteMinutes: number;
  travelMinutes: number;
  sourceUpdatedAt: Timestamp;
  refreshedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One on-site visit with its request's dimensions (migration 0290), written with the facts. */
export interface KpiVisitFactsTable {
  visitId: string;
  requestId: string;
  technicianId: string;
  clientId: string;
  locationId: string;
  serviceType: string;
  priority: string;
  checkedInAt: Timestamp;
  /** numeric: summed exactly, as from site_visits before. */
  onSiteMinutes: string | null;
  travelMinutes: number | null;
}

/** A low survey rating's follow-up task for support (migration 0261). */
export interface SurveyFollowUpsTable {
  id: ColumnType<string, string | undefined, never>;
  requestId: string;
  technicianId: string | null;
  rating: number;
  comment: string | null;
  status: ColumnType<'open' | 'done', 'open' | 'done' | undefined, 'open' | 'done'>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export type KpiRequestFactsRow = Selectable<KpiRequestFactsTable>;
export type NewKpiRequestFactsRow = Insertable<KpiRequestFactsTable>;
