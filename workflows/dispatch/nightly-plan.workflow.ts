/**
 * The nightly plan, started by its Temporal Schedule: the next working day is optimized by the
 * same daily-plan workflow as the dispatcher's button, as a child whose id is the day's, so a
 * second trigger for the same day plans nothing again. The plan is left proposed for the
 * dispatchers to review, override and publish; if the company chose a publication time, the
 * workflow sleeps until then and publishes the day's plan unless a dispatcher already did.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { executeChild, proxyActivities, sleep } from '@temporalio/workflow';
import { withPermanentFailures } from '../activity-retry.contract.js';
import type { createDispatchActivities } from '../../activities/dispatch/dispatch.activities.js';
import { dailyPlanWorkflow } from './daily-plan.workflow.js';
import { nightlyDailyPlanWorkflowId, type NightlyPlanInput, type NightlyPlanOutcome } from './nightly-plan.contract.js';

const dispatch = proxyActivities<ReturnType<typeof createDispatchActivities>>({
  // Publishing assigns every visit of the day through its intervention: allow for a busy worker.
  startToCloseTimeout: '5 minutes',
  retry: withPermanentFailures({ maximumAttempts: 5 }),
});

export async function nightlyPlanWorkflow(input: NightlyPlanInput = {}): Promise<NightlyPlanOutcome> {
  const setup = await dispatch.nightlySetup(input.date ? { date: input.date } : {});
  const { date } = setup;
  // A plan already in force is the dispatchers' (or the emergencies'): the night leaves it alone.
  if (setup.alreadyPublished) return { date, outcome: 'already_published' };

  let planId: string;
  try {
    const summary = await executeChild(dailyPlanWorkflow, {
      workflowId: nightlyDailyPlanWorkflowId(date),
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [{ date, ...(input.seconds ? { seconds: input.seconds } : {}) }],
    });
    planId = summary.planId;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { date, outcome: 'already_planned' };
    throw err;
  }

  if (!setup.publishAt) return { date, outcome: 'proposed', planId };
  await sleep(Math.max(0, Date.parse(setup.publishAt) - Date.now()));
  // The dispatchers may have overridden the plan since: the day's latest proposed version is published.
  const latest = await dispatch.latestProposedPlan({ date });
  if (!latest) return { date, outcome: 'publication_skipped', planId };
  const published = await dispatch.publishPlan({ planId: latest });
  if (!published.published) return { date, outcome: 'publication_skipped', planId };
  return { date, outcome: 'published', planId: latest, assigned: published.assigned.length, refused: published.refused.length };
}
