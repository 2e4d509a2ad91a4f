import { createHash } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  findIntakeKey,
  lockIntakeKey,
  recordIntakeKey,
  stageIntakeAttachments,
} from '../../db/repositories/intake-attachments.repository.js';
import {
  allocateTicketNumber,
  findLatestReport,
  findRequestByTicket,
  listRequestEvents,
  listRequests,
} from '../../db/repositories/requests.repository.js';
import {
  INTERVENTION_TASK_QUEUE,
  cancelUpdate,
  clientStatusOf,
  confirmIntakeUpdate,
  getStateQuery,
  interventionWorkflowId,
  type InterventionInput,
  type InterventionPolicy,
  type RequestStatus,
} from '../../workflows/intervention/intervention.contract.js';
import { priorityFor } from '../../workflows/intervention/intervention.priority.js';
import { buildDiagnosticBundle } from '../intake/diagnostic-bundle.js';
import { HttpError, notFound } from '../errors.js';
import { route, type RouteContext, type RouteSpec } from '../routing.js';
import {
  DEFAULT_WAITS,
  TemporalWaitTimeout,
  idempotencyKeyOf,
  updateIdFor,
  withinBound,
  workerUnavailable,
  type TemporalWaits,
} from '../temporal-wait.js';
import {
  cancelSchema,
  createRequestSchema,
  diagnosticsSchema,
  type CreateRequestBody,
  PHOTO_TYPES,
  listRequestsQuerySchema,
  ticketParamSchema,
} from '../schemas/request.schema.js';
import {
  diagnosticBundleSchema,
  intakeConfirmedSchema,
  intakeRegisteredSchema,
  interventionStateSchema,
  requestDetailSchema,
  requestListSchema,
} from '../schemas/request.response.js';

export interface RequestsDeps {
  temporal: Client;
  taskQueue?: string;
  /** Policy durations passed to new interventions (tests shorten them). */
  interventionPolicy?: Partial<InterventionPolicy>;
  waits?: Partial<TemporalWaits>;
}

