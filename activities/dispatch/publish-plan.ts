/**
 * Publishing a plan version from the worker (the nightly plan's automatic publication, an
 * automatic emergency insertion): each planned visit is assigned to its intervention through the
 * same `assign` update, with the same per-plan-and-stop update id, as the dispatcher's publish
 * route (api/routes/dispatch.routes.ts), so a retried activity, or a dispatcher publishing the
 * same version meanwhile, assigns a visit at most once.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { findPlan, isLatestPlanOfDay, liveSlotMatcher, markPlanPublished } from '../../db/repositories/dispatch.repository.js';
import { assignUpdate, interventionWorkflowId } from '../../workflows/intervention/intervention.contract.js';

export interface PublishOutcome {
  planId: string;
  /** false: the version was no longer the day's latest proposed one (nothing was assigned). */
  published: boolean;
  assigned: string[];
  /** Stops whose intervention already has that technician and slot: nothing sent. */
  unchanged: string[];
  refused: Array<{ ticketNumber: string; message: string }>;
}

interface PublishableStop {
  ticketNumber: string;
  start: string;
  end: string;
  pinned: boolean;
  started?: string;
}

export async function publishPlanVersion(db: Kysely<DB>, client: Client, planId: string): Promise<PublishOutcome> {
  const plan = await findPlan(db, planId);
  if (!plan || plan.status !== 'proposed' || !(await isLatestPlanOfDay(db, plan.id, plan.planDate)))
    return { planId, published: false, assigned: [], unchanged: [], refused: [] };
  const result = plan.result as { routes: Array<{ technicianId: string; stops: PublishableStop[] }> };
  const assigned: string[] = [];
  const unchanged: string[] = [];
  const refused: PublishOutcome['refused'] = [];
  const sameAsLive = await liveSlotMatcher(
    db,
    result.routes.flatMap((r) => r.stops.map((s) => s.ticketNumber)),
  );
  for (const route of result.routes) {
    for (const stop of route.stops) {
      // A pinned stop is an assignment the intervention already has; a started one is its own business.
      if (stop.started) continue;
      if (stop.pinned || sameAsLive(route.technicianId, stop)) {
        unchanged.push(stop.ticketNumber);
        continue;
      }
      try {
        await client.workflow.getHandle(interventionWorkflowId(stop.ticketNumber)).executeUpdate(assignUpdate, {
          updateId: `plan-${plan.id}-${stop.ticketNumber}`,
          args: [{ actor: 'system', technicianId: route.technicianId, start: stop.start, end: stop.end, source: 'optimizer' }],
        });
        assigned.push(stop.ticketNumber);
      } catch (err) {
        // Anything else (the server unreachable…) fails the attempt, which Temporal retries.
        if (!(err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError)) throw err;
        // The intervention moved on since the plan was made (cancelled, reassigned…): note it, go on.
        refused.push({ ticketNumber: stop.ticketNumber, message: (err.cause instanceof Error ? err.cause : err).message });
      }
    }
  }
  await markPlanPublished(db, plan);
  return { planId, published: true, assigned, unchanged, refused };
}
