/**
 * The transition policy: which action each status accepts, and the checks an action's arguments
 * must pass there. The update validators apply it (a refusal leaves no history event); it is
 * pure, so every status × action is unit-tested by hand (transitions.test.ts).
 */
import {
  InterventionFailure,
  REMOTE_SESSION_MAX_MINUTES,
  type CommandKind,
  type Commands,
  type InterventionState,
  type RequestStatus,
} from './intervention.contract.js';

/** Taken in any phase before acceptance: the workflow carries them out wherever it waits. */
export const ANY_PHASE: readonly CommandKind[] = ['changePriority', 'cancel'];

/** What each status accepts. */
export const ALLOWED: Record<RequestStatus, readonly CommandKind[]> = {
  new: [],
  analysis: ['triage', ...ANY_PHASE],
  specialist_review: ['triage', ...ANY_PHASE],
  awaiting_client_info: ['clientAnswer', ...ANY_PHASE],
  solution_proposed: ['clientAccept', 'clientReject', ...ANY_PHASE],
  awaiting_planning: ['assign', ...ANY_PHASE],
  scheduled: ['assign', 'checkIn', ...ANY_PHASE],
  in_progress: ['checkIn', 'logEntry', 'checkOut', 'escalate', 'submitReport', ...ANY_PHASE],
  awaiting_validation: ['clientAccept', 'clientReject', 'cancel'],
  validated: [],
  invoiced: [],
  survey: ['surveyAnswer'],
  closed: [],
  cancelled: [],
};

/** The technician's own work on site: only the assigned technician's account may do it. */
export const TECHNICIAN_WORK: readonly CommandKind[] = ['checkIn', 'logEntry', 'checkOut', 'escalate', 'submitReport'];

/** One action with its arguments: a union over the kinds, so a switch on `kind` narrows `args`. */
export type CommandOf<K extends CommandKind = CommandKind> = { [P in CommandKind]: { kind: P; args: Commands[P] } }[K];

/** Why an action is refused: the failure type the update fails with, and its message. */
export interface Refusal {
  type: typeof InterventionFailure.InvalidTransition | typeof InterventionFailure.NotAssigned;
  message: string;
}

/** What the policy looks at. */
export interface Situation {
  state: Pick<InterventionState, 'ticketNumber' | 'status' | 'priority' | 'openVisitId' | 'assignment'>;
  /** Intake is recorded (the request exists): actions are accepted from then on. */
  acknowledged: boolean;
  /** The action being carried out, if any: actions are taken one at a time. */
  busyWith: CommandKind | null;
}

const invalid = (message: string): Refusal => ({ type: InterventionFailure.InvalidTransition, message });

/** The refusal of `command` in `at`, or null when it is accepted. */
export function validate(at: Situation, command: CommandOf): Refusal | null {
  const { state } = at;
  const { kind } = command;
  if (!at.acknowledged) return invalid(`intervention ${state.ticketNumber} is still being registered`);
  if (at.busyWith !== null) return invalid(`another action (${at.busyWith}) is being processed on ${state.ticketNumber}`);
  if (!ALLOWED[state.status].includes(kind)) return invalid(`${kind} is not possible while the intervention is ${state.status}`);
  const refused = argumentRefusal(at, command);
  if (refused) return invalid(refused);
  // After the state checks: an action the state refuses anyway stays a 409 for everyone.
  const caller = command.args.actingTechnicianId;
  if (caller !== undefined && TECHNICIAN_WORK.includes(kind) && caller !== state.assignment?.technicianId) {
    return { type: InterventionFailure.NotAssigned, message: `${state.ticketNumber} is not assigned to this technician` };
  }
  return null;
}

/** The per-action checks of the arguments against the state, as a message (null: none fails). */
function argumentRefusal({ state }: Situation, command: CommandOf): string | null {
  const open = state.openVisitId !== null;
  switch (command.kind) {
    case 'checkIn':
      if (open) return 'the technician is already checked in';
      if (!state.assignment) return 'no technician is assigned';
      return null;
    case 'logEntry':
    case 'checkOut':
      return open ? null : `${command.kind} needs a check-in first`;
    case 'submitReport':
      return open ? 'check out before submitting the report' : null;
    case 'changePriority':
      return command.args.priority === state.priority ? `priority is already ${state.priority}` : null;
    case 'assign':
      return Date.parse(command.args.end) > Date.parse(command.args.start) ? null : 'the slot must end after it starts';
    case 'triage': {
      const { args } = command;
      if (args.decision !== 'propose_remote' || args.minutes === undefined) return null;
      const { minutes } = args;
      return Number.isInteger(minutes) && minutes >= 1 && minutes <= REMOTE_SESSION_MAX_MINUTES
        ? null
        : `minutes must be an integer from 1 to ${REMOTE_SESSION_MAX_MINUTES}`;
    }
    case 'surveyAnswer': {
      const { rating } = command.args;
      return Number.isInteger(rating) && rating >= 1 && rating <= 5 ? null : 'rating must be an integer from 1 to 5';
    }
    default:
      return null;
  }
}
