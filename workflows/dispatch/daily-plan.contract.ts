/** The daily dispatch plan: one workflow per run, listed by its date. */
export interface DailyPlanInput {
  /** ISO date (Europe/Paris). */
  date: string;
  /** Search time budget (default 20 s). */
  seconds?: number;
  /** Seed of the optimizer (default 1): same data + seed + budget ⇒ same plan. */
  seed?: number;
  /** false: ignore the overrides of the day's latest plan (default: they are kept). */
  keepOverrides?: boolean;
}

export function dailyPlanWorkflowId(date: string, requestedAt: string): string {
  return `daily-plan-${date}-${requestedAt}`;
}
