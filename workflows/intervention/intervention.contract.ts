/**
 * The contract of the intervention workflow: its id, task queue, input, state and messages.
 * Side-effect free; the API, activities, tests and worker import names from here.
 */
import { SearchAttributeType, defineSearchAttributeKey, type UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActorType, ClientStatus, Priority, RequestStatus, ServiceType } from './intervention.vocabulary.js';

export * from './intervention.vocabulary.js';

export const INTERVENTION_TASK_QUEUE = 'interventions';

/** Workflow id of an intervention, derived from its ticket number (one workflow per ticket). */
export function interventionWorkflowId(ticketNumber: string): string {
  return `intervention-${ticketNumber}`;
}

/** The ticket number of an intervention's workflow id (the operations screen lists workflows). */
export function ticketNumberFromWorkflowId(workflowId: string): string {
  return workflowId.replace(/^intervention-/, '');
}

/** What the intake form collected, already validated by the API. */
export interface InterventionInput {
  ticketNumber: string;
  clientId: string;
  locationId: string;
  contractId: string | null;
  assetId: string | null;
  requesterContactId: string | null;
  serviceType: ServiceType;
  title: string;
  description: string;
  businessImpact: string;
  impactLevel: 'low' | 'medium' | 'high' | 'critical';
  urgency: 'low' | 'medium' | 'high' | 'critical';
  attemptedSolutions: string | null;
  department: string | null;
  deviceDetails: Record<string, unknown>;
  locationDetails: Record<string, unknown>;
  contactDetails: Record<string, unknown>;
  priority: Priority;
  priorityReason?: string | null;
  submittedAt: string;
  /** The appointment window the client asked for or accepted (ISO instants); absent: none. */
  appointmentWindow?: { from: string; to: string } | null;
  policy?: Partial<InterventionPolicy>;
}

/**
 * Policy durations, in milliseconds. Production defaults below; tests pass seconds. `slaTimeScale`
 * shrinks the contract's SLA clock (1 in production; 1/60 turns an SLA minute into a second).
 */
export interface InterventionPolicy {
  /** Fraction of an SLA window after which the deadline is "at risk" (0–1). */
  slaRiskRatio: number;
  slaTimeScale: number;
  /** Reminder to the client while support waits for information. */
  infoReminderMs: number;
  /** Reminders to validate the work: interval and how many before support is alerted. */
  validationReminderMs: number;
  validationReminderCount: number;
  /** Survey: a reminder, then the workflow ends without an answer at the deadline. */
  surveyReminderMs: number;
  surveyDeadlineMs: number;
}

export const DEFAULT_POLICY: InterventionPolicy = {
  slaRiskRatio: 0.75,
  slaTimeScale: 1,
  infoReminderMs: 24 * 3600_000,
  validationReminderMs: 48 * 3600_000,
  validationReminderCount: 3,
  surveyReminderMs: 3 * 24 * 3600_000,
  surveyDeadlineMs: 14 * 24 * 3600_000,
};

export type SlaMilestone = 'response_at_risk' | 'response_breached' | 'resolution_at_risk' | 'resolution_breached';

export interface SlaState {
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  /** Set once support has answered (triage decision): the response deadline is then met or not. */
  respondedAt: string | null;
  pausedAt: string | null;
  pausesWhenWaiting: boolean;
  /** Milestones already escalated (each at most once). */
  escalated: SlaMilestone[];
}

export interface AssignmentInfo {
  assignmentId: string;
  technicianId: string;
  technicianName: string;
  start: string;
  end: string;
  source: 'optimizer' | 'dispatcher';
}

export interface InterventionState {
  ticketNumber: string;
  requestId: string | null;
  status: RequestStatus;
  clientStatus: ClientStatus;
  priority: Priority;
  priorityReason: string | null;
  supportLevel: number;
  specialistGroup: string | null;
  estimatedInterventionAt: string | null;
  sla: SlaState;
  assignment: AssignmentInfo | null;
  /** The open site visit (checked in, not yet out). */
  openVisitId: string | null;
  visits: number;
  logEntries: number;
  reportSubmitted: boolean;
  validationRejections: number;
  invoiceNumber: string | null;
  survey: { rating: number; comment: string | null } | null;
  cancelReason: string | null;
  history: Array<{ at: string; from: RequestStatus | null; to: RequestStatus; actor: ActorType }>;
}

