import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ActorType, AssignmentStatus, ClientStatus, Level, Priority, RequestStatus, ServiceType } from './enums.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, T | string | undefined, T | string>;

export interface ServiceRequestsTable {
  id: Generated<string>;
  ticketNumber: string;
  workflowId: string;
  clientId: string;
  locationId: string;
  contractId: string | null;
  assetId: string | null;
  requesterContactId: string | null;
  serviceType: ServiceType;
  deviceDetails: Json<Record<string, unknown>>;
  locationDetails: Json<Record<string, unknown>>;
  contactDetails: Json<Record<string, unknown>>;
  department: string | null;
  title: string;
  description: string;
  businessImpact: string;
  impactLevel: Level;
  urgency: Level;
  attemptedSolutions: string | null;
  priority: Priority;
  priorityReason: string | null;
  supportLevel: Generated<number>;
  specialistGroup: string | null;
  status: ColumnType<RequestStatus, RequestStatus | undefined, RequestStatus>;
  clientStatus: ColumnType<ClientStatus, ClientStatus | undefined, ClientStatus>;
  sla: Json<Record<string, unknown>>;
  responseDueAt: NullableTimestamp;
  resolutionDueAt: NullableTimestamp;
  estimatedInterventionAt: NullableTimestamp;
  /** The appointment window the client asked for or accepted (migration 0361). */
  appointmentFrom: NullableTimestamp;
  appointmentTo: NullableTimestamp;
  createdAt: CreatedAt;
  acknowledgedAt: NullableTimestamp;
  firstResponseAt: NullableTimestamp;
  resolvedAt: NullableTimestamp;
  closedAt: NullableTimestamp;
  cancelledAt: NullableTimestamp;
  /** Set by the retention run once personal data was removed. */
  anonymisedAt: NullableTimestamp;
  updatedAt: Timestamp;
}

export interface RequestAttachmentsTable {
  id: Generated<string>;
  requestId: string;
  kind: 'photo' | 'diagnostic_bundle' | 'report' | 'other';
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  content: Buffer;
  /** The account that provided it (intake caller); null for files written by the platform. */
  uploadedByUserId: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
}

/**
 * Files of an intake stored before the workflow writes the request (migration 0100); the intake
 * activity moves them into request_attachments.
 */
export interface IntakeAttachmentsTable {
  id: Generated<string>;
  ticketNumber: string;
  clientId: string;
  kind: 'photo' | 'diagnostic_bundle';
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  content: Buffer;
  uploadedByUserId: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
}

export type NewIntakeAttachmentRow = Insertable<IntakeAttachmentsTable>;

/** The account that took a ticket number at intake (migration 0145); null once erased, or for the platform's own. */
export interface TicketSubmittersTable {
  ticketNumber: string;
  /** Defaults to the caller of the API's scoped transaction (app_user_id()). */
  userId: ColumnType<string | null, never, never>;
  createdAt: CreatedAt;
}

/** An intake's Idempotency-Key (digest with the account) → its ticket (migration 0130). */
export interface IntakeIdempotencyKeysTable {
  id: string;
  userId: string | null;
  clientId: string;
  ticketNumber: string;
  /** Digest of the request body: the same key with another body is refused. */
  requestHash: string;
  createdAt: CreatedAt;
}

export type NewIntakeIdempotencyKeyRow = Insertable<IntakeIdempotencyKeysTable>;

export interface AssignmentsTable {
  id: Generated<string>;
  requestId: string;
  technicianId: string;
  scheduledStart: ColumnType<Date, Date | string, Date | string>;
  scheduledEnd: ColumnType<Date, Date | string, Date | string>;
  priority: Priority;
  notes: string | null;
  status: ColumnType<AssignmentStatus, AssignmentStatus | undefined, AssignmentStatus>;
  source: 'optimizer' | 'dispatcher';
  pinned: Generated<boolean>;
  travelMinutes: number | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface RequestEventsTable {
  /** bigserial, read as a number (db/client.ts parses int8). */
  id: Generated<number>;
  requestId: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorType: ActorType;
  actorId: string | null;
  message: string | null;
  payload: Json<Record<string, unknown>>;
  /** The entry's facts as data, for the page to localize; null on entries written before it existed. */
  details: ColumnType<
    Record<string, unknown> | null,
    Record<string, unknown> | string | null | undefined,
    Record<string, unknown> | string | null
  >;
  idempotencyKey: string;
  createdAt: CreatedAt;
}

export type ServiceRequestRow = Selectable<ServiceRequestsTable>;
export type NewServiceRequestRow = Insertable<ServiceRequestsTable>;
export type ServiceRequestRowUpdate = Updateable<ServiceRequestsTable>;
export type AssignmentRow = Selectable<AssignmentsTable>;
export type RequestEventRow = Selectable<RequestEventsTable>;
export type RequestAttachmentRow = Selectable<RequestAttachmentsTable>;
