/**
 * The shared vocabulary of an intervention: value lists as the specification gives them, each an
 * `as const` array and its union type. No imports: the workflow, the database, the API and the
 * web app all read these names from here.
 */
export const SERVICE_TYPES = [
  'hardware_repair',
  'software_troubleshooting',
  'network_configuration',
  'data_recovery',
  'security',
  'hardware_upgrade',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Internal statuses of a service request, in lifecycle order. */
export const REQUEST_STATUSES = [
  'new',
  'analysis',
  'awaiting_client_info',
  'specialist_review',
  'solution_proposed',
  'awaiting_planning',
  'scheduled',
  'in_progress',
  'awaiting_validation',
  'validated',
  'invoiced',
  'survey',
  'closed',
  'cancelled',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The five statuses a client sees (seed 002: Nouvelle demande → … → Fermé). */
export const CLIENT_STATUSES = ['new', 'in_analysis', 'solution_proposed', 'resolved', 'closed'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

const CLIENT_STATUS_OF: Record<RequestStatus, ClientStatus> = {
  new: 'new',
  analysis: 'in_analysis',
  awaiting_client_info: 'in_analysis',
  specialist_review: 'in_analysis',
  solution_proposed: 'solution_proposed',
  awaiting_planning: 'in_analysis',
  scheduled: 'in_analysis',
  in_progress: 'in_analysis',
  awaiting_validation: 'solution_proposed',
  validated: 'resolved',
  invoiced: 'resolved',
  survey: 'resolved',
  closed: 'closed',
  cancelled: 'closed',
};

/** Maps an internal status to the one the client sees. */
export function clientStatusOf(status: RequestStatus): ClientStatus {
  return CLIENT_STATUS_OF[status];
}

export const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export const CONTACT_MODES = ['email', 'phone', 'sms', 'portal'] as const;
export type ContactMode = (typeof CONTACT_MODES)[number];

export const ACTOR_TYPES = ['client', 'support', 'dispatcher', 'technician', 'finance', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