const MAGIC: Record<(typeof PHOTO_TYPES)[number], (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/** Decodes the photos and checks each one is what its type says (400 naming the photo otherwise). */
function decodePhotos(photos: CreateRequestBody['photos']) {
  return (photos ?? []).map((photo, index) => {
    const content = Buffer.from(photo.dataBase64, 'base64');
    if (!MAGIC[photo.contentType](content)) {
      const field = `photos.${index}.dataBase64`;
      throw new HttpError(400, 'validation_failed', `${field}: content is not ${photo.contentType}`, [
        { field, message: `content is not ${photo.contentType}` },
      ]);
    }
    return { kind: 'photo' as const, filename: photo.filename, contentType: photo.contentType, content };
  });
}

const STAFF = ['support_agent', 'dispatcher', 'admin'] as const;
const CLIENTS_AND_STAFF = ['client_user', 'client_admin', ...STAFF] as const;

export function requestRoutes({ temporal, taskQueue = INTERVENTION_TASK_QUEUE, interventionPolicy, waits }: RequestsDeps): RouteSpec[] {
  const intakeConfirmMs = waits?.intakeConfirmMs ?? DEFAULT_WAITS.intakeConfirmMs;
  const actionMs = waits?.actionMs ?? DEFAULT_WAITS.actionMs;
  /**
   * Runs an update on a live intervention, for at most ACTION_TIMEOUT_MS (then 503). A finished
   * workflow answers "not found": when the request exists, that is a 409 (it accepts no more
   * actions), not a 404.
   */
  async function onLiveIntervention<T>(
    scoped: RouteContext<unknown, unknown, unknown>['scoped'],
    ticket: string,
    keyed: boolean,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await withinBound(temporal, actionMs, run);
    } catch (err) {
      if (err instanceof TemporalWaitTimeout) throw workerUnavailable(`the action on ${ticket} was sent`, keyed);
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const request = await scoped((db) => findRequestByTicket(db, ticket));
      if (!request) throw notFound(`request ${ticket}`);
      throw new HttpError(409, 'invalid_transition', `intervention ${ticket} is ${request.status} and accepts no more actions`);
    }
  }

  return [
    route({
      method: 'post',
      path: '/requests',
      tag: 'requests',
      summary: 'Submit a service request; returns the ticket number, priority and status at once',
      access: CLIENTS_AND_STAFF,
      body: createRequestSchema,
      // Up to 5 photos of 5 MB each, base64-encoded (4/3 larger), plus the diagnostics.
      bodyLimit: '36mb',
      responses: {
        201: 'Intake confirmation (ticket, priority and reason, SLA deadlines, estimated intervention time)',
        202: 'Registered, not yet confirmed (no worker answered within INTAKE_CONFIRM_TIMEOUT_MS): ticket, priority, client status; the confirmation follows by email',
        400: 'Invalid field (or Idempotency-Key header)',
        409: 'This Idempotency-Key was used by this account for a different request',
        422: 'Unknown site or contract for this client',
        503: 'The workflow engine does not answer',
      },
      response: { 201: intakeConfirmedSchema, 202: intakeRegisteredSchema },
      transaction: 'steps',
      async handler({ req, body, res, scoped, principal }) {
        // Idempotency-Key: a client whose connection dropped resubmits with the same key and gets
        // the ticket it already has (same workflow, same files), never a second one.
        const key = idempotencyKeyOf(req);
        const keyId = key === undefined ? undefined : updateIdFor(key, 'requests/intake', principal);
        // The parsed body has the schema's key order, so the same request hashes the same.
        const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
        // First step, committed before Temporal is called: checks, the ticket number and the
        // files. Whatever happens to the workflow start or the worker afterwards, the photos and
        // the diagnostic bundle are stored (staged under the ticket number; the workflow's intake
        // activity moves them onto the request it writes).
        const prepared = await scoped(async (db) => {
          let earlier: { ticketNumber: string; createdAt: Date } | undefined;
          if (keyId !== undefined) {
            await lockIntakeKey(db, keyId);
            const found = await findIntakeKey(db, keyId);
            if (found && found.requestHash !== requestHash) {
              throw new HttpError(
                409,
                'conflict',
                `Idempotency-Key: already used for request ${found.ticketNumber} with a different body`,
                [{ field: 'Idempotency-Key', message: `already used for request ${found.ticketNumber} with a different body` }],
              );
            }
            earlier = found;
          }
          const location = await db
            .selectFrom('clientLocations')
            .select(['id', 'name', 'addressLine1', 'postalCode', 'city'])
            .where('id', '=', body.locationId)
            .where('clientId', '=', body.clientId)
            .executeTakeFirst();
          if (!location) {
            throw new HttpError(422, 'validation_failed', 'locationId: no such site for this client', [
              { field: 'locationId', message: 'no such site for this client' },
            ]);
          }
          const photos = decodePhotos(body.photos);
          const diagnostic = body.diagnostics ? buildDiagnosticBundle(body.diagnostics) : null;
          const contract = body.contractId
            ? await db
                .selectFrom('contracts')
                .select(['id', 'kind'])
                .where('id', '=', body.contractId)
                .where('clientId', '=', body.clientId)
                .executeTakeFirst()
            : null;
          if (body.contractId && !contract) {
            throw new HttpError(422, 'validation_failed', 'contractId: no such contract for this client', [
              { field: 'contractId', message: 'no such contract for this client' },
            ]);
          }
          // Attachments are too large for workflow payloads (claim check).
          const files = [
            ...photos,
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
          // A retry: the ticket, its files and its submission time are those of the first attempt.
          // An intervention that has ended is answered from the read model without asking Temporal,
          // which may have deleted its closed workflow by then (namespace retention) and would
          // otherwise start a second one.
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
        const { location, diagnostic, contract, ticketNumber, files, submittedAt, ended } = prepared;
        const attachments = files.map((f) => ({ kind: f.kind, filename: f.filename, sizeBytes: f.content.length }));
        const workflowId = interventionWorkflowId(ticketNumber);
        res.location(`/api/requests/${ticketNumber}`);
        const answerFromReadModel = (request: NonNullable<Awaited<ReturnType<typeof findRequestByTicket>>>) =>
          res.status(201).json({
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
          });
        if (ended) {
          answerFromReadModel(ended);
          return;
        }
        const { priority, reason } = priorityFor(body.problem.impactLevel, body.problem.urgency, contract ?? null);
        const input: InterventionInput = {
          ticketNumber,
          clientId: body.clientId,
          locationId: body.locationId,
          contractId: body.contractId ?? null,
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
          locationDetails: { ...location, ...(body.location ?? {}) },
          contactDetails: body.contact,
          priority,
          priorityReason: reason,
          submittedAt,
          ...(interventionPolicy ? { policy: interventionPolicy } : {}),
        };
        const startOptions = { workflowId, taskQueue, args: [input] as [InterventionInput] };
        // Keyed: every attempt starts the workflow if it is not running yet (the first attempt may
        // have stopped before) and joins one update (Temporal dedupes by update id); a finished
        // workflow is never started again (REJECT_DUPLICATE), its request is answered from the read model.
        const keyedStart =
          keyId === undefined
            ? { workflowIdConflictPolicy: 'FAIL' as const }
            : { workflowIdConflictPolicy: 'USE_EXISTING' as const, workflowIdReusePolicy: 'REJECT_DUPLICATE' as const };
        try {
          const confirmation = await withinBound(temporal, intakeConfirmMs, () =>
            temporal.workflow.executeUpdateWithStart(confirmIntakeUpdate, {
              startWorkflowOperation: new WithStartWorkflowOperation('interventionWorkflow', { ...startOptions, ...keyedStart }),
              ...(keyId !== undefined ? { updateId: keyId } : {}),
            }),
          );
          res.status(201).json({ ...confirmation, workflowId, attachments });
          return;
        } catch (err) {
          if (keyId !== undefined && err instanceof WorkflowExecutionAlreadyStartedError) {
            // A retry after the intervention finished: its confirmation is in the read model.
            const request = await scoped((db) => findRequestByTicket(db, ticketNumber));
            if (!request) throw err;
            answerFromReadModel(request);
            return;
          }
          if (!(err instanceof TemporalWaitTimeout)) throw err;
        }
        // No confirmation in time: no worker has run the intake yet. The start itself needs no
        // worker; it is made sure of here (a no-op when the first call got through), then the
        // workflow confirms by email whenever a worker picks it up.
        try {
          await withinBound(temporal, intakeConfirmMs, () =>
            temporal.workflow.start('interventionWorkflow', { ...startOptions, ...keyedStart, workflowIdConflictPolicy: 'USE_EXISTING' }),
          );
        } catch (err) {
          if (!(err instanceof TemporalWaitTimeout)) throw err;
          throw new HttpError(
            503,
            'service_unavailable',
            keyId === undefined
              ? `the workflow engine does not answer: request ${ticketNumber} may not be registered; check GET /api/requests/${ticketNumber} later before submitting again`
              : `the workflow engine does not answer: request ${ticketNumber} may not be registered yet; retry with the same Idempotency-Key, which answers with this ticket`,
            undefined,
            30,
          );
        }
        res.status(202).json({
          ticketNumber,
          workflowId,
          status: 'new',
          clientStatus: clientStatusOf('new'),
          priority,
          priorityReason: reason,
          confirmed: false,
          message: `Request ${ticketNumber} is registered (priority ${priority}). Its confirmation, with the estimated intervention time, follows by email.`,
          attachments,
        });
      },
    }),
    route({
      method: 'post',
      path: '/requests/diagnostic-preview',
      tag: 'requests',
      summary: 'Exactly what the diagnostic bundle would send, for a level, with sensitive data redacted unless consented',
      access: CLIENTS_AND_STAFF,
      body: diagnosticsSchema,
      // An error log of up to 200 000 characters, JSON-escaped.
      bodyLimit: '4mb',
      response: { 200: diagnosticBundleSchema },
      async handler({ body, res }) {
        res.json(buildDiagnosticBundle(body));
      },
    }),
    route({
      method: 'get',
      path: '/requests',
      tag: 'requests',
      summary: 'List service requests (read model), newest first',
      access: [...CLIENTS_AND_STAFF, 'technician', 'finance'],
      query: listRequestsQuerySchema,
      response: { 200: requestListSchema },
      async handler({ query, res, db }) {
        const rows = await listRequests(db, {
          ...(query.clientId ? { clientId: query.clientId } : {}),
          ...(query.status ? { status: query.status as RequestStatus } : {}),
          ...(query.priority ? { priority: query.priority } : {}),
          limit: query.limit,
          offset: query.offset,
        });
        res.json({ items: rows });
      },
    }),
    route({
      method: 'get',
      path: '/requests/:ticket',
      tag: 'requests',
      summary: 'A request with its timeline and its latest intervention report (summary, preventive recommendations)',
      audit: 'personal_data',
      access: [...CLIENTS_AND_STAFF, 'technician', 'finance'],
      params: ticketParamSchema,
      response: { 200: requestDetailSchema },
      async handler({ params, res, db }) {
        const request = await findRequestByTicket(db, params.ticket);
        if (!request) throw notFound(`request ${params.ticket}`);
        const timeline = await listRequestEvents(db, request.id);
        // The recommendations live only in the report row; the client reads them before validating.
        const report = (await findLatestReport(db, request.id)) ?? null;
        res.json({ request, timeline, report });
      },
    }),
    route({
      method: 'get',
      path: '/requests/:ticket/state',
      tag: 'requests',
      summary: 'Live workflow state (Temporal query)',
      access: [...CLIENTS_AND_STAFF, 'technician'],
      params: ticketParamSchema,
      responses: {
        200: 'The live state',
        503: 'No worker answered the query in time (the read model, GET /requests/:ticket, still answers)',
      },
      response: { 200: interventionStateSchema },
      transaction: 'steps',
      async handler({ params, res }) {
        // A query is answered by a worker: bounded like an action.
        try {
          res.json(
            await withinBound(temporal, actionMs, () =>
              temporal.workflow.getHandle(interventionWorkflowId(params.ticket)).query(getStateQuery),
            ),
          );
        } catch (err) {
          if (!(err instanceof TemporalWaitTimeout)) throw err;
          throw new HttpError(
            503,
            'worker_unavailable',
            `no answer from the workflow engine in time (worker unavailable): read GET /api/requests/${params.ticket} instead`,
            undefined,
            30,
          );
        }
      },
    }),
    route({
      method: 'post',
      path: '/requests/:ticket/cancel',
      tag: 'requests',
      summary: 'Cancel an intervention (refused once closed)',
      access: CLIENTS_AND_STAFF,
      params: ticketParamSchema,
      body: cancelSchema,
      responses: {
        200: 'New state',
        409: 'Not allowed in the current state',
        503: 'No answer from the workflows in time, outcome unknown; retry with the same Idempotency-Key',
      },
      response: { 200: interventionStateSchema },
      transaction: 'steps',
      async handler({ req, params, body, res, scoped, principal }) {
        const key = idempotencyKeyOf(req);
        const actor = principal?.role === 'client_user' || principal?.role === 'client_admin' ? 'client' : 'support';
        const state = await onLiveIntervention(scoped, params.ticket, key !== undefined, () =>
          temporal.workflow.getHandle(interventionWorkflowId(params.ticket)).executeUpdate(cancelUpdate, {
            args: [{ reason: body.reason, actor, ...(principal ? { actorId: principal.userId } : {}) }],
            ...(key ? { updateId: updateIdFor(key, `${params.ticket}/cancel`, principal) } : {}),
          }),
        );
        res.json(state);
      },
    }),
  ];
}
