import { lifecycle } from '../intervention.activities.js';
import type { Command, Intervention } from '../intervention.state.js';
import { assign } from './planning.js';
import type { Phase } from './phase.js';

/**
 * Work: the technician checks in (on site or remote), logs diagnosis, actions, parts and tests,
 * checks out, and submits the report, which asks the client to validate. The technician can
 * escalate instead: back to analysis one level up. Until check-in the slot can be reassigned.
 */
export async function work(i: Intervention): Promise<Phase> {
  for (;;) {
    const command = (await i.next(['assign', 'checkIn', 'logEntry', 'checkOut', 'escalate', 'submitReport']))!;
    switch (command.kind) {
      case 'assign':
        await assign(i, command as Command<'assign'>);
        break;
      case 'checkIn':
        await checkIn(i, command as Command<'checkIn'>);
        break;
      case 'logEntry':
        await logEntry(i, command as Command<'logEntry'>);
        break;
      case 'checkOut':
        await checkOut(i, command as Command<'checkOut'>);
        break;
      case 'escalate':
        await escalate(i, command as Command<'escalate'>);
        return 'analysis';
      case 'submitReport':
        await submitReport(i, command as Command<'submitReport'>);
        return 'validation';
    }
  }
}

async function checkIn(i: Intervention, command: Command<'checkIn'>): Promise<void> {
  const { args } = command;
  const assignment = i.state.assignment!;
  const at = args.at ?? new Date().toISOString();
  const { visitId } = await lifecycle.checkIn({
    workflowId: i.workflowId,
    assignmentId: assignment.assignmentId,
    technicianId: assignment.technicianId,
    mode: args.mode,
    travelKm: args.travelKm ?? 0,
    at,
    idempotencyKey: i.key('check-in'),
  });
  i.state.openVisitId = visitId;
  i.state.visits += 1;
  const details = { type: 'check_in', mode: args.mode } as const;
  if (i.state.status === 'in_progress') await i.record('check_in', args, args.mode, { visitId, at }, { details });
  else await i.moveTo('in_progress', args.actor, `check-in (${args.mode})`, args.actorId, details);
  i.complete(command);
}

async function logEntry(i: Intervention, command: Command<'logEntry'>): Promise<void> {
  const { args } = command;
  if (args.kind === 'part') {
    const recorded = await i.attempt(command, async () => {
      await lifecycle.recordPart({
        workflowId: i.workflowId,
        visitId: i.state.openVisitId,
        sku: args.sku,
        quantity: args.quantity,
        serialNumbers: args.serialNumbers ?? [],
        underWarranty: args.underWarranty ?? false,
        idempotencyKey: i.key('part'),
      });
      return true;
    });
    if (!recorded) return;
    await i.record(
      'log:part',
      args,
      args.text ?? `${args.quantity} × ${args.sku}`,
      { sku: args.sku, quantity: args.quantity },
      { details: { type: 'part', sku: args.sku, quantity: args.quantity, note: args.text ?? null } },
    );
  } else {
    await i.record(`log:${args.kind}`, args, args.text, args.kind === 'test' ? { passed: args.passed ?? null } : {});
  }
  i.state.logEntries += 1;
  i.complete(command);
}

async function checkOut(i: Intervention, command: Command<'checkOut'>): Promise<void> {
  const at = command.args.at ?? new Date().toISOString();
  await lifecycle.checkOut({ visitId: i.state.openVisitId!, at });
  await i.record('check_out', command.args, null, { visitId: i.state.openVisitId, at });
  i.state.openVisitId = null;
  i.complete(command);
}

async function escalate(i: Intervention, command: Command<'escalate'>): Promise<void> {
  const { args } = command;
  if (i.state.openVisitId) await lifecycle.checkOut({ visitId: i.state.openVisitId, at: new Date().toISOString() });
  i.state.openVisitId = null;
  if (i.state.assignment) await lifecycle.setAssignmentStatus({ assignmentId: i.state.assignment.assignmentId, status: 'completed' });
  i.state.assignment = null;
  i.state.supportLevel = Math.min(3, i.state.supportLevel + 1);
  await lifecycle.updateRequest({ workflowId: i.workflowId, supportLevel: i.state.supportLevel });
  await i.moveTo('analysis', args.actor, `escalated to N${i.state.supportLevel}: ${args.reason}`, args.actorId, {
    type: 'escalation',
    level: i.state.supportLevel,
    reason: args.reason,
  });
  i.complete(command);
}

async function submitReport(i: Intervention, command: Command<'submitReport'>): Promise<void> {
  const { args } = command;
  await lifecycle.saveReport({
    workflowId: i.workflowId,
    technicianId: i.state.assignment?.technicianId ?? null,
    summary: args.summary,
    recommendations: args.recommendations,
    idempotencyKey: i.key('report'),
  });
  if (i.state.assignment) await lifecycle.setAssignmentStatus({ assignmentId: i.state.assignment.assignmentId, status: 'completed' });
  i.state.reportSubmitted = true;
  await i.moveTo('awaiting_validation', args.actor, args.summary, args.actorId);
  await i.notifyClient('validation_requested', { summary: args.summary, recommendations: args.recommendations });
  i.complete(command);
}
