import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface InterventionReportsTable {
  id: Generated<string>;
  requestId: string;
  technicianId: string | null;
  summary: string;
  recommendations: ColumnType<string[], string, string>;
  idempotencyKey: string;
  createdAt: CreatedAt;
}

export interface SatisfactionSurveysTable {
  id: Generated<string>;
  requestId: string;
  rating: number;
  comment: string | null;
  idempotencyKey: string;
  answeredAt: CreatedAt;
}

export type InterventionReportRow = Selectable<InterventionReportsTable>;
export type SatisfactionSurveyRow = Selectable<SatisfactionSurveysTable>;
