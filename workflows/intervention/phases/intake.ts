import { upsertSearchAttributes } from '@temporalio/workflow';
import { lifecycle, records } from '../intervention.activities.js';
import { SearchKeys } from '../intervention.contract.js';
import type { Intervention } from '../intervention.state.js';

/**
 * Intake: the request is stored, its SLA deadlines computed from the contract, the client
 * acknowledged (the API's update-with-start returns here) and emailed, and analysis begins.
 */
export async function intake(i: Intervention): Promise<void> {
  const { input, state } = i;
  upsertSearchAttributes([
    { key: SearchKeys.ticketNumber, value: input.ticketNumber },
    { key: SearchKeys.clientId, value: input.clientId },
    { key: SearchKeys.priority, value: state.priority },
  ]);
  const registered = await records.registerIntake({ ...input, workflowId: i.workflowId });
  state.requestId = registered.requestId;
  const sla = await lifecycle.computeSlaDeadlines({
    workflowId: i.workflowId,
    contractId: input.contractId,
    priority: state.priority,
    startAt: input.submittedAt,
    timeScale: i.policy.slaTimeScale,
  });
  if (sla) {
    state.sla.responseDueAt = sla.responseDueAt;
    state.sla.resolutionDueAt = sla.resolutionDueAt;
    state.sla.pausesWhenWaiting = sla.pausesWhenWaiting;
    state.estimatedInterventionAt = sla.estimatedInterventionAt;
    planSlaRisk(i, input.submittedAt);
  }
  await i.moveTo('new', 'client');
  await i.moveTo('analysis', 'system');
  i.acknowledged = true;
  await i.notifyClient('confirmation', {
    priority: state.priority,
    priorityReason: state.priorityReason,
    estimatedInterventionAt: state.estimatedInterventionAt,
  });
}

/**
 * After support changes the priority, the contract's targets for the new priority apply,
 * counted from submission (not while the clock is paused: the pause owns the deadlines then).
 */
export async function refreshSla(i: Intervention): Promise<void> {
  if (!i.input.contractId || i.state.sla.pausedAt) return;
  const sla = await lifecycle.computeSlaDeadlines({
    workflowId: i.workflowId,
    contractId: i.input.contractId,
    priority: i.state.priority,
    startAt: i.input.submittedAt,
    timeScale: i.policy.slaTimeScale,
  });
  if (!sla) return;
  i.state.sla.responseDueAt = sla.responseDueAt;
  i.state.sla.resolutionDueAt = sla.resolutionDueAt;
  i.state.estimatedInterventionAt = sla.estimatedInterventionAt;
  planSlaRisk(i, i.input.submittedAt);
}

/** "At risk" instants: the policy's share of each SLA window, measured from `from`. */
export function planSlaRisk(i: Intervention, from: string): void {
  const start = Date.parse(from);
  const at = (due: string | null) => (due ? new Date(start + (Date.parse(due) - start) * i.policy.slaRiskRatio).toISOString() : null);
  i.slaRiskAt = { response: at(i.state.sla.responseDueAt), resolution: at(i.state.sla.resolutionDueAt) };
  i.slaVersion += 1;
}
