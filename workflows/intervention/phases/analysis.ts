import { lifecycle } from '../intervention.activities.js';
import type { Command, Intervention } from '../intervention.state.js';
import { planSlaRisk } from './intake.js';
import type { Phase } from './phase.js';

/**
 * Analysis: support decides. Intervene → planning; ask the client → wait for the answer (SLA
 * paused when the contract says so) and decide again; route to a specialist group → decide again
 * at a higher level; resolve remotely → the client validates the proposed solution.
 */
export async function analysis(i: Intervention): Promise<Phase> {
  for (;;) {
    const command = (await i.next(['triage']))!;
    const { args } = command;
    await markResponded(i);
    switch (args.decision) {
      case 'intervene':
        await i.moveTo('awaiting_planning', args.actor, args.note ?? null, args.actorId);
        i.complete(command);
        return 'planning';
      case 'request_info':
        await awaitClientInformation(i, command, args.question);
        break;
      case 'route_specialist':
        i.state.specialistGroup = args.group;
        i.state.supportLevel = Math.min(3, Math.max(i.state.supportLevel + 1, args.level ?? 0));
        await lifecycle.updateRequest({ workflowId: i.workflowId, specialistGroup: args.group, supportLevel: i.state.supportLevel });
        await i.moveTo(
          'specialist_review',
          args.actor,
          `${args.group} (N${i.state.supportLevel})${args.note ? `: ${args.note}` : ''}`,
          args.actorId,
          {
            type: 'specialist',
            group: args.group,
            level: i.state.supportLevel,
            note: args.note ?? null,
          },
        );
        i.complete(command);
        break;
      case 'propose_remote':
        // The time spent, when given, goes with the timeline entry (same activity, same key).
        if (args.minutes === undefined) await i.record('solution', args, args.solution);
        else
          await i.record(
            'solution',
            args,
            args.solution,
            { minutes: args.minutes },
            { remoteSession: { minutes: args.minutes, at: new Date().toISOString() } },
          );
        await i.moveTo('solution_proposed', args.actor, args.solution, args.actorId);
        await i.notifyClient('solution_proposed', { solution: args.solution });
        i.complete(command);
        return 'validation';
    }
  }
}

/** The first decision of support answers the request: the response SLA is met (or not) here. */
async function markResponded(i: Intervention): Promise<void> {
  if (i.state.sla.respondedAt) return;
  i.state.sla.respondedAt = new Date().toISOString();
  i.slaVersion += 1;
  await lifecycle.updateRequest({ workflowId: i.workflowId, firstResponseAt: i.state.sla.respondedAt });
}

async function awaitClientInformation(i: Intervention, command: Command<'triage'>, question: string): Promise<void> {
  const { sla } = i.state;
  await i.moveTo('awaiting_client_info', command.args.actor, question, command.args.actorId);
  if (sla.pausesWhenWaiting) {
    sla.pausedAt = new Date().toISOString();
    i.slaVersion += 1;
  }
  await i.notifyClient('info_requested', { question });
  i.complete(command);
  let answer = await i.next(['clientAnswer'], i.policy.infoReminderMs);
  while (!answer) {
    await i.notifyClient('info_reminder', { question });
    answer = await i.next(['clientAnswer'], i.policy.infoReminderMs);
  }
  if (sla.pausedAt && i.input.contractId && sla.resolutionDueAt) {
    const resumedAt = new Date().toISOString();
    const next = await lifecycle.resumeSlaDeadlines({
      workflowId: i.workflowId,
      contractId: i.input.contractId,
      responseDueAt: sla.responseDueAt,
      resolutionDueAt: sla.resolutionDueAt,
      pausedAt: sla.pausedAt,
      resumedAt,
      timeScale: i.policy.slaTimeScale,
    });
    const pausedFor = Date.parse(resumedAt) - Date.parse(sla.pausedAt);
    sla.responseDueAt = next.responseDueAt;
    sla.resolutionDueAt = next.resolutionDueAt;
    sla.pausedAt = null;
    // The risk instants move with the deadlines.
    planSlaRisk(i, new Date(Date.parse(i.input.submittedAt) + pausedFor).toISOString());
  }
  await i.record('client_answer', answer.args, answer.args.answer);
  await i.moveTo('analysis', answer.args.actor, null, answer.args.actorId);
  i.complete(answer);
}
