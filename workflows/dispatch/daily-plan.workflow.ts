/**
 * The daily plan: the optimizer runs as a heartbeating activity (CPU-heavy and versioned on its
 * own, so never inside the workflow), the result is stored for the dispatcher's board.
 */
import { proxyActivities } from '@temporalio/workflow';
import { withPermanentFailures } from '../activity-retry.contract.js';
import type { createDispatchActivities, PlanDaySummary } from '../../activities/dispatch/dispatch.activities.js';
import type { DailyPlanInput } from './daily-plan.contract.js';

export async function dailyPlanWorkflow(input: DailyPlanInput): Promise<PlanDaySummary> {
  const seconds = input.seconds ?? 20;
  const dispatch = proxyActivities<ReturnType<typeof createDispatchActivities>>({
    startToCloseTimeout: `${seconds + 120} seconds`,
    // The solver heartbeats about twice a second; a silent worker is retried elsewhere.
    heartbeatTimeout: '30 seconds',
    retry: withPermanentFailures({ maximumAttempts: 3 }),
  });
  return dispatch.planDay({
    date: input.date,
    seconds,
    seed: input.seed ?? 1,
    ...(input.keepOverrides === false ? { keepOverrides: false } : {}),
  });
}
