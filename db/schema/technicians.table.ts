import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { TechnicianLevel } from './enums.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type DateOnly = ColumnType<string, string, string>;
/** `time` columns are read as 'HH:MM:SS' strings. */
type TimeOfDay = ColumnType<string, string, string>;

export interface TechnicianPerformance {
  interventionsCompleted?: number;
  firstTimeFixRate?: number;
  meanSatisfaction?: number;
  onTimeRate?: number;
}

export interface TechniciansTable {
  id: Generated<string>;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  level: TechnicianLevel;
  bio: string | null;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  homeAddress: string;
  homeLatitude: number;
  homeLongitude: number;
  timezone: Generated<string>;
  hourlyCostCents: number;
  maxOvertimeMinutes: Generated<number>;
  /** numeric(2,1): read as a string. */
  rating: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  performance: ColumnType<TechnicianPerformance, TechnicianPerformance | string | undefined, TechnicianPerformance | string>;
  active: Generated<boolean>;
  createdAt: CreatedAt;
}

export interface TechnicianSkillsTable {
  technicianId: string;
  skill: string;
  level: number;
}

export interface TechnicianCertificationsTable {
  id: Generated<string>;
  technicianId: string;
  name: string;
  issuer: string;
  obtainedOn: DateOnly;
  expiresOn: DateOnly | null;
}

export interface TechnicianShiftsTable {
  technicianId: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  startsAt: TimeOfDay;
  endsAt: TimeOfDay;
  lunchEarliest: TimeOfDay | null;
  lunchLatest: TimeOfDay | null;
  lunchMinutes: Generated<number>;
}

export interface TechnicianAbsencesTable {
  id: Generated<string>;
  technicianId: string;
  startsAt: ColumnType<Date, Date | string, Date | string>;
  endsAt: ColumnType<Date, Date | string, Date | string>;
  reason: string;
}

export type TechnicianRow = Selectable<TechniciansTable>;
export type NewTechnicianRow = Insertable<TechniciansTable>;
export type TechnicianSkillRow = Selectable<TechnicianSkillsTable>;
export type TechnicianShiftRow = Selectable<TechnicianShiftsTable>;
export type TechnicianAbsenceRow = Selectable<TechnicianAbsencesTable>;
export type TechnicianCertificationRow = Selectable<TechnicianCertificationsTable>;

/** Certifications a service type requires for every client (migration 0300). */
export interface ServiceTypeRequirementsTable {
  serviceType: string;
  requiredCertifications: ColumnType<string[], string[] | undefined, string[]>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}
