import type { ColumnType, Generated, Selectable } from 'kysely';

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
}

export type DispatchPlanRow = Selectable<DispatchPlansTable>;
