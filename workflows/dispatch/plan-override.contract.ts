/** A dispatcher's override of a daily plan: one short workflow per override. */
export function planOverrideWorkflowId(basePlanId: string, requestedAt: string): string {
  return `plan-override-${basePlanId}-${requestedAt}`;
}
