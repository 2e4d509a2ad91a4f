/**
 * One service request, from intake to closure, as a durable workflow (seed 001's customer
 * journey): intake → analysis ⇄ (client information, specialist) → planning → work → client
 * validation (rework loops back to planning) → billing → survey. An SLA watch runs beside it.
 *
 * Invariant: the workflow is the source of truth of the request's status; every change goes
 * through `Intervention.moveTo`, which records it in PostgreSQL (timeline + read model) with an
 * idempotency key, so the portal and reports read the database and a retried write is a no-op.
 * An action is applied whole or refused whole: when one of its writes fails for good, the
 * intervention stays as it was and waits for the next action (`Intervention.carryOut`).
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { InterventionInput, InterventionState } from './intervention.contract.js';
import { Intervention, InterventionCancelled } from './intervention.state.js';
import { analysis } from './phases/analysis.js';
import { cancel, invoice, survey } from './phases/closure.js';
import { intake } from './phases/intake.js';
import type { Phase } from './phases/phase.js';
import { planning } from './phases/planning.js';
import { validation } from './phases/validation.js';
import { work } from './phases/work.js';
import { watchSla } from './phases/sla-watch.js';

export async function interventionWorkflow(input: InterventionInput): Promise<InterventionState> {
  // A cancellation is carried out by `cancel` in whichever phase takes it, and ends that phase.
  const intervention = new Intervention(input, cancel);
  intervention.registerHandlers();

  await intake(intervention);
  const sla = watchSla(intervention);
  try {
    await untilAccepted(intervention);
    await invoice(intervention);
    await survey(intervention);
  } catch (err) {
    if (!(err instanceof InterventionCancelled)) throw err;
  }
  await sla;
  await condition(allHandlersFinished);
  return intervention.state;
}

/** Analysis, planning, work and validation, looping on information, escalation and rework. */
async function untilAccepted(i: Intervention): Promise<void> {
  let phase: Phase = 'analysis';
  while (phase !== 'accepted') {
    if (phase === 'analysis') phase = await analysis(i);
    else if (phase === 'planning') phase = await planning(i);
    else if (phase === 'work') phase = await work(i);
    else phase = await validation(i);
  }
}
