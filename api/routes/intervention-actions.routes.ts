/**
 * One route per action on a live intervention. Each sends a Temporal update whose validator
 * refuses what does not fit the current state (→ 409 invalid_transition, nothing changed); an
 * accepted action that cannot be carried out (unknown part, inactive technician) → 422. The
 * response is the intervention's new state.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { z } from 'zod';
import {
  assignUpdate,
  changePriorityUpdate,
  checkInUpdate,
  checkOutUpdate,
  clientAcceptUpdate,
  clientAnswerUpdate,
  clientRejectUpdate,
  escalateUpdate,
  logEntryUpdate,
  submitReportUpdate,
  surveyAnswerUpdate,
  triageUpdate,
  type Actor,
  type ActorType,
  type InterventionState,
} from '../../workflows/intervention/intervention.contract.js';
import { route, type Principal, type Role, type RouteSpec, type Sendable } from '../routing.js';
import { DEFAULT_WAITS, idempotencyKeyOf, onLiveIntervention, updateIdFor, type TemporalWaits } from '../temporal-wait.js';
import {
  acceptSchema,
  assignSchema,
  changePrioritySchema,
  checkInSchema,
  checkOutSchema,
  clientAnswerSchema,
  escalateSchema,
  liveListQuerySchema,
  logEntrySchema,
  rejectSchema,
  reportSchema,
  surveySchema,
  triageSchema,
} from '../schemas/actions.schema.js';
import { ticketParamSchema } from '../schemas/request.schema.js';
import { interventionStateSchema, liveInterventionListSchema, type LiveIntervention } from '../schemas/request.response.js';

export interface ActionDeps {
  temporal: Client;
  waits?: Partial<TemporalWaits>;
}

/** What every update of an action is sent with: the id that makes a keyed retry safe. */
type UpdateOptions = { updateId?: string };

const CLIENT: readonly Role[] = ['client_user', 'client_admin', 'admin'];
const SUPPORT: readonly Role[] = ['support_agent', 'admin'];
const DISPATCH: readonly Role[] = ['dispatcher', 'admin'];
const TECHNICIAN: readonly Role[] = ['technician', 'admin'];

const RESPONSES = {
  200: 'The new state',
  409: 'Not possible in the current state (nothing changed)',
  422: 'Accepted but refused (unknown reference)',
  503: 'No answer from the workflows in time (worker unavailable), outcome unknown; Retry-After; retry with the same Idempotency-Key',
};

function actorOf(defaultActor: ActorType, principal: Principal | null): Actor {
  if (!principal) return { actor: defaultActor };
  // A technician's account acts as that technician: the workflow checks they are the one assigned.
  const technician = principal.role === 'technician' && principal.technicianId ? { actingTechnicianId: principal.technicianId } : {};
  return { actor: defaultActor, actorId: principal.userId, ...technician };
}

