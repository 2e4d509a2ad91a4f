/**
 * The intake use case (POST /api/requests): a client, or support for a client, files a service
 * request and gets its ticket number, priority and status at once.
 *
 * Its order is what keeps its answers true:
 * 1. Everything the caller sent is checked first (text and schema by the route mounting; here
 *    every reference against the client the request is for, and the photos' content), so a
 *    refused request uses no ticket number and starts nothing.
 * 2. One short transaction then allocates the ticket number, stages the files (too large for
 *    workflow payloads: claim check) and records the Idempotency-Key, committed before Temporal
 *    is called: whatever happens to the workflow start or the worker afterwards, nothing sent is
 *    lost.
 * 3. The workflow is started and asked to confirm. From the moment it is started the answer says
 *    so: 201 with the confirmation, or 202 with the ticket number, never an error that hides a
 *    running intervention.
 */
import { createHash } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { findIntakeReferences } from '../../db/repositories/intake-references.repository.js';
import { findContractInForce } from '../../db/repositories/client-admin.repository.js';
import { parisToday } from '../calendar-day.js';
import {
  findIntakeKey,
  lockIntakeKey,
  recordIntakeKey,
  stageIntakeAttachments,
} from '../../db/repositories/intake-attachments.repository.js';
import { allocateTicketNumber, findRequestByTicket } from '../../db/repositories/requests.repository.js';
import {
  clientStatusOf,
  confirmIntakeUpdate,
  interventionWorkflowId,
  type InterventionInput,
  type InterventionPolicy,
} from '../../workflows/intervention/intervention.contract.js';
import { priorityFor } from '../../workflows/intervention/intervention.priority.js';
import { dependencyUnavailable, HttpError, type FieldError } from '../errors.js';
import type { Principal } from '../routing.js';
import type { CreateRequestBody } from '../schemas/request.schema.js';
import { TemporalUnavailableError, TemporalWaitTimeout, updateIdFor, withinBound } from '../temporal-wait.js';
import { UPLOAD_TYPES } from '../uploads.js';
import { buildDiagnosticBundle, type DiagnosticBundle } from './diagnostic-bundle.js';
import { intakeConfirmedSchema, intakeRegisteredSchema } from '../schemas/request.response.js';
import type { z } from 'zod';
import type { Sendable } from '../routing.js';

export interface SubmitRequestDeps {
  temporal: Client;
  taskQueue: string;
  /** Policy durations passed to new interventions (tests shorten them). */
  interventionPolicy?: Partial<InterventionPolicy> | undefined;
  /** How long to wait for the workflow's confirmation before answering 202 (INTAKE_CONFIRM_TIMEOUT_MS). */
  intakeConfirmMs: number;
}

export interface SubmitRequestCommand {
  body: CreateRequestBody;
  principal: Principal | null;
  /** The validated Idempotency-Key header, if any. */
  idempotencyKey: string | undefined;
  /** Runs `fn` in one short transaction scoped to the caller, committed when it returns. */
  scoped<T>(fn: (db: Kysely<DB>) => Promise<T>): Promise<T>;
}

/** What the intake answers: 201 (confirmed) or 202 (registered, confirmation to follow), with its body. */
export type SubmitRequestResult =
  { status: 201; ticketNumber: string; body: IntakeConfirmedBody } | { status: 202; ticketNumber: string; body: IntakeRegisteredBody };
type IntakeConfirmedBody = Sendable<z.output<typeof intakeConfirmedSchema>>;
type IntakeRegisteredBody = Sendable<z.output<typeof intakeRegisteredSchema>>;

const refused = (fields: FieldError[]) =>
  new HttpError(422, 'validation_failed', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);

/**
 * Every object the body refers to must be the client's own: an id of another company's object
 * is answered like an id that does not exist (422 naming each field), before anything is stored.
 */
