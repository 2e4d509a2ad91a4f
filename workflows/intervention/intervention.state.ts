/**
 * The state of one intervention and its message handlers.
 *
 * Every action arrives as an update. Its validator checks it against the current status (the
 * ALLOWED table) and refuses, with an 'InvalidTransition' failure and no history event, what does
 * not fit. An accepted action waits in a one-slot inbox until the phase that owns it takes it
 * (`next`), carries it out, and completes it; so actions are serialised and a second action is
 * validated against the status the first one produced.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { lifecycle, records } from './intervention.activities.js';
import { refreshSla } from './phases/intake.js';
import {
  DEFAULT_POLICY,
  InterventionFailure,
  REMOTE_SESSION_MAX_MINUTES,
  SearchKeys,
  assignUpdate,
  cancelUpdate,
  changePriorityUpdate,
  checkInUpdate,
  checkOutUpdate,
  clientAcceptUpdate,
  clientAnswerUpdate,
  clientRejectUpdate,
  clientStatusOf,
  confirmIntakeUpdate,
  escalateUpdate,
  getStateQuery,
  logEntryUpdate,
  submitReportUpdate,
  surveyAnswerUpdate,
  triageUpdate,
  type Actor,
  type ActorType,
  type AssignCommand,
  type CancelCommand,
  type ChangePriorityCommand,
  type CheckInCommand,
  type CheckOutCommand,
  type ClientAnswerCommand,
  type ClientRejectCommand,
  type EscalateCommand,
  type InterventionInput,
  type InterventionPolicy,
  type InterventionState,
  type LogEntryCommand,
  type Priority,
  type ReportCommand,
  type RequestStatus,
  type SlaMilestone,
  type SurveyAnswerCommand,
  type TimelineDetails,
  type TriageCommand,
} from './intervention.contract.js';

export interface Commands {
  triage: TriageCommand;
  clientAnswer: ClientAnswerCommand;
  changePriority: ChangePriorityCommand;
  assign: AssignCommand;
  checkIn: CheckInCommand;
  logEntry: LogEntryCommand;
  checkOut: CheckOutCommand;
  escalate: EscalateCommand;
  submitReport: ReportCommand;
  clientAccept: Actor;
  clientReject: ClientRejectCommand;
  surveyAnswer: SurveyAnswerCommand;
  cancel: CancelCommand;
}
export type CommandKind = keyof Commands;

export interface Command<K extends CommandKind = CommandKind> {
  kind: K;
  args: Commands[K];
  taken: boolean;
  done: boolean;
  error: string | null;
}

/** Patch id (see `moveTo`): the workflow takes a new status before writing it to the read model. */
const STATUS_BEFORE_READ_MODEL = 'status-before-read-model';

const BEFORE_ACCEPTANCE: CommandKind[] = ['changePriority', 'cancel'];

/** What each status accepts. `changePriority` and `cancel` are handled by `next` in any phase. */
const ALLOWED: Record<RequestStatus, readonly CommandKind[]> = {
  new: [],
  analysis: ['triage', ...BEFORE_ACCEPTANCE],
  specialist_review: ['triage', ...BEFORE_ACCEPTANCE],
  awaiting_client_info: ['clientAnswer', ...BEFORE_ACCEPTANCE],
  solution_proposed: ['clientAccept', 'clientReject', ...BEFORE_ACCEPTANCE],
  awaiting_planning: ['assign', ...BEFORE_ACCEPTANCE],
  scheduled: ['assign', 'checkIn', ...BEFORE_ACCEPTANCE],
  in_progress: ['checkIn', 'logEntry', 'checkOut', 'escalate', 'submitReport', ...BEFORE_ACCEPTANCE],
  awaiting_validation: ['clientAccept', 'clientReject', 'cancel'],
  validated: [],
  invoiced: [],
  survey: ['surveyAnswer'],
  closed: [],
  cancelled: [],
};

const RAISED: Record<Priority, Priority> = { P4: 'P3', P3: 'P2', P2: 'P1', P1: 'P1' };
export const raisePriority = (p: Priority): Priority => RAISED[p];

