import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import { billing, lifecycle } from '../intervention.activities.js';
import type { CancelCommand, NotBillableReason, SurveyAnswerCommand } from '../intervention.contract.js';
import type { Intervention } from '../intervention.state.js';

/** Failure type billing raises for an intervention with no visit and no part (e.g. resolved remotely). */
const NOT_BILLABLE = 'InterventionNotBillable';

/**
 * Billing: one invoice, once the client has accepted (the invoicing activity is keyed by
 * workflow). An intervention with nothing to invoice is recorded as such and goes on to the survey.
 */
export async function invoice(i: Intervention): Promise<void> {
  try {
    const issued = await billing.issueInvoice({
      workflowId: i.workflowId,
      requestId: i.state.requestId!,
      ticketNumber: i.state.ticketNumber,
    });
    i.state.invoiceNumber = issued.number;
    await i.moveTo('invoiced', 'finance', issued.number, null, { type: 'invoice', number: issued.number });
  } catch (err) {
    if (!(err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === NOT_BILLABLE)) throw err;
    await i.record(
      'billing:not_billable',
      'finance',
      err.cause.message,
      {},
      { details: { type: 'not_billable', reason: notBillableReason(err.cause.details) } },
    );
  }
}

const NOT_BILLABLE_REASONS: readonly NotBillableReason[] = ['nothing_to_invoice', 'remote_not_billed', 'cancelled', 'open_visit', 'other'];

/** The reason billing gave in its failure's details (none in failures recorded before it did). */
function notBillableReason(details: unknown[] | undefined | null): NotBillableReason | null {
  const reason = (details?.[0] as { reason?: unknown } | undefined)?.reason;
  return NOT_BILLABLE_REASONS.includes(reason as NotBillableReason) ? (reason as NotBillableReason) : null;
}

/**
 * Survey: sent after closure of the work, one reminder, then closed on answer or deadline. An
 * answer refused (its write failed for good) leaves the survey open until the deadline.
 */
export async function survey(i: Intervention): Promise<void> {
  await i.moveTo('survey', 'system');
  await i.notifyClient('survey');
  const { surveyReminderMs, surveyDeadlineMs } = i.policy;
  let reminded = false;
  let waitUntil = Date.now() + surveyReminderMs;
  for (;;) {
    const answer = await i.next(['surveyAnswer'], Math.max(0, waitUntil - Date.now()));
    if (answer) {
      if (await i.carryOut(answer, () => closeWithAnswer(i, answer.args))) return;
    } else if (!reminded) {
      await i.notifyClient('survey_reminder');
      reminded = true;
      waitUntil = Date.now() + Math.max(0, surveyDeadlineMs - surveyReminderMs);
    } else {
      await i.moveTo('closed', 'system', 'survey unanswered', null, { type: 'survey_unanswered' });
      return;
    }
  }
}

async function closeWithAnswer(i: Intervention, { rating, comment, actor, actorId }: SurveyAnswerCommand): Promise<void> {
  await lifecycle.saveSurveyAnswer({ workflowId: i.workflowId, rating, comment: comment ?? null, idempotencyKey: i.key('survey') });
  i.state.survey = { rating, comment: comment ?? null };
  await i.moveTo('closed', actor, `survey ${rating}/5`, actorId, { type: 'survey', rating });
}

/**
 * Patch id (see `cancel`): the cancellation is recorded before the technician is released, so a
 * cancellation refused at that write (a reason the database refuses) has released no one.
 */
const CANCEL_RECORDED_FIRST = 'cancel-recorded-before-release';

/** Cancellation, from any stage before acceptance: record it, release the technician, tell the client. */
export async function cancel(i: Intervention, args: CancelCommand): Promise<void> {
  const { assignment, openVisitId, status } = i.state;
  const booked = assignment !== null && (status === 'scheduled' || status === 'in_progress');
  const release = async () => {
    if (openVisitId) await lifecycle.checkOut({ visitId: openVisitId, at: new Date().toISOString() });
    i.state.openVisitId = null;
    if (assignment && booked) {
      await lifecycle.setAssignmentStatus({ assignmentId: assignment.assignmentId, status: 'cancelled' });
      await lifecycle.cancelTechnicianInvite({
        workflowId: i.workflowId,
        assignmentId: assignment.assignmentId,
        idempotencyKey: i.key('invite-cancel'),
      });
    }
  };
  const record = async () => {
    i.state.cancelReason = args.reason;
    await i.moveTo('cancelled', args.actor, args.reason, args.actorId, { type: 'cancellation', reason: args.reason });
  };
  if (patched(CANCEL_RECORDED_FIRST)) {
    await record();
    await release();
  } else {
    await release();
    await record();
  }
  await i.notifyClient('cancelled', { reason: args.reason });
}
