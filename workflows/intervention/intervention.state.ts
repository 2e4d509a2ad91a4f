/**
 * The state of one intervention and its message handlers.
 *
 * Every action arrives as an update. Its validator checks it against the current status (the
 * transition policy, transitions.ts) and refuses, with an 'InvalidTransition' failure and no
 * history event, what does not fit. An accepted action waits in a one-slot inbox until the phase
 * that owns it takes it (`next`) and carries it out (`carryOut`, which completes it on every
 * path); so actions are serialised and a second action is validated against the status the
 * first one produced. A write that fails for good while an action is carried out refuses the
 * action and puts the intervention back as it was: an action is applied whole or not at all.
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
import type { UpdateDefinition } from '@temporalio/common';
import { lifecycle, records } from './intervention.activities.js';
import {
  DEFAULT_POLICY,
  InterventionFailure,
  SearchKeys,
  clientStatusOf,
  commandUpdates,
  getStateQuery,
  confirmIntakeUpdate,
  type Actor,
  type ActorType,
  type CancelCommand,
  type ChangePriorityCommand,
  type CommandKind,
  type Commands,
  type InterventionInput,
  type InterventionPolicy,
  type InterventionState,
  type Priority,
  type RequestStatus,
  type SlaMilestone,
  type TimelineDetails,
} from './intervention.contract.js';
import { SlaClock, type SlaSnapshot } from './sla.js';
import { ANY_PHASE, validate, type CommandOf } from './transitions.js';

/** An accepted action and its progress: taken by a phase, then done (with an error if refused). */
export type Command<K extends CommandKind = CommandKind> = {
  [P in CommandKind]: CommandOf<P> & { taken: boolean; done: boolean; error: string | null };
}[K];

/** Patch id (see `moveTo`): the workflow takes a new status before writing it to the read model. */
const STATUS_BEFORE_READ_MODEL = 'status-before-read-model';
/**
 * Patch id (see `carryOut`): a write that fails for good while an action is carried out refuses
 * the action instead of failing the workflow. Asked only when such a failure happens, so every
 * history without one replays as before, and a workflow already waiting on such a write (retried
 * without end before the write was made non-retryable) is refused and goes on when it fails.
 */
const REFUSE_FAILED_WRITES = 'refuse-actions-whose-write-fails';

const RAISED: Record<Priority, Priority> = { P4: 'P3', P3: 'P2', P2: 'P1', P1: 'P1' };
export const raisePriority = (p: Priority): Priority => RAISED[p];

/** Thrown inside a phase once a cancellation has been carried out; caught by the workflow function. */
export class InterventionCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** Carries out a cancellation taken in any phase (phases/closure.ts), given by the workflow. */
export type Cancellation = (i: Intervention, command: CancelCommand) => Promise<void>;

/** What `carryOut` puts back when an action is refused. */
interface Snapshot {
  state: InterventionState;
  sla: SlaSnapshot;
  searchAttributes: { status?: string; priority?: string; technicianId?: string };
}

/** A failure the action's own business check raised (unknown technician, unknown part). */
class BusinessRefusal extends Error {
  constructor(readonly failure: ActivityFailure) {
    super(failure.message);
  }
}

/** The activity failure of a write that will not be retried any more, or null. */
function failedForGood(err: unknown): ActivityFailure | null {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure)) return null;
  const final = err.cause.nonRetryable || err.retryState === 'NON_RETRYABLE_FAILURE' || err.retryState === 'MAXIMUM_ATTEMPTS_REACHED';
  return final ? err : null;
}

/**
 * A write that checks the action itself (the technician or part exists): its non-retryable
 * failure refuses the action, as it always has (no patch).
 */
export async function refusable<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const failure = failedForGood(err);
    throw failure ? new BusinessRefusal(failure) : err;
  }
}

