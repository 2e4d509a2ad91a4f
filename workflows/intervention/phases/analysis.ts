import { ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import { emergencyInsertionWorkflowId } from '../../dispatch/emergency-insertion.contract.js';
import { emergencyInsertionWorkflow } from '../../dispatch/emergency-insertion.workflow.js';
import { lifecycle } from '../intervention.activities.js';
import type { TriageCommand } from '../intervention.contract.js';
import type { Intervention } from '../intervention.state.js';
import type { Phase } from './phase.js';

/**
 * Analysis: support decides. Intervene → planning; ask the client → wait for the answer (SLA
 * paused when the contract says so) and decide again; route to a specialist group → decide again
 * at a higher level; resolve remotely → the client validates the proposed solution. A decision
 * refused (its write failed for good) leaves the request in analysis, waiting for the next one.
 */
export async function analysis(i: Intervention): Promise<Phase> {
  for (;;) {
    const command = await i.next(['triage']);
    const { args } = command;
    switch (args.decision) {
      case 'intervene':
        if (await i.carryOut(command, () => sendToPlanning(i, args))) return 'planning';
        break;
      case 'request_info':
        if (await i.carryOut(command, () => askClient(i, args))) await awaitClientAnswer(i, args.question);
        break;
      case 'route_specialist':
        await i.carryOut(command, () => routeToSpecialist(i, args));
        break;
      case 'propose_remote':
        if (await i.carryOut(command, () => proposeRemoteSolution(i, args))) return 'validation';
        break;
    }
  }
}

type Decision<D extends TriageCommand['decision']> = Extract<TriageCommand, { decision: D }>;

async function sendToPlanning(i: Intervention, args: Decision<'intervene'>): Promise<void> {
  await i.sla.respond();
  await i.moveTo('awaiting_planning', args.actor, args.note ?? null, args.actorId);
  // A P1 on a day whose plan is published is inserted into it without waiting for a dispatcher
  // (emergency-insertion.workflow.ts); the insertion lives on if this workflow moves on.
  if (i.state.priority === 'P1' && i.state.requestId && patched('auto-emergency-insertion')) {
    await startChild(emergencyInsertionWorkflow, {
      workflowId: emergencyInsertionWorkflowId(i.state.ticketNumber, i.state.history.length),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ requestId: i.state.requestId, ticketNumber: i.state.ticketNumber }],
    });
  }
}

async function askClient(i: Intervention, args: Decision<'request_info'>): Promise<void> {
  const { question } = args;
  await i.sla.respond();
  await i.moveTo('awaiting_client_info', args.actor, question, args.actorId);
  i.sla.pause();
  await i.notifyClient('info_requested', { question });
}

/** Reminds the client until they answer; the answer resumes the SLA clock and analysis. */
async function awaitClientAnswer(i: Intervention, question: string): Promise<void> {
  for (;;) {
    const answer = await i.next(['clientAnswer'], i.policy.infoReminderMs);
    if (!answer) {
      await i.notifyClient('info_reminder', { question });
      continue;
    }
    const answered = await i.carryOut(answer, async () => {
      await i.sla.resume();
      await i.record('client_answer', answer.args, answer.args.answer);
      await i.moveTo('analysis', answer.args.actor, null, answer.args.actorId);
    });
    if (answered) return;
  }
}

async function routeToSpecialist(i: Intervention, args: Decision<'route_specialist'>): Promise<void> {
  const { group, level, note } = args;
  await i.sla.respond();
  i.state.specialistGroup = group;
  i.state.supportLevel = Math.min(3, Math.max(i.state.supportLevel + 1, level ?? 0));
  await lifecycle.updateRequest({ workflowId: i.workflowId, specialistGroup: group, supportLevel: i.state.supportLevel });
  await i.moveTo('specialist_review', args.actor, `${group} (N${i.state.supportLevel})${note ? `: ${note}` : ''}`, args.actorId, {
    type: 'specialist',
    group,
    level: i.state.supportLevel,
    note: note ?? null,
  });
}

async function proposeRemoteSolution(i: Intervention, args: Decision<'propose_remote'>): Promise<void> {
  const { solution, minutes } = args;
  await i.sla.respond();
  // The time spent, when given, goes with the timeline entry (same activity, same key).
  if (minutes === undefined) await i.record('solution', args, solution);
  else await i.record('solution', args, solution, { minutes }, { remoteSession: { minutes, at: new Date().toISOString() } });
  await i.moveTo('solution_proposed', args.actor, solution, args.actorId);
  await i.notifyClient('solution_proposed', { solution });
}