/** Thrown inside a phase when a cancellation is taken; caught by the workflow function. */
export class InterventionCancelled extends Error {
  constructor(readonly command: Command<'cancel'>) {
    super('cancelled');
  }
}

function refuse(message: string): never {
  throw ApplicationFailure.nonRetryable(message, InterventionFailure.InvalidTransition);
}

/** The technician's own work on site: only the assigned technician's account may do it. */
const TECHNICIAN_WORK: readonly CommandKind[] = ['checkIn', 'logEntry', 'checkOut', 'escalate', 'submitReport'];

export class Intervention {
  readonly state: InterventionState;
  readonly policy: InterventionPolicy;
  acknowledged = false;
  /** Set when the SLA deadlines change, so the SLA watch re-plans its timers. */
  slaVersion = 0;
  slaRiskAt: { response: string | null; resolution: string | null } = { response: null, resolution: null };
  private inbox: Command | null = null;
  private seq = 0;

  constructor(readonly input: InterventionInput) {
    this.policy = { ...DEFAULT_POLICY, ...(input.policy ?? {}) };
    this.state = {
      ticketNumber: input.ticketNumber,
      requestId: null,
      status: 'new',
      clientStatus: clientStatusOf('new'),
      priority: input.priority,
      priorityReason: input.priorityReason ?? null,
      supportLevel: 1,
      specialistGroup: null,
      estimatedInterventionAt: null,
      sla: { responseDueAt: null, resolutionDueAt: null, respondedAt: null, pausedAt: null, pausesWhenWaiting: false, escalated: [] },
      assignment: null,
      openVisitId: null,
      visits: 0,
      logEntries: 0,
      reportSubmitted: false,
      validationRejections: 0,
      invoiceNumber: null,
      survey: null,
      cancelReason: null,
      history: [],
    };
  }

  get workflowId(): string {
    return workflowInfo().workflowId;
  }

  /** Idempotency key of the next side effect: deterministic, so a replay reuses it. */
  key(step: string): string {
    this.seq += 1;
    return `${this.workflowId}:${this.seq}:${step}`;
  }

  get terminal(): boolean {
    return this.state.status === 'closed' || this.state.status === 'cancelled';
  }

  /**
   * The single path for status changes: timeline + read model, then state and search attributes.
   * `details` (the entry's facts as data, for the page to localize) only changes the activity's
   * input, never the commands: older histories replay unchanged.
   */
  async moveTo(
    to: RequestStatus,
    actor: ActorType,
    message?: string | null,
    actorId?: string | null,
    details?: TimelineDetails,
  ): Promise<void> {
    const from = this.state.history.length === 0 ? null : this.state.status;
    const take = () => {
      this.state.status = to;
      this.state.clientStatus = clientStatusOf(to);
      this.state.history.push({ at: new Date().toISOString(), from, to, actor });
    };
    // The workflow takes the new status before the read model shows it: once the portal shows a
    // status, the actions it offers there must be accepted, never refused because the workflow had
    // not yet caught up with its own write (a client answering the survey the moment it appears).
    // Taking it first lets the SLA watch react earlier, which changes the order of commands, hence
    // the patch: histories recorded before it keep the old order.
    const statusFirst = patched(STATUS_BEFORE_READ_MODEL);
    if (statusFirst) take();
    await records.recordTransition({
      workflowId: this.workflowId,
      ticketNumber: this.input.ticketNumber,
      from,
      to,
      actor,
      actorId: actorId ?? null,
      message: message ?? null,
      ...(details ? { details } : {}),
      idempotencyKey: this.key(`status:${to}`),
    });
    if (!statusFirst) take();
    upsertSearchAttributes([{ key: SearchKeys.status, value: to }]);
  }

