import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface DispatchPlansTable {
  id: Generated<string>;
  planDate: ColumnType<string, string, string>;
  workflowId: string;
  runId: string;
  status: ColumnType<'proposed' | 'published' | 'superseded', 'proposed' | 'published' | 'superseded' | undefined>;
  seed: number;
  visits: number;
  technicians: number;
  assigned: number;
  feasible: boolean;
  allP1Placed: boolean;
  travelMinutes: number;
  solveMs: number;
  result: ColumnType<unknown, string, string>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  /** 1 for an optimizer run, the base version + 1 for a dispatcher override. */
  version: ColumnType<number, number | undefined, number>;
  basePlanId: string | null;
  /** The override that produced this version (who, what, when, what moved); null for a run. */
  override: ColumnType<unknown, string | null | undefined, string | null>;
}

export type DispatchPlanRow = Selectable<DispatchPlansTable>;
export type NewDispatchPlanRow = Insertable<DispatchPlansTable>;

/** The company's dispatch settings (migration 0360): one row; defaults while there is none. */
export interface DispatchSettingsTable {
  id: Generated<boolean>;
  /** HH:MM (Europe/Paris) at which the nightly plan publishes itself; null: a dispatcher publishes it. */
  autoPublishAt: string | null;
  /** insert: a new P1 on a published day is inserted and published at once; propose: stored for the dispatcher. */
  emergencyMode: ColumnType<'insert' | 'propose', 'insert' | 'propose' | undefined, 'insert' | 'propose'>;
  updatedByUserId: string | null;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}
