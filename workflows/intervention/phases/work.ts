import { patched } from '@temporalio/workflow';
import { lifecycle } from '../intervention.activities.js';
import type { CheckInCommand, CheckOutCommand, EscalateCommand, LogEntryCommand, ReportCommand } from '../intervention.contract.js';
import { refusable, type Intervention } from '../intervention.state.js';
import { assign } from './planning.js';
import type { Phase } from './phase.js';

/**
 * Work: the technician checks in (on site or remote), logs diagnosis, actions, parts and tests,
 * checks out, and submits the report, which asks the client to validate. The technician can
 * escalate instead: back to analysis one level up. Until check-in the slot can be reassigned.
 * An action refused (its write failed for good) changes nothing: the work goes on.
 */
export async function work(i: Intervention): Promise<Phase> {
  for (;;) {
    const command = await i.next(['assign', 'checkIn', 'logEntry', 'checkOut', 'escalate', 'submitReport']);
    switch (command.kind) {
      case 'assign':
        await i.carryOut(command, () => assign(i, command.args));
        break;
      case 'checkIn':
        await i.carryOut(command, () => checkIn(i, command.args));
        break;
      case 'logEntry':
        await i.carryOut(command, () => logEntry(i, command.args));
        break;
      case 'checkOut':
        await i.carryOut(command, () => checkOut(i, command.args));
        break;
      case 'escalate':
        if (await i.carryOut(command, () => escalate(i, command.args))) return 'analysis';
        break;
      case 'submitReport':
        if (await i.carryOut(command, () => submitReport(i, command.args))) return 'validation';
        break;
    }
  }
}

async function checkIn(i: Intervention, args: CheckInCommand): Promise<void> {
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
}

/** A part is checked against the catalogue: an unknown one refuses the entry. */
async function logEntry(i: Intervention, args: LogEntryCommand): Promise<void> {
  if (args.kind === 'part') {
    await refusable(() =>
      lifecycle.recordPart({
        workflowId: i.workflowId,
        visitId: i.state.openVisitId,
        sku: args.sku,
        quantity: args.quantity,
        serialNumbers: args.serialNumbers ?? [],
        underWarranty: args.underWarranty ?? false,
        idempotencyKey: i.key('part'),
      }),
    );
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
}

async function checkOut(i: Intervention, args: CheckOutCommand): Promise<void> {
  const at = args.at ?? new Date().toISOString();
  await lifecycle.checkOut({ visitId: i.state.openVisitId!, at });
  await i.record('check_out', args, null, { visitId: i.state.openVisitId, at });
  i.state.openVisitId = null;
}

/**
 * Patch id (see `escalate`): the escalation is recorded before the visit is closed and the
 * assignment completed, so an escalation refused at that write (a reason the database refuses)
 * leaves the technician's visit as it was.
 */
const ESCALATION_RECORDED_FIRST = 'escalation-recorded-before-release';

async function escalate(i: Intervention, args: EscalateCommand): Promise<void> {
  const { openVisitId, assignment } = i.state;
  const level = Math.min(3, i.state.supportLevel + 1);
  const release = async () => {
    if (openVisitId) await lifecycle.checkOut({ visitId: openVisitId, at: new Date().toISOString() });
    if (assignment) await lifecycle.setAssignmentStatus({ assignmentId: assignment.assignmentId, status: 'completed' });
  };
  const take = () => {
    i.state.openVisitId = null;
    i.state.assignment = null;
    i.state.supportLevel = level;
  };
  const record = () =>
    i.moveTo('analysis', args.actor, `escalated to N${level}: ${args.reason}`, args.actorId, {
      type: 'escalation',
      level,
      reason: args.reason,
    });
  const updateLevel = () => lifecycle.updateRequest({ workflowId: i.workflowId, supportLevel: level });
  if (patched(ESCALATION_RECORDED_FIRST)) {
    take();
    await record();
    await release();
    await updateLevel();
  } else {
    await release();
    take();
    await updateLevel();
    await record();
  }
}

async function submitReport(i: Intervention, args: ReportCommand): Promise<void> {
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
}
