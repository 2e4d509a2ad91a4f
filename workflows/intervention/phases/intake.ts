import { upsertSearchAttributes } from '@temporalio/workflow';
import { records } from '../intervention.activities.js';
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
  const sla = await i.sla.start(state.priority);
  if (sla) state.estimatedInterventionAt = sla.estimatedInterventionAt;
  await i.moveTo('new', 'client');
  await i.moveTo('analysis', 'system');
  i.acknowledged = true;
  await i.notifyClient('confirmation', {
    priority: state.priority,
    priorityReason: state.priorityReason,
    estimatedInterventionAt: state.estimatedInterventionAt,
  });
}