export interface IntakeConfirmation {
  requestId: string;
  ticketNumber: string;
  status: RequestStatus;
  clientStatus: ClientStatus;
  priority: Priority;
  priorityReason: string | null;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  estimatedInterventionAt: string | null;
}

/** Who performs an action (the API fills it from the principal). */
export interface Actor {
  actor: ActorType;
  actorId?: string;
  /**
   * Set when the caller is a technician's account: their on-site actions are refused unless they
   * are the technician currently assigned (a former one still sees the request, through their
   * visits, but no longer works on it). Absent for back-office accounts acting for a technician.
   */
  actingTechnicianId?: string;
}

export interface CancelCommand extends Actor {
  reason: string;
}

export type TriageDecision =
  | { decision: 'intervene'; note?: string }
  | { decision: 'request_info'; question: string }
  | { decision: 'route_specialist'; group: string; level?: number; note?: string }
  /**
   * `minutes`: the time support spent on the remote resolution, billed per the contract. The API
   * requires it; histories from before it was introduced carry none (nothing to bill).
   */
  | { decision: 'propose_remote'; solution: string; minutes?: number };
export type TriageCommand = Actor & TriageDecision;

/** Upper bound of the time declared for one remote resolution: beyond a day's work, plan a visit. */
export const REMOTE_SESSION_MAX_MINUTES = 480;

export interface ClientAnswerCommand extends Actor {
  answer: string;
}
export interface ChangePriorityCommand extends Actor {
  priority: Priority;
  reason: string;
}
export interface AssignCommand extends Actor {
  technicianId: string;
  start: string;
  end: string;
  notes?: string;
  /** Preparation for the visit: parts, tools, access. */
  preparation?: string;
  /** Parts to bring (catalogue SKU, quantity) and tools: listed in the technician's invite. */
  parts?: Array<{ sku: string; quantity: number }>;
  tools?: string[];
  source: 'optimizer' | 'dispatcher';
}
export interface CheckInCommand extends Actor {
  mode: 'on_site' | 'remote';
  travelKm?: number;
  at?: string;
}
export type LogEntryCommand = Actor &
  (
    | { kind: 'diagnosis' | 'action' | 'test'; text: string; passed?: boolean }
    | { kind: 'part'; sku: string; quantity: number; serialNumbers?: string[]; underWarranty?: boolean; text?: string }
  );
export interface CheckOutCommand extends Actor {
  at?: string;
}
export interface EscalateCommand extends Actor {
  reason: string;
}
export interface ReportCommand extends Actor {
  summary: string;
  recommendations: string[];
}
export interface ClientRejectCommand extends Actor {
  reason: string;
}
export interface SurveyAnswerCommand extends Actor {
  rating: number;
  comment?: string;
}

/**
 * The facts of a timeline entry as data (stored in `request_events.details`), so that the page can
 * say them in the reader's language: the technician's name, the slot as a date, the mode, the
 * rating. `message` keeps the free text users typed (reasons, notes, solutions) and is what older
 * entries, written before details existed, show.
 */
export type TimelineDetails =
  | { type: 'assignment'; technicianName: string; start: string; end: string; reassigned: boolean }
  | { type: 'check_in'; mode: CheckInCommand['mode'] }
  | { type: 'specialist'; group: string; level: number; note: string | null }
  | { type: 'escalation'; level: number; reason: string }
  /** `label`: the catalogue's name of the part, added by the activity that writes the entry. */
  | { type: 'part'; sku: string; quantity: number; label?: string; note: string | null }
  | { type: 'invoice'; number: string }
  | { type: 'survey'; rating: number }
  | { type: 'survey_unanswered' }
  /** `slaMilestone`: set when the SLA watch raised it (the reason is then the workflow's English). */
  | { type: 'priority'; from: Priority; to: Priority; reason: string; slaMilestone?: SlaMilestone }
  /** An SLA milestone reached: support alerted, and at a breach the priority or support level raised. */
  | { type: 'sla'; milestone: SlaMilestone; dueAt: string; priorityRaisedTo: Priority | null; supportLevelRaisedTo: number | null }
  /** `reason`: why billing had nothing to invoice; null when billing did not say (older failures). */
  | { type: 'not_billable'; reason: NotBillableReason | null }
  | { type: 'cancellation'; reason: string };

