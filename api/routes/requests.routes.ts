import type { Client } from '@temporalio/client';
import { findLatestReport, findRequestByTicket, listRequestEvents, listRequests } from '../../db/repositories/requests.repository.js';
import {
  INTERVENTION_TASK_QUEUE,
  cancelUpdate,
  getStateQuery,
  interventionWorkflowId,
  type InterventionPolicy,
  type RequestStatus,
} from '../../workflows/intervention/intervention.contract.js';
import { buildDiagnosticBundle } from '../intake/diagnostic-bundle.js';
import { submitRequest } from '../intake/submit-request.js';
import { HttpError, notFound } from '../errors.js';
import { route, type RouteSpec } from '../routing.js';
import {
  DEFAULT_WAITS,
  TemporalWaitTimeout,
  idempotencyKeyOf,
  onLiveIntervention,
  updateIdFor,
  withinBound,
  type TemporalWaits,
} from '../temporal-wait.js';
import {
  cancelSchema,
  createRequestSchema,
  diagnosticsSchema,
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

const STAFF = ['support_agent', 'dispatcher', 'admin'] as const;
const CLIENTS_AND_STAFF = ['client_user', 'client_admin', ...STAFF] as const;

export function requestRoutes({ temporal, taskQueue = INTERVENTION_TASK_QUEUE, interventionPolicy, waits }: RequestsDeps): RouteSpec[] {
  const intakeConfirmMs = waits?.intakeConfirmMs ?? DEFAULT_WAITS.intakeConfirmMs;
  const actionMs = waits?.actionMs ?? DEFAULT_WAITS.actionMs;
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
        422: 'Unknown client, site, contract, asset or requester contact for this client (named in fields)',
        503: 'The workflow engine does not answer',
      },
      response: { 201: intakeConfirmedSchema, 202: intakeRegisteredSchema },
      transaction: 'steps',
      async handler({ req, body, res, scoped, principal }) {
        const outcome = await submitRequest(
          { temporal, taskQueue, interventionPolicy, intakeConfirmMs },
          { body, principal, idempotencyKey: idempotencyKeyOf(req), scoped },
        );
        res.location(`/api/requests/${outcome.ticketNumber}`);
        res.status(outcome.status).json(outcome.body);
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
        const state = await onLiveIntervention({ temporal, actionMs, scoped }, params.ticket, key !== undefined, (handle) =>
          handle.executeUpdate(cancelUpdate, {
            args: [{ reason: body.reason, actor, ...(principal ? { actorId: principal.userId } : {}) }],
            ...(key ? { updateId: updateIdFor(key, `${params.ticket}/cancel`, principal) } : {}),
          }),
        );
        res.json(state);
      },
    }),
  ];
}
