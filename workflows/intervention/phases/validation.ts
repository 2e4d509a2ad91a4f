import type { ClientRejectCommand } from '../intervention.contract.js';
import type { Command, Intervention } from '../intervention.state.js';
import type { Phase } from './phase.js';

/**
 * Client validation, mandatory, of a proposed remote solution or of the report. Reminders per
 * policy, then support is alerted and the wait goes on. A rejection (with its reason) sends the
 * intervention back to planning. A decision refused (its write failed for good) leaves the
 * validation waiting.
 */
export async function validation(i: Intervention): Promise<Phase> {
  for (;;) {
    const command = await clientDecision(i);
    if (command.kind === 'clientAccept') {
      const { args } = command;
      if (await i.carryOut(command, () => i.moveTo('validated', args.actor, null, args.actorId))) return 'accepted';
    } else {
      const { args } = command;
      if (await i.carryOut(command, () => planRework(i, args))) return 'planning';
    }
  }
}

/** Waits for the client's decision: reminders at the policy's interval, then support is alerted. */
async function clientDecision(i: Intervention): Promise<Command<'clientAccept' | 'clientReject'>> {
  const decisions = ['clientAccept', 'clientReject'] as const;
  let reminders = 0;
  let command = await i.next(decisions, i.policy.validationReminderMs);
  while (!command) {
    if (reminders < i.policy.validationReminderCount) {
      reminders += 1;
      await i.notifyClient('validation_reminder', { count: reminders });
      command = await i.next(decisions, i.policy.validationReminderMs);
    } else {
      await i.notifySupport('validation_overdue', { count: reminders });
      command = await i.next(decisions);
    }
  }
  return command;
}

async function planRework(i: Intervention, { reason, actor, actorId }: ClientRejectCommand): Promise<void> {
  i.state.validationRejections += 1;
  i.state.reportSubmitted = false;
  i.state.assignment = null;
  await i.moveTo('awaiting_planning', actor, reason, actorId);
  await i.notifyClient('rework_planned', { reason });
}