/**
 * Why an intervention reaching billing is not billable (billing's failure details): no visit, part
 * or billed remote time; remote time the contract does not bill; cancelled; a visit never checked out.
 */
export type NotBillableReason = 'nothing_to_invoice' | 'remote_not_billed' | 'cancelled' | 'open_visit' | 'other';

/** Read the live state of an intervention. */
export const getStateQuery = defineQuery<InterventionState>('getState');

/** Waits until intake is recorded and returns the confirmation (used with update-with-start). */
export const confirmIntakeUpdate = defineUpdate<IntakeConfirmation>('confirmIntake');

/** Cancels the intervention; refused once the client has accepted the work, or when closed. */
export const cancelUpdate = defineUpdate<InterventionState, [CancelCommand]>('cancel');

export const triageUpdate = defineUpdate<InterventionState, [TriageCommand]>('triage');
export const clientAnswerUpdate = defineUpdate<InterventionState, [ClientAnswerCommand]>('clientAnswer');
export const changePriorityUpdate = defineUpdate<InterventionState, [ChangePriorityCommand]>('changePriority');
export const assignUpdate = defineUpdate<InterventionState, [AssignCommand]>('assign');
export const checkInUpdate = defineUpdate<InterventionState, [CheckInCommand]>('checkIn');
export const logEntryUpdate = defineUpdate<InterventionState, [LogEntryCommand]>('logEntry');
export const checkOutUpdate = defineUpdate<InterventionState, [CheckOutCommand]>('checkOut');
export const escalateUpdate = defineUpdate<InterventionState, [EscalateCommand]>('escalate');
export const submitReportUpdate = defineUpdate<InterventionState, [ReportCommand]>('submitReport');
export const clientAcceptUpdate = defineUpdate<InterventionState, [Actor]>('clientAccept');
export const clientRejectUpdate = defineUpdate<InterventionState, [ClientRejectCommand]>('clientReject');
export const surveyAnswerUpdate = defineUpdate<InterventionState, [SurveyAnswerCommand]>('surveyAnswer');

/** The actions on an intervention: each kind with its arguments, sent as the update of that name. */
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

/** The update of each action: the map's type ties every kind to its arguments, so handlers need no cast. */
export const commandUpdates: { readonly [K in CommandKind]: UpdateDefinition<InterventionState, [Commands[K]]> } = {
  triage: triageUpdate,
  clientAnswer: clientAnswerUpdate,
  changePriority: changePriorityUpdate,
  assign: assignUpdate,
  checkIn: checkInUpdate,
  logEntry: logEntryUpdate,
  checkOut: checkOutUpdate,
  escalate: escalateUpdate,
  submitReport: submitReportUpdate,
  clientAccept: clientAcceptUpdate,
  clientReject: clientRejectUpdate,
  surveyAnswer: surveyAnswerUpdate,
  cancel: cancelUpdate,
};

/** Search attributes (registered on the server as Keyword): list interventions by them. */
export const SearchKeys = {
  status: defineSearchAttributeKey('InterventionStatus', SearchAttributeType.KEYWORD),
  priority: defineSearchAttributeKey('Priority', SearchAttributeType.KEYWORD),
  clientId: defineSearchAttributeKey('ClientId', SearchAttributeType.KEYWORD),
  technicianId: defineSearchAttributeKey('TechnicianId', SearchAttributeType.KEYWORD),
  ticketNumber: defineSearchAttributeKey('TicketNumber', SearchAttributeType.KEYWORD),
} as const;

/** Failure types thrown by the workflow and its activities (ApplicationFailure.type). */
export const InterventionFailure = {
  InvalidTransition: 'InvalidTransition',
  UnknownReference: 'UnknownReference',
  /** An accepted action that could not be carried out (unknown part, inactive technician…). */
  ActionFailed: 'ActionFailed',
  /** A technician's action on an intervention assigned to someone else (→ 403). */
  NotAssigned: 'NotAssigned',
} as const;