async function checkReferences(db: Kysely<DB>, body: CreateRequestBody, principal: Principal | null) {
  const found = await findIntakeReferences(db, body);
  const fields: FieldError[] = [];
  // A client files for their own company only (row-level security agrees; this says it plainly).
  const ownClient = !principal?.clientId || principal.clientId === body.clientId;
  if (!found.client || !ownClient) fields.push({ field: 'clientId', message: 'no such client' });
  if (!found.location) fields.push({ field: 'locationId', message: 'no such site for this client' });
  if (body.contractId && !found.contract) fields.push({ field: 'contractId', message: 'no such contract for this client' });
  if (body.assetId && !found.asset) fields.push({ field: 'assetId', message: 'no such asset for this client' });
  if (body.requesterContactId && !found.contact) fields.push({ field: 'requesterContactId', message: 'no such contact for this client' });
  if (fields.length > 0) throw refused(fields);
  // No contract named: the request is filed under the client's contract in force today (its SLA
  // targets and coverage apply), as a client's user would expect from their company's contract.
  const contract = found.contract ?? (body.contractId ? null : ((await findContractInForce(db, body.clientId, parisToday())) ?? null));
  return { location: found.location!, contract };
}

/** Decodes the photos and checks each one is what its type says (400 naming the photo otherwise). */
function decodePhotos(photos: CreateRequestBody['photos']) {
  return (photos ?? []).map((photo, index) => {
    const content = Buffer.from(photo.dataBase64, 'base64');
    if (!UPLOAD_TYPES[photo.contentType](content)) {
      const field = `photos.${index}.dataBase64`;
      throw new HttpError(400, 'validation_failed', `${field}: content is not ${photo.contentType}`, [
        { field, message: `content is not ${photo.contentType}` },
      ]);
    }
    return { kind: 'photo' as const, filename: photo.filename, contentType: photo.contentType, content };
  });
}

/** The files of an intake: its photos and, when sent, its diagnostic bundle. */
function intakeFiles(body: CreateRequestBody, diagnostic: DiagnosticBundle | null) {
  return [
    ...decodePhotos(body.photos),
    ...(diagnostic
      ? [
          {
            kind: 'diagnostic_bundle' as const,
            filename: 'diagnostic.json',
            contentType: 'application/json',
            content: Buffer.from(JSON.stringify(diagnostic)),
          },
        ]
      : []),
  ];
}

function workflowInput(
  body: CreateRequestBody,
  prepared: {
    ticketNumber: string;
    submittedAt: string;
    location: Record<string, unknown>;
    diagnostic: DiagnosticBundle | null;
    contract: { id: string } | null;
  },
  priority: { priority: InterventionInput['priority']; reason: string },
  interventionPolicy: Partial<InterventionPolicy> | undefined,
): InterventionInput {
  const { diagnostic, submittedAt } = prepared;
  return {
    ticketNumber: prepared.ticketNumber,
    clientId: body.clientId,
    locationId: body.locationId,
    contractId: prepared.contract?.id ?? null,
    assetId: body.assetId ?? null,
    requesterContactId: body.requesterContactId ?? null,
    serviceType: body.serviceType,
    title: body.title,
    description: body.problem.nature,
    businessImpact: body.problem.businessImpact,
    impactLevel: body.problem.impactLevel,
    urgency: body.problem.urgency,
    attemptedSolutions: body.problem.attemptedSolutions ?? null,
    department: body.location?.department ?? null,
    deviceDetails: {
      ...(body.device ?? {}),
      ...(diagnostic
        ? {
            diagnostics: {
              level: diagnostic.level,
              includeSensitive: diagnostic.includeSensitive,
              consentAt: diagnostic.includeSensitive ? submittedAt : null,
            },
          }
        : {}),
    },
    locationDetails: { ...prepared.location, ...(body.location ?? {}) },
    contactDetails: body.contact,
    priority: priority.priority,
    priorityReason: priority.reason,
    submittedAt,
    ...(body.appointmentWindow ? { appointmentWindow: body.appointmentWindow } : {}),
    ...(interventionPolicy ? { policy: interventionPolicy } : {}),
  };
}

/** The least time the intake gives its second call (making sure the workflow is started) after the confirmation's wait. */
const START_CHECK_MS = 2_000;

