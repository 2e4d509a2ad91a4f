/** The data retention run: names and types shared by the workflow, the activity and the schedule. */

export const RETENTION_SCHEDULE_ID = 'gdpr-retention-daily';
export const RETENTION_WORKFLOW_ID = 'gdpr-retention';

export interface RetentionInput {
  /** Interventions anonymised per activity call (one transaction each). */
  batchSize?: number;
  /**
   * Hours an intake's staged files are kept when no running workflow will attach them (never
   * started, or ended before its intake); 24 by default.
   */
  stagedGraceHours?: number;
}

export interface RetentionBatch {
  /** Tickets anonymised by this batch. */
  tickets: string[];
}

export interface StagedPurgeBatch {
  /** Tickets whose staged files this batch purged. */
  tickets: string[];
  /** The last ticket looked at when more may follow; null when this was the last page. */
  next: string | null;
}

export interface RetentionResult {
  anonymised: string[];
  batches: number;
  /** Tickets whose orphaned staged intake files were purged (absent from runs before that step existed). */
  purgedStaged?: string[];
}