export class Intervention {
  readonly state: InterventionState;
  readonly policy: InterventionPolicy;
  /** The SLA deadlines (`state.sla`), their risk instants and the watch's version. */
  readonly sla: SlaClock;
  acknowledged = false;
  private inbox: Command | null = null;
  private running: Command | null = null;
  private seq = 0;

  constructor(
    readonly input: InterventionInput,
    private readonly cancellation: Cancellation,
  ) {
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
    this.sla = new SlaClock(this.state.sla, { contractId: input.contractId, submittedAt: input.submittedAt, policy: this.policy });
  }

  get workflowId(): string {
    return workflowInfo().workflowId;
  }

  /**
   * Idempotency key of the next side effect: deterministic, so a replay reuses it. Never put back
   * by a refusal: a write that did happen before the one that failed keeps its key to itself.
   */
  key(step: string): string {
    this.seq += 1;
    return `${this.workflowId}:${this.seq}:${step}`;
  }

  get terminal(): boolean {
    return this.state.status === 'closed' || this.state.status === 'cancelled';
  }

  /** True while an action is being carried out: a status it took may still be put back. */
  get carryingOut(): boolean {
    return this.running !== null;
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
    // the patch: histories recorded before it keep the old order. If the write then fails for good,
    // `carryOut` puts the status back.
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
   * and cancellations are carried out here whatever the phase: a priority change, then the wait
   * goes on; a cancellation ends the phase (InterventionCancelled), unless it is refused.
   */
  async next<K extends CommandKind>(kinds: readonly K[]): Promise<Command<K>>;
  async next<K extends CommandKind>(kinds: readonly K[], timeoutMs: number): Promise<Command<K> | null>;
  async next<K extends CommandKind>(kinds: readonly K[], timeoutMs?: number): Promise<Command<K> | null> {
    const deadline = timeoutMs === undefined ? null : Date.now() + timeoutMs;
    for (;;) {
      const ready = () => this.inbox !== null && !this.inbox.taken && (isOneOf(this.inbox, kinds) || isOneOf(this.inbox, ANY_PHASE));
      const arrived = deadline === null ? (await condition(ready), true) : await condition(ready, Math.max(0, deadline - Date.now()));
      if (!arrived) return null;
      const command = this.inbox!;
      command.taken = true;
      if (command.kind === 'cancel') {
        const { args } = command;
        if (await this.carryOut(command, () => this.cancellation(this, args))) throw new InterventionCancelled();
        continue;
      }
      if (command.kind === 'changePriority') {
        const { args } = command;
        await this.carryOut(command, () => this.changePriority(args));
        continue;
      }
      if (isOneOf(command, kinds)) return command;
    }
  }

  /**
   * Carries out an accepted action, and completes it on every path (the update answers then).
   * Returns false when the action was refused: a write failed for good (an activity's
   * non-retryable failure: an unknown reference, data the database refuses). The update then
   * fails with ActionFailed, and the intervention is put back as it was before the action: state
   * (status, client status, priority, assignment…), SLA clock, search attributes. The phase goes
   * on waiting and the next action is accepted. Writes done before the one that failed are not
   * undone (each is idempotent by its own key).
   */
  async carryOut(command: Command, run: () => Promise<void>): Promise<boolean> {
    const before = this.snapshot();
    this.running = command;
    try {
      await run();
      return true;
    } catch (err) {
      const failure = err instanceof BusinessRefusal ? err.failure : failedForGood(err);
      if (!failure) throw err;
      if (err instanceof BusinessRefusal) {
        command.error = failure.cause?.message ?? 'action failed';
      } else {
        if (!patched(REFUSE_FAILED_WRITES)) throw err;
        command.error = `${command.kind} could not be recorded (${failure.cause?.message ?? 'write refused'}); nothing was changed`;
      }
      this.restore(before);
      return false;
    } finally {
      this.running = null;
      this.complete(command);
    }
  }

  private complete(command: Command): void {
    command.done = true;
    if (this.inbox === command) this.inbox = null;
  }

  private async changePriority({ priority, reason, ...actor }: ChangePriorityCommand): Promise<void> {
    await this.setPriority(priority, reason, actor);
    const sla = await this.sla.refresh(priority);
    if (sla) this.state.estimatedInterventionAt = sla.estimatedInterventionAt;
  }

  private snapshot(): Snapshot {
    const published = workflowInfo().typedSearchAttributes;
    return {
      state: JSON.parse(JSON.stringify(this.state)) as InterventionState,
      sla: this.sla.snapshot(),
      searchAttributes: {
        status: published.get(SearchKeys.status),
        priority: published.get(SearchKeys.priority),
        technicianId: published.get(SearchKeys.technicianId),
      },
    };
  }

  /** Puts back what `snapshot` kept; a search attribute is upserted only if it changed. */
  private restore(before: Snapshot): void {
    Object.assign(this.state, before.state, { sla: this.state.sla });
    this.sla.restore(before.sla);
    const published = workflowInfo().typedSearchAttributes;
    const changed = (['status', 'priority', 'technicianId'] as const)
      .filter((name) => published.get(SearchKeys[name]) !== before.searchAttributes[name])
      .map((name) => ({ key: SearchKeys[name], value: before.searchAttributes[name] ?? null }));
    if (changed.length > 0) upsertSearchAttributes(changed);
  }

  private async submit(made: CommandOf): Promise<InterventionState> {
    const command: Command = { ...made, taken: false, done: false, error: null };
    this.inbox = command;
    await condition(() => command.done);
    if (command.error) throw ApplicationFailure.nonRetryable(command.error, InterventionFailure.ActionFailed);
    return this.state;
  }

  private validate(command: CommandOf): void {
    const refusal = validate({ state: this.state, acknowledged: this.acknowledged, busyWith: this.inbox?.kind ?? null }, command);
    if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.type);
  }

