import { upsertSearchAttributes } from '@temporalio/workflow';
import { lifecycle } from '../intervention.activities.js';
import { SearchKeys, type AssignCommand } from '../intervention.contract.js';
import { refusable, type Intervention } from '../intervention.state.js';
import type { Phase } from './phase.js';

/** Planning: wait for a technician and slot, from the daily plan or a dispatcher. */
export async function planning(i: Intervention): Promise<Phase> {
  const command = await i.next(['assign']);
  const assigned = await i.carryOut(command, () => assign(i, command.args));
  return assigned ? 'work' : 'planning';
}

/**
 * Writes the assignment (cancelling the previous one), tells the client the slot and the
 * technician's profile, and sends the technician a calendar invite; a reassignment sends the
 * previous technician a CANCEL; the action answers once both have been told. An unknown
 * technician refuses the assignment.
 */
export async function assign(i: Intervention, args: AssignCommand): Promise<void> {
  const saved = await refusable(() =>
    lifecycle.saveAssignment({
      workflowId: i.workflowId,
      technicianId: args.technicianId,
      start: args.start,
      end: args.end,
      priority: i.state.priority,
      notes: args.notes ?? null,
      source: args.source,
    }),
  );
  const previous = i.state.assignment;
  i.state.assignment = { ...saved, start: args.start, end: args.end, source: args.source };
  upsertSearchAttributes([{ key: SearchKeys.technicianId, value: saved.technicianId }]);
  const reassigned = i.state.status === 'scheduled';
  await i.moveTo(
    'scheduled',
    args.actor,
    `${reassigned ? 'reassigned' : 'assigned'}: ${saved.technicianName} ${args.start}`,
    args.actorId,
    {
      type: 'assignment',
      technicianName: saved.technicianName,
      start: args.start,
      end: args.end,
      reassigned,
    },
  );
  if (previous && saved.previousAssignmentId) {
    await lifecycle.cancelTechnicianInvite({
      workflowId: i.workflowId,
      assignmentId: previous.assignmentId,
      idempotencyKey: i.key('invite-cancel'),
    });
  }
  await lifecycle.notifyAssignment({
    workflowId: i.workflowId,
    assignmentId: saved.assignmentId,
    preparation: args.preparation ?? null,
    // Only when given: an assignment without them keeps the activity input it always had.
    ...(args.parts?.length ? { parts: args.parts } : {}),
    ...(args.tools?.length ? { tools: args.tools } : {}),
    idempotencyKey: i.key('assignment'),
  });
}
