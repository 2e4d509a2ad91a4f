/** Response bodies of the operations routes (api/routes/operations.routes.ts). */
import { z } from 'zod';

const isoOrNull = z.string().nullable();

/** A running workflow's pending activity that keeps failing. */
export const stuckActivitySchema = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    workflowType: z.string(),
    /** Interventions only. */
    ticketNumber: z.string().nullable(),
    interventionStatus: z.string().nullable(),
    activityId: z.string(),
    activityType: z.string(),
    /** SCHEDULED (waiting for its next retry or a worker), STARTED, CANCEL_REQUESTED… */
    state: z.string(),
    attempt: z.number().int(),
    /** null: unlimited (bounded by `expiresAt`). */
    maximumAttempts: z.number().int().nullable(),
    lastFailure: z.object({ message: z.string(), type: z.string().nullable() }).nullable(),
    lastAttemptAt: isoOrNull,
    nextRetryAt: isoOrNull,
    expiresAt: isoOrNull,
  })
  .meta({ id: 'StuckActivity' });

export const stuckListingSchema = z
  .object({
    items: z.array(stuckActivitySchema),
    /** Running workflows described by this call. */
    scanned: z.number().int(),
    /** Running workflows on the task queue; more than `scanned` means the listing is partial. */
    running: z.number().int(),
    minAttempts: z.number().int(),
    checkedAt: z.string(),
  })
  .meta({ id: 'StuckListing' });
