import type { Intervention } from '../intervention.state.js';
import type { Phase } from './phase.js';

/**
 * Client validation, mandatory, of a proposed remote solution or of the report. Reminders per
 * policy, then support is alerted and the wait goes on. A rejection (with its reason) sends the
 * intervention back to planning.
 */
export async function validation(i: Intervention): Promise<Phase> {
  let reminders = 0;
  let command = await i.next(['clientAccept', 'clientReject'], i.policy.validationReminderMs);
  while (!command) {
    if (reminders < i.policy.validationReminderCount) {
      reminders += 1;
      await i.notifyClient('validation_reminder', { count: reminders });
      command = await i.next(['clientAccept', 'clientReject'], i.policy.validationReminderMs);
    } else {
      await i.notifySupport('validation_overdue', { count: reminders });
      command = await i.next(['clientAccept', 'clientReject']);
    }
  }
  const { args } = command;
  if (command.kind === 'clientAccept') {
    await i.moveTo('validated', args.actor, null, args.actorId);
    i.complete(command);
    return 'accepted';
  }
  const reason = (args as { reason: string }).reason;
  i.state.validationRejections += 1;
  i.state.reportSubmitted = false;
  i.state.assignment = null;
  await i.moveTo('awaiting_planning', args.actor, reason, args.actorId);
  await i.notifyClient('rework_planned', { reason });
  i.complete(command);
  return 'planning';
}