  /**
   * A timeline entry. `remoteSession` (the time of a remote resolution) and `details` (the entry's
   * facts as data) are stored by the same activity call, under the same key: only the activity's
   * input differs, so the workflow's commands, and with them the replay of older histories, stay
   * the same.
   */
  async record(
    kind: string,
    actor: Actor | ActorType,
    message: string | null,
    payload: Record<string, unknown> = {},
    extra: { remoteSession?: { minutes: number; at: string }; details?: TimelineDetails } = {},
  ): Promise<void> {
    const { remoteSession, details } = extra;
    const who = typeof actor === 'string' ? { actor } : actor;
    await lifecycle.recordEvent({
      workflowId: this.workflowId,
      kind,
      actor: who.actor,
      actorId: who.actorId ?? null,
      message,
      payload,
      idempotencyKey: this.key(kind),
      ...(remoteSession ? { remoteSession } : {}),
      ...(details ? { details } : {}),
    });
  }

  async notifyClient(
    template: Parameters<typeof lifecycle.notify>[0]['template'],
    data: Record<string, string | number | null | string[]> = {},
  ) {
    await lifecycle.notify({ workflowId: this.workflowId, template, to: 'client', data, idempotencyKey: this.key(`mail:${template}`) });
  }

  async notifySupport(
    template: Parameters<typeof lifecycle.notify>[0]['template'],
    data: Record<string, string | number | null | string[]> = {},
  ) {
    await lifecycle.notify({ workflowId: this.workflowId, template, to: 'support', data, idempotencyKey: this.key(`mail:${template}`) });
  }

  /** One path for priority changes (support staff, SLA breach): state, read model, timeline. */
  async setPriority(priority: Priority, reason: string, actor: Actor | ActorType, slaMilestone?: SlaMilestone): Promise<void> {
    const from = this.state.priority;
    this.state.priority = priority;
    this.state.priorityReason = reason;
    upsertSearchAttributes([{ key: SearchKeys.priority, value: priority }]);
    await lifecycle.updateRequest({ workflowId: this.workflowId, priority, priorityReason: reason });
    await this.record(
      'priority_changed',
      actor,
      reason,
      { from, to: priority },
      { details: { type: 'priority', from, to: priority, reason, ...(slaMilestone ? { slaMilestone } : {}) } },
    );
  }

  // ---- actions: inbox ------------------------------------------------------------------------

  /**
   * Waits for the next accepted action among `kinds` (null after `timeoutMs`). Priority changes
   * are carried out here whatever the phase; a cancellation interrupts the phase.
   */
  async next<K extends CommandKind>(kinds: readonly K[], timeoutMs?: number): Promise<Command<K> | null> {
    const deadline = timeoutMs === undefined ? null : Date.now() + timeoutMs;
    for (;;) {
      const ready = () =>
        this.inbox !== null && !this.inbox.taken && (kinds.includes(this.inbox.kind as K) || BEFORE_ACCEPTANCE.includes(this.inbox.kind));
      const arrived = deadline === null ? (await condition(ready), true) : await condition(ready, Math.max(0, deadline - Date.now()));
      if (!arrived) return null;
      const command = this.inbox!;
      command.taken = true;
      if (command.kind === 'cancel') throw new InterventionCancelled(command as Command<'cancel'>);
      if (command.kind === 'changePriority' && !kinds.includes('changePriority' as K)) {
        const { priority, reason, ...actor } = command.args as ChangePriorityCommand;
        await this.setPriority(priority, reason, actor);
        await refreshSla(this);
        this.complete(command);
        continue;
      }
      return command as Command<K>;
    }
  }

  complete(command: Command): void {
    command.done = true;
    if (this.inbox === command) this.inbox = null;
  }