  /** The update of `kind`: validated by the transition policy, then queued for the phase that takes it. */
  private handle<K extends CommandKind>(kind: K): void {
    const update: UpdateDefinition<InterventionState, [Commands[K]]> = commandUpdates[kind];
    const commandOf = COMMAND_OF[kind];
    setHandler(update, (args) => this.submit(commandOf(args)), { validator: (args) => this.validate(commandOf(args)) });
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
    for (const kind of COMMAND_KINDS) this.handle(kind);
  }
}

/** Each kind's command from its update's arguments; the map's type checks every entry. */
const COMMAND_OF: { readonly [K in CommandKind]: (args: Commands[K]) => CommandOf<K> } = {
  triage: (args) => ({ kind: 'triage', args }),
  clientAnswer: (args) => ({ kind: 'clientAnswer', args }),
  changePriority: (args) => ({ kind: 'changePriority', args }),
  assign: (args) => ({ kind: 'assign', args }),
  checkIn: (args) => ({ kind: 'checkIn', args }),
  logEntry: (args) => ({ kind: 'logEntry', args }),
  checkOut: (args) => ({ kind: 'checkOut', args }),
  escalate: (args) => ({ kind: 'escalate', args }),
  submitReport: (args) => ({ kind: 'submitReport', args }),
  clientAccept: (args) => ({ kind: 'clientAccept', args }),
  clientReject: (args) => ({ kind: 'clientReject', args }),
  surveyAnswer: (args) => ({ kind: 'surveyAnswer', args }),
  cancel: (args) => ({ kind: 'cancel', args }),
};

/** The update handlers, in the order they were always registered. */
const COMMAND_KINDS: readonly CommandKind[] = [
  'triage',
  'clientAnswer',
  'changePriority',
  'assign',
  'checkIn',
  'logEntry',
  'checkOut',
  'escalate',
  'submitReport',
  'clientAccept',
  'clientReject',
  'surveyAnswer',
  'cancel',
];

function isOneOf<K extends CommandKind>(command: Command, kinds: readonly K[]): command is Command<K> {
  const among: readonly CommandKind[] = kinds;
  return among.includes(command.kind);
}
