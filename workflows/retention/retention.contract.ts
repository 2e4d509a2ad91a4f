/** The data retention run: names and types shared by the workflow, the activity and the schedule. */

export const RETENTION_SCHEDULE_ID = 'gdpr-retention-daily';
export const RETENTION_WORKFLOW_ID = 'gdpr-retention';

export interface RetentionInput {
  /** Interventions anonymised per activity call (one transaction each). */
  batchSize?: number;
}

export interface RetentionBatch {
  /** Tickets anonymised by this batch. */
  tickets: string[];
}

export interface RetentionResult {
  anonymised: string[];
  batches: number;
}