/** 503 while Temporal cannot start the workflow: the ticket is taken, the workflow may not exist. */
function engineUnavailable(ticketNumber: string, keyed: boolean): HttpError {
  return dependencyUnavailable(
    'temporal',
    keyed
      ? `request ${ticketNumber} may not be registered yet; retry with the same Idempotency-Key, which answers with this ticket`
      : `request ${ticketNumber} may not be registered; check GET /api/requests/${ticketNumber} before submitting again`,
  );
}

export async function submitRequest(deps: SubmitRequestDeps, command: SubmitRequestCommand): Promise<SubmitRequestResult> {
  const { temporal, taskQueue, interventionPolicy, intakeConfirmMs } = deps;
  const { body, principal, idempotencyKey, scoped } = command;
  // Idempotency-Key: a client whose connection dropped resubmits with the same key and gets the
  // ticket it already has (same workflow, same files), never a second one.
  const keyId = idempotencyKey === undefined ? undefined : updateIdFor(idempotencyKey, 'requests/intake', principal);
  // The parsed body has the schema's key order, so the same request hashes the same.
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');

  const prepared = await scoped(async (db) => {
    let earlier: { ticketNumber: string; createdAt: Date } | undefined;
    if (keyId !== undefined) {
      await lockIntakeKey(db, keyId);
      const found = await findIntakeKey(db, keyId);
      if (found && found.requestHash !== requestHash) {
        throw new HttpError(409, 'conflict', `Idempotency-Key: already used for request ${found.ticketNumber} with a different body`, [
          { field: 'Idempotency-Key', message: `already used for request ${found.ticketNumber} with a different body` },
        ]);
      }
      earlier = found;
    }
    // Everything is checked before the ticket number is taken.
    const { location, contract } = await checkReferences(db, body, principal);
    const diagnostic = body.diagnostics ? buildDiagnosticBundle(body.diagnostics) : null;
    const files = intakeFiles(body, diagnostic);
    // A retry: the ticket, its files and its submission time are those of the first attempt. An
    // intervention that has ended is answered from the read model without asking Temporal, which
    // may have deleted its closed workflow by then (namespace retention) and would otherwise
    // start a second one.
    if (earlier) {
      const request = await findRequestByTicket(db, earlier.ticketNumber);
      const ended = request && (request.status === 'closed' || request.status === 'cancelled') ? request : null;
      return {
        location,
        diagnostic,
        contract,
        ticketNumber: earlier.ticketNumber,
        files,
        submittedAt: earlier.createdAt.toISOString(),
        ended,
      };
    }
    const ticketNumber = await allocateTicketNumber(db, new Date().getUTCFullYear());
    const submittedAt = new Date().toISOString();
    await stageIntakeAttachments(
      db,
      files.map((f) => ({
        ticketNumber,
        clientId: body.clientId,
        kind: f.kind,
        filename: f.filename,
        contentType: f.contentType,
        sizeBytes: f.content.length,
        sha256: createHash('sha256').update(f.content).digest('hex'),
        content: f.content,
        // Who provided it: the right of access (GDPR export) lists it for that person.
        uploadedByUserId: principal?.userId ?? null,
      })),
    );
    if (keyId !== undefined) {
      await recordIntakeKey(db, {
        id: keyId,
        userId: principal?.userId ?? null,
        clientId: body.clientId,
        ticketNumber,
        requestHash,
        createdAt: submittedAt,
      });
    }
    return { location, diagnostic, contract, ticketNumber, files, submittedAt, ended: null };
  });

  const { ticketNumber, files, ended } = prepared;
  const attachments = files.map((f) => ({ kind: f.kind, filename: f.filename, sizeBytes: f.content.length }));
  const workflowId = interventionWorkflowId(ticketNumber);
  const fromReadModel = (request: NonNullable<Awaited<ReturnType<typeof findRequestByTicket>>>): SubmitRequestResult => ({
    status: 201,
    ticketNumber,
    body: {
      requestId: request.id,
      ticketNumber,
      status: request.status,
      clientStatus: request.clientStatus,
      priority: request.priority,
      priorityReason: request.priorityReason,
      responseDueAt: request.responseDueAt,
      resolutionDueAt: request.resolutionDueAt,
      estimatedInterventionAt: request.estimatedInterventionAt,
      workflowId,
      attachments,
    },
  });
  if (ended) return fromReadModel(ended);

  const priority = priorityFor(body.problem.impactLevel, body.problem.urgency, prepared.contract);
  const registered = (message: string): SubmitRequestResult => ({
    status: 202,
    ticketNumber,
    body: {
      ticketNumber,
      workflowId,
      status: 'new',
      clientStatus: clientStatusOf('new'),
      priority: priority.priority,
      priorityReason: priority.reason,
      confirmed: false,
      message,
      attachments,
    },
  });
  const startOptions = {
    workflowId,
    taskQueue,
    args: [workflowInput(body, prepared, priority, interventionPolicy)] as [InterventionInput],
  };
  // Keyed: every attempt starts the workflow if it is not running yet (the first attempt may have
  // stopped before) and joins one update (Temporal dedupes by update id); a finished workflow is
  // never started again (REJECT_DUPLICATE), its request is answered from the read model.
  const keyedStart =
    keyId === undefined
      ? { workflowIdConflictPolicy: 'FAIL' as const }
      : { workflowIdConflictPolicy: 'USE_EXISTING' as const, workflowIdReusePolicy: 'REJECT_DUPLICATE' as const };
  const startOperation = new WithStartWorkflowOperation('interventionWorkflow', { ...startOptions, ...keyedStart });
  const waitStarted = Date.now();
  try {
    const confirmation = await withinBound(temporal, intakeConfirmMs, () =>
      temporal.workflow.executeUpdateWithStart(confirmIntakeUpdate, {
        startWorkflowOperation: startOperation,
        ...(keyId !== undefined ? { updateId: keyId } : {}),
      }),
    );
    return { status: 201, ticketNumber, body: { ...confirmation, workflowId, attachments } };
  } catch (err) {
    if (keyId !== undefined && err instanceof WorkflowExecutionAlreadyStartedError) {
      // A retry after the intervention finished: its confirmation is in the read model.
      const request = await scoped((db) => findRequestByTicket(db, ticketNumber));
      if (!request) throw err;
      return fromReadModel(request);
    }
    // Temporal cannot be reached: a second call would only fail the same way, later.
    if (err instanceof TemporalUnavailableError) throw engineUnavailable(ticketNumber, keyId !== undefined);
    if (!(err instanceof TemporalWaitTimeout)) {
      // The workflow was started but did not confirm (its update failed): the request exists,
      // and the answer must say so, whatever went wrong after the start.
      const started = await startOperation.workflowHandle().then(
        () => true,
        () => false,
      );
      if (started) {
        return registered(
          `Request ${ticketNumber} is registered (priority ${priority.priority}) but its confirmation could not be obtained; follow it at GET /api/requests/${ticketNumber}.`,
        );
      }
    }
  }
  // No confirmation in time (no worker has run the intake yet), or no start. The start itself
  // needs no worker; it is made sure of here (a no-op when the first call got through), then the
  // workflow confirms by email whenever a worker picks it up. It gets what is left of the bound,
  // and at least START_CHECK_MS.
  try {
    await withinBound(temporal, Math.max(START_CHECK_MS, intakeConfirmMs - (Date.now() - waitStarted)), () =>
      temporal.workflow.start('interventionWorkflow', { ...startOptions, ...keyedStart, workflowIdConflictPolicy: 'USE_EXISTING' }),
    );
  } catch {
    // Unreachable or refusing: the ticket is taken, the workflow may not be started.
    throw engineUnavailable(ticketNumber, keyId !== undefined);
  }
  return registered(
    `Request ${ticketNumber} is registered (priority ${priority.priority}). Its confirmation, with the estimated intervention time, follows by email.`,
  );
}
