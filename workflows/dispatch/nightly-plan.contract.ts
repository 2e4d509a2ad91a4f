/**
 * The nightly plan: a Temporal Schedule starts it every evening (NIGHTLY_PLAN_AT, default 18:00
 * Europe/Paris); it optimizes the next working day and leaves the plan proposed for the
 * dispatchers, or publishes it itself at the company's `autoPublishAt` (dispatch settings).
 */
export const NIGHTLY_PLAN_SCHEDULE_ID = 'nightly-plan';
export const NIGHTLY_PLAN_WORKFLOW_TYPE = 'nightlyPlanWorkflow';

export interface NightlyPlanInput {
  /** The day to plan (ISO, Europe/Paris); by default the working day after the run's evening. */
  date?: string;
  /** Search time budget (default 20 s). */
  seconds?: number;
}

/** The one daily-plan run of a day's nightly plan: a second trigger for the same day finds it taken. */
export function nightlyDailyPlanWorkflowId(date: string): string {
  return `daily-plan-${date}-nightly`;
}

export type NightlyPlanOutcome =
  | { date: string; outcome: 'proposed'; planId: string }
  | { date: string; outcome: 'published'; planId: string; assigned: number; refused: number }
  /** The dispatcher published a newer version before the set time: theirs stands. */
  | { date: string; outcome: 'publication_skipped'; planId: string }
  /** The day already has a nightly plan (a second trigger) or a published plan: nothing is redone. */
  | { date: string; outcome: 'already_planned' | 'already_published' };
