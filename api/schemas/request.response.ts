/**
 * What the request, action, attachment and consent routes answer. The workflow's own outcomes
 * (live state, intake confirmation) are checked against the workflow contract's types, so the
 * schema cannot drift from what the workflow returns.
 */
import { z } from 'zod';
import type { IntakeConfirmation, InterventionState } from '../../workflows/intervention/intervention.contract.js';
import { actorType, clientStatus, instant, itemsOf, jsonObject, priority, requestStatus, serviceType } from './common.response.js';

const slaState = z.object({
  responseDueAt: instant.nullable(),
  resolutionDueAt: instant.nullable(),
  respondedAt: instant.nullable(),
  pausedAt: instant.nullable(),
  pausesWhenWaiting: z.boolean(),
  escalated: z.array(z.enum(['response_at_risk', 'response_breached', 'resolution_at_risk', 'resolution_breached'])),
});

/** The live state of an intervention (the workflow's `getState` query, the outcome of every action). */
export const interventionStateSchema = z
  .object({
    ticketNumber: z.string(),
    requestId: z.string().nullable(),
    status: requestStatus,
    clientStatus,
    priority,
    priorityReason: z.string().nullable(),
    supportLevel: z.number(),
    specialistGroup: z.string().nullable(),
    estimatedInterventionAt: instant.nullable(),
    sla: slaState,
    assignment: z
      .object({
        assignmentId: z.string(),
        technicianId: z.string(),
        technicianName: z.string(),
        start: instant,
        end: instant,
        source: z.enum(['optimizer', 'dispatcher']),
      })
      .nullable(),
    openVisitId: z.string().nullable(),
    visits: z.number(),
    logEntries: z.number(),
    reportSubmitted: z.boolean(),
    validationRejections: z.number(),
    invoiceNumber: z.string().nullable(),
    survey: z.object({ rating: z.number(), comment: z.string().nullable() }).nullable(),
    cancelReason: z.string().nullable(),
    history: z.array(z.object({ at: instant, from: requestStatus.nullable(), to: requestStatus, actor: actorType })),
  })
  .meta({ id: 'InterventionState' }) satisfies z.ZodType<InterventionState>;

const attachmentSummary = z.object({ kind: z.enum(['photo', 'diagnostic_bundle']), filename: z.string(), sizeBytes: z.number() });

const intakeConfirmation = z.object({
  requestId: z.string(),
  ticketNumber: z.string(),
  status: requestStatus,
  clientStatus,
  priority,
  priorityReason: z.string().nullable(),
  responseDueAt: instant.nullable(),
  resolutionDueAt: instant.nullable(),
  estimatedInterventionAt: instant.nullable(),
}) satisfies z.ZodType<IntakeConfirmation>;

/** 201: the workflow confirmed the intake. */
export const intakeConfirmedSchema = intakeConfirmation
  .extend({ workflowId: z.string(), attachments: z.array(attachmentSummary) })
  .meta({ id: 'IntakeConfirmed' });

/** 202: registered and started, not confirmed yet (no worker answered in time). */
export const intakeRegisteredSchema = z
  .object({
    ticketNumber: z.string(),
    workflowId: z.string(),
    status: z.literal('new'),
    clientStatus,
    priority,
    priorityReason: z.string(),
    confirmed: z.literal(false),
    message: z.string(),
    attachments: z.array(attachmentSummary),
  })
  .meta({ id: 'IntakeRegistered' });

/** Exactly what a diagnostic bundle would send (sensitive values redacted unless consented). */
export const diagnosticBundleSchema = z
  .object({
    level: z.enum(['essential', 'complete']),
    includeSensitive: z.boolean(),
    systemInfo: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    errorLog: z.string(),
    /** How many values were redacted, per kind. */
    redactions: z.record(z.string(), z.number()),
    sizeBytes: z.number(),
  })
  .meta({ id: 'DiagnosticBundle' });