  /** Runs an accepted action; a business refusal from an activity fails the update (422). */
  async attempt<T>(command: Command, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable) {
        command.error = err.cause.message ?? 'action failed';
        this.complete(command);
        return undefined;
      }
      throw err;
    }
  }

  private async submit<K extends CommandKind>(kind: K, args: Commands[K]): Promise<InterventionState> {
    const command: Command<K> = { kind, args, taken: false, done: false, error: null };
    this.inbox = command;
    await condition(() => command.done);
    if (command.error) throw ApplicationFailure.nonRetryable(command.error, InterventionFailure.ActionFailed);
    return this.state;
  }

  private validate<K extends CommandKind>(kind: K, args: Commands[K]): void {
    const { status } = this.state;
    if (!this.acknowledged) refuse(`intervention ${this.state.ticketNumber} is still being registered`);
    if (this.inbox !== null) refuse(`another action (${this.inbox.kind}) is being processed on ${this.state.ticketNumber}`);
    if (!ALLOWED[status].includes(kind)) refuse(`${kind} is not possible while the intervention is ${status}`);
    const open = this.state.openVisitId !== null;
    switch (kind) {
      case 'checkIn':
        if (open) refuse('the technician is already checked in');
        if (!this.state.assignment) refuse('no technician is assigned');
        break;
      case 'logEntry':
      case 'checkOut':
        if (!open) refuse(`${kind} needs a check-in first`);
        break;
      case 'submitReport':
        if (open) refuse('check out before submitting the report');
        break;
      case 'changePriority':
        if ((args as ChangePriorityCommand).priority === this.state.priority) refuse(`priority is already ${this.state.priority}`);
        break;
      case 'assign': {
        const a = args as AssignCommand;
        if (!(Date.parse(a.end) > Date.parse(a.start))) refuse('the slot must end after it starts');
        break;
      }
      case 'triage': {
        const t = args as TriageCommand;
        if (t.decision === 'propose_remote' && t.minutes !== undefined) {
          if (!Number.isInteger(t.minutes) || t.minutes < 1 || t.minutes > REMOTE_SESSION_MAX_MINUTES) {
            refuse(`minutes must be an integer from 1 to ${REMOTE_SESSION_MAX_MINUTES}`);
          }
        }
        break;
      }
      case 'surveyAnswer': {
        const r = (args as SurveyAnswerCommand).rating;
        if (!Number.isInteger(r) || r < 1 || r > 5) refuse('rating must be an integer from 1 to 5');
        break;
      }
    }
    // After the state checks: an action the state refuses anyway stays a 409 for everyone.
    const caller = (args as Actor).actingTechnicianId;
    if (caller !== undefined && TECHNICIAN_WORK.includes(kind) && caller !== this.state.assignment?.technicianId) {
      throw ApplicationFailure.nonRetryable(
        `${this.state.ticketNumber} is not assigned to this technician`,
        InterventionFailure.NotAssigned,
      );
    }
  }

  private handle<K extends CommandKind>(kind: K, def: { name: string }): void {
    setHandler(
      def as never,
      ((args: Commands[K]) => this.submit(kind, args)) as never,
      {
        validator: ((args: Commands[K]) => this.validate(kind, args)) as never,
      } as never,
    );
  }

  registerHandlers(): void {
    setHandler(getStateQuery, () => this.state);
    setHandler(confirmIntakeUpdate, async () => {
      await condition(() => this.acknowledged);
      return {
        requestId: this.state.requestId!,
        ticketNumber: this.state.ticketNumber,
        status: this.state.status,
        clientStatus: this.state.clientStatus,
        priority: this.state.priority,
        priorityReason: this.state.priorityReason,
        responseDueAt: this.state.sla.responseDueAt,
        resolutionDueAt: this.state.sla.resolutionDueAt,
        estimatedInterventionAt: this.state.estimatedInterventionAt,
      };
    });
    this.handle('triage', triageUpdate);
    this.handle('clientAnswer', clientAnswerUpdate);
    this.handle('changePriority', changePriorityUpdate);
    this.handle('assign', assignUpdate);
    this.handle('checkIn', checkInUpdate);
    this.handle('logEntry', logEntryUpdate);
    this.handle('checkOut', checkOutUpdate);
    this.handle('escalate', escalateUpdate);
    this.handle('submitReport', submitReportUpdate);
    this.handle('clientAccept', clientAcceptUpdate);
    this.handle('clientReject', clientRejectUpdate);
    this.handle('surveyAnswer', surveyAnswerUpdate);
    this.handle('cancel', cancelUpdate);
  }
}
