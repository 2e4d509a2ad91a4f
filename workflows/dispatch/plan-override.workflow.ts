/**
 * One dispatcher override of a daily plan: the incremental re-solve runs as an activity (CPU work,
 * versioned with the optimizer) that stores the next plan version, and the outcome (new version
 * and moved visits, or the optimizer's refusal) is the workflow's result, which the API awaits.
 *
 * A short workflow per override rather than an update on a long-lived per-day workflow: the
 * versions live in PostgreSQL, where the activity already serialises concurrent overrides (the
 * base version row is locked and must still be the latest), so a per-day workflow would add a
 * lifecycle (who starts it, when it ends, continue-as-new, code changes under a running history)
 * without adding a guarantee. Each override still gets Temporal's retries and a visible history.
 */
import { proxyActivities } from '@temporalio/workflow';
import { withPermanentFailures } from '../activity-retry.contract.js';
import type { createDispatchActivities } from '../../activities/dispatch/dispatch.activities.js';
import type { PlanOverrideInput, PlanOverrideOutcome } from './plan-override.contract.js';

export async function planOverrideWorkflow(input: PlanOverrideInput): Promise<PlanOverrideOutcome> {
  const dispatch = proxyActivities<ReturnType<typeof createDispatchActivities>>({
    // Loading the day and a re-solve of about a second: a stuck attempt is retried quickly.
    startToCloseTimeout: `${Math.ceil(input.seconds ?? 1) + 30} seconds`,
    retry: withPermanentFailures({ maximumAttempts: 3 }),
  });
  return dispatch.overridePlan(input);
}