export function interventionActionRoutes({ temporal, waits }: ActionDeps): RouteSpec[] {
  const actionMs = waits?.actionMs ?? DEFAULT_WAITS.actionMs;
  function action<S extends z.ZodType>(spec: {
    path: string;
    summary: string;
    access: readonly Role[];
    body: S;
    actor: ActorType | ((body: z.infer<S>) => ActorType);
    send: (h: WorkflowHandle, args: z.infer<S> & Actor, options: UpdateOptions) => Promise<InterventionState>;
  }): RouteSpec {
    return route({
      method: 'post',
      path: `/requests/:ticket/${spec.path}`,
      tag: 'actions',
      summary: spec.summary,
      access: spec.access,
      params: ticketParamSchema,
      body: spec.body as z.ZodType<z.infer<S>>,
      responses: RESPONSES,
      response: { 200: interventionStateSchema },
      transaction: 'steps',
      async handler({ req, params, body, res, scoped, principal }) {
        const key = idempotencyKeyOf(req);
        const options: UpdateOptions = key ? { updateId: updateIdFor(key, `${params.ticket}/${spec.path}`, principal) } : {};
        const who = actorOf(typeof spec.actor === 'function' ? spec.actor(body) : spec.actor, principal);
        const state = await onLiveIntervention({ temporal, actionMs, scoped }, params.ticket, key !== undefined, (h) =>
          spec.send(h, { ...(body as object), ...who } as z.infer<S> & Actor, options),
        );
        res.json(state);
      },
    });
  }

  return [
    action({
      path: 'triage',
      summary: 'Analysis decision: intervene, ask the client, route to a specialist group, or propose a remote solution',
      access: SUPPORT,
      body: triageSchema,
      actor: 'support',
      send: (h, a, o) => h.executeUpdate(triageUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'client-answer',
      summary: "The client's answer to a request for information (restarts the SLA clock)",
      access: CLIENT,
      body: clientAnswerSchema,
      actor: 'client',
      send: (h, a, o) => h.executeUpdate(clientAnswerUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'priority',
      summary: 'Change the priority, with a reason',
      access: [...SUPPORT, 'dispatcher'],
      body: changePrioritySchema,
      actor: 'support',
      send: (h, a, o) => h.executeUpdate(changePriorityUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'assign',
      summary: 'Assign (or reassign) a technician and a slot, from a dispatcher or the daily plan',
      access: DISPATCH,
      body: assignSchema,
      actor: (b) => (b.source === 'optimizer' ? 'system' : 'dispatcher'),
      send: (h, a, o) => h.executeUpdate(assignUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'check-in',
      summary: 'Technician checks in (on site or remote)',
      access: TECHNICIAN,
      body: checkInSchema,
      actor: 'technician',
      send: (h, a, o) => h.executeUpdate(checkInUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'log',
      summary: 'Log a diagnosis, an action, a replaced part (catalogue SKU) or a validation test',
      access: TECHNICIAN,
      body: logEntrySchema,
      actor: 'technician',
      send: (h, a, o) => h.executeUpdate(logEntryUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'check-out',
      summary: 'Technician checks out',
      access: TECHNICIAN,
      body: checkOutSchema,
      actor: 'technician',
      send: (h, a, o) => h.executeUpdate(checkOutUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'escalate',
      summary: 'Escalate back to analysis, one support level up',
      access: TECHNICIAN,
      body: escalateSchema,
      actor: 'technician',
      send: (h, a, o) => h.executeUpdate(escalateUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'report',
      summary: 'Submit the intervention report with preventive recommendations; asks the client to validate',
      access: TECHNICIAN,
      body: reportSchema,
      actor: 'technician',
      send: (h, a, o) => h.executeUpdate(submitReportUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'accept',
      summary: 'The client accepts the work (or the proposed solution): billing follows',
      access: CLIENT,
      body: acceptSchema,
      actor: 'client',
      send: (h, a, o) => h.executeUpdate(clientAcceptUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'reject',
      summary: 'The client rejects the work, with a reason: back to planning',
      access: CLIENT,
      body: rejectSchema,
      actor: 'client',
      send: (h, a, o) => h.executeUpdate(clientRejectUpdate, { args: [a], ...o }),
    }),
    action({
      path: 'survey',
      summary: 'Answer the satisfaction survey (1–5, comment)',
      access: CLIENT,
      body: surveySchema,
      actor: 'client',
      send: (h, a, o) => h.executeUpdate(surveyAnswerUpdate, { args: [a], ...o }),
    }),
    route({
      method: 'get',
      path: '/interventions',
      tag: 'actions',
      summary: 'Live interventions from Temporal visibility, by status, priority, client or technician (search attributes)',
      access: ['support_agent', 'dispatcher', 'admin'],
      query: liveListQuerySchema,
      response: { 200: liveInterventionListSchema },
      async handler({ query, res }) {
        // Values are validated (enum, uuid, [a-z_]) before they reach the visibility query.
        const clauses = ["WorkflowType = 'interventionWorkflow'"];
        if (query.status) clauses.push(`InterventionStatus = '${query.status}'`);
        if (query.priority) clauses.push(`Priority = '${query.priority}'`);
        if (query.clientId) clauses.push(`ClientId = '${query.clientId}'`);
        if (query.technicianId) clauses.push(`TechnicianId = '${query.technicianId}'`);
        const items: Array<Sendable<LiveIntervention>> = [];
        for await (const wf of temporal.workflow.list({ query: clauses.join(' AND '), pageSize: query.limit })) {
          const sa = wf.searchAttributes as Record<string, string[] | undefined>;
          items.push({
            workflowId: wf.workflowId,
            ticketNumber: sa.TicketNumber?.[0] ?? null,
            status: sa.InterventionStatus?.[0] ?? null,
            priority: sa.Priority?.[0] ?? null,
            clientId: sa.ClientId?.[0] ?? null,
            technicianId: sa.TechnicianId?.[0] ?? null,
            running: wf.status.name === 'RUNNING',
            startTime: wf.startTime,
          });
          if (items.length >= query.limit) break;
        }
        res.json({ items });
      },
    }),
  ];
}
