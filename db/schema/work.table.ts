import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface SiteVisitsTable {
  id: Generated<string>;
  requestId: string;
  assignmentId: string | null;
  technicianId: string;
  mode: ColumnType<'on_site' | 'remote', 'on_site' | 'remote' | undefined, 'on_site' | 'remote'>;
  checkedInAt: ColumnType<Date, Date | string, Date | string>;
  checkedOutAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** numeric(7,2): read as a string. */
  travelKm: ColumnType<string, string | number | undefined, string | number>;
  idempotencyKey: string;
  createdAt: CreatedAt;
}

export interface PartsCatalogueTable {
  sku: string;
  label: string;
  unitPriceCents: number;
  /** 2000 = 20 %. */
  vatRateBasisPoints: Generated<number>;
  active: Generated<boolean>;
}

export interface PartsUsedTable {
  id: Generated<string>;
  requestId: string;
  siteVisitId: string | null;
  sku: string;
  quantity: number;
  serialNumbers: ColumnType<string[], string[] | undefined, string[]>;
  underWarranty: Generated<boolean>;
  idempotencyKey: string;
  createdAt: CreatedAt;
}

/** Time support spent on a remote resolution: one row per proposal, by the recording activity. */
export interface RemoteSessionsTable {
  id: Generated<string>;
  requestId: string;
  actorType: string;
  /** The account that proposed the solution; null once that account is deleted. */
  userId: string | null;
  minutes: number;
  performedAt: ColumnType<Date, Date | string, Date | string>;
  idempotencyKey: string;
  createdAt: CreatedAt;
}

export type RemoteSessionRow = Selectable<RemoteSessionsTable>;
export type SiteVisitRow = Selectable<SiteVisitsTable>;
export type PartsCatalogueRow = Selectable<PartsCatalogueTable>;
export type PartUsedRow = Selectable<PartsUsedTable>;
