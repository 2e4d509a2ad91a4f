import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { INTERVENTION_TASK_QUEUE } from '../../workflows/intervention/intervention.contract.js';
import { listStuckActivities } from '../operations/stuck-activities.js';
import { route, type RouteSpec } from '../routing.js';
import { stuckListingSchema } from '../schemas/operations.response.js';

export interface OperationsRoutesDeps {
  temporal: Client;
  taskQueue?: string;
}

/** At most this many running workflows are described per call (one Temporal RPC each). */
export const STUCK_SCAN_LIMIT = 200;

export const stuckQuerySchema = z.object({
  minAttempts: z.coerce.number().int().min(2).max(10_000).default(3),
});

/** Operations: what keeps failing and would otherwise stay stuck unseen. */
export function operationsRoutes({ temporal, taskQueue = INTERVENTION_TASK_QUEUE }: OperationsRoutesDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/operations/stuck',
      tag: 'operations',
      summary: 'Running workflows (interventions first of all) whose pending activity keeps failing',
      access: ['admin'],
      query: stuckQuerySchema,
      responses: {
        200:
          'Stuck activities, most attempts first: `{ items: [{ workflowId, runId, workflowType, ticketNumber, interventionStatus, ' +
          'activityId, activityType, state, attempt, maximumAttempts, lastFailure: { message, type }, lastAttemptAt, nextRetryAt, ' +
          `expiresAt }], scanned, running, minAttempts, checkedAt }\`. At most ${STUCK_SCAN_LIMIT} running workflows are scanned per ` +
          'call; `running` greater than `scanned` means the listing is partial.',
        400: 'minAttempts is not an integer from 2 to 10000',
      },
      response: { 200: stuckListingSchema },
      async handler({ res, query }) {
        res.json(await listStuckActivities(temporal, { taskQueue, minAttempts: query.minAttempts, scan: STUCK_SCAN_LIMIT }));
      },
    }),
  ];
}
