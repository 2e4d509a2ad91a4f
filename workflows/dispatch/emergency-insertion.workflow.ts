/**
 * The automatic insertion of a new P1 request into the published plan of its day (see the
 * contract). The insertion is the dispatcher's `emergency` override, run as the same
 * plan-override child workflow (so it is serialised with the dispatchers' own overrides on the
 * version rows); publishing goes through the interventions' `assign` updates.
 */
import { executeChild, proxyActivities } from '@temporalio/workflow';
import { withPermanentFailures } from '../activity-retry.contract.js';
import type { createDispatchActivities } from '../../activities/dispatch/dispatch.activities.js';
import { planOverrideWorkflow } from './plan-override.workflow.js';
import { planOverrideWorkflowId } from './plan-override.contract.js';
import type { EmergencyInsertionInput, EmergencyInsertionOutcome } from './emergency-insertion.contract.js';

const dispatch = proxyActivities<ReturnType<typeof createDispatchActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: withPermanentFailures({ maximumAttempts: 5 }),
});

export async function emergencyInsertionWorkflow(input: EmergencyInsertionInput): Promise<EmergencyInsertionOutcome> {
  const target = await dispatch.emergencyTarget({ requestId: input.requestId });
  if (!target) return { outcome: 'no_published_plan' };
  const { date, planId: basePlanId, mode } = target;

  const outcome = await executeChild(planOverrideWorkflow, {
    workflowId: planOverrideWorkflowId(basePlanId, `auto-${input.ticketNumber}`),
    args: [{ basePlanId, override: { kind: 'emergency' }, actor: { userId: null, role: 'system', name: null } }],
  });
  if (!outcome.ok) return { outcome: 'refused', date, reason: outcome.reason };

  let published = false;
  if (mode === 'insert') published = (await dispatch.publishPlan({ planId: outcome.planId })).published;
  const notified = await dispatch.notifyEmergencyInsertion({
    planId: outcome.planId,
    ticketNumber: input.ticketNumber,
    published,
    moved: outcome.moved,
  });
  return { outcome: published ? 'published' : 'proposed', date, planId: outcome.planId, moved: outcome.moved.length, notified };
}