export const requestListItemSchema = z
  .object({
    id: z.string(),
    ticketNumber: z.string(),
    workflowId: z.string(),
    clientId: z.string(),
    companyName: z.string(),
    locationName: z.string(),
    city: z.string(),
    serviceType,
    title: z.string(),
    priority,
    status: requestStatus,
    clientStatus,
    responseDueAt: instant.nullable(),
    resolutionDueAt: instant.nullable(),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'RequestListItem' });

export const requestListSchema = itemsOf(requestListItemSchema);

/** A service request as stored (the read model). */
export const serviceRequestSchema = z
  .object({
    id: z.string(),
    ticketNumber: z.string(),
    workflowId: z.string(),
    clientId: z.string(),
    locationId: z.string(),
    contractId: z.string().nullable(),
    assetId: z.string().nullable(),
    requesterContactId: z.string().nullable(),
    serviceType,
    deviceDetails: jsonObject,
    locationDetails: jsonObject,
    contactDetails: jsonObject,
    department: z.string().nullable(),
    title: z.string(),
    description: z.string(),
    businessImpact: z.string(),
    impactLevel: z.enum(['low', 'medium', 'high', 'critical']),
    urgency: z.enum(['low', 'medium', 'high', 'critical']),
    attemptedSolutions: z.string().nullable(),
    priority,
    priorityReason: z.string().nullable(),
    supportLevel: z.number(),
    specialistGroup: z.string().nullable(),
    status: requestStatus,
    clientStatus,
    sla: jsonObject,
    responseDueAt: instant.nullable(),
    resolutionDueAt: instant.nullable(),
    estimatedInterventionAt: instant.nullable(),
    createdAt: instant,
    acknowledgedAt: instant.nullable(),
    firstResponseAt: instant.nullable(),
    resolvedAt: instant.nullable(),
    closedAt: instant.nullable(),
    cancelledAt: instant.nullable(),
    anonymisedAt: instant.nullable(),
    updatedAt: instant,
  })
  .meta({ id: 'ServiceRequest' });

/** One entry of a request's timeline; `details` holds its facts for the page to localise. */
export const requestEventSchema = z
  .object({
    id: z.number(),
    kind: z.string(),
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    actorType,
    actorId: z.string().nullable(),
    message: z.string().nullable(),
    payload: jsonObject,
    details: jsonObject.nullable(),
    createdAt: instant,
  })
  .meta({ id: 'RequestEvent' });

export const requestDetailSchema = z
  .object({
    request: serviceRequestSchema,
    timeline: z.array(requestEventSchema),
    report: z.object({ summary: z.string(), recommendations: z.array(z.string()), createdAt: instant }).nullable(),
  })
  .meta({ id: 'RequestDetail' });

/** A live intervention as Temporal visibility lists it (search attributes). */
const liveInterventionSchema = z.object({
  workflowId: z.string(),
  ticketNumber: z.string().nullable(),
  status: z.string().nullable(),
  priority: z.string().nullable(),
  clientId: z.string().nullable(),
  technicianId: z.string().nullable(),
  running: z.boolean(),
  startTime: instant,
});
export type LiveIntervention = z.output<typeof liveInterventionSchema>;
export const liveInterventionListSchema = itemsOf(liveInterventionSchema);

export const attachmentListSchema = itemsOf(
  z
    .object({
      id: z.string(),
      kind: z.enum(['photo', 'diagnostic_bundle', 'report', 'other']),
      filename: z.string(),
      contentType: z.string(),
      sizeBytes: z.number(),
      sha256: z.string(),
      createdAt: instant,
      href: z.string(),
    })
    .meta({ id: 'Attachment' }),
);

export const consentSchema = z
  .object({
    id: z.string(),
    requestId: z.string(),
    subjectEmail: z.string(),
    purpose: z.literal('diagnostic_data'),
    granted: z.boolean(),
    recordedByUserId: z.string().nullable(),
    ip: z.string().nullable(),
    recordedAt: instant,
  })
  .meta({ id: 'Consent' });

export const consentListSchema = itemsOf(consentSchema);
