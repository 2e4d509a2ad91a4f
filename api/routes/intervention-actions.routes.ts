/**
 * One route per action on a live intervention. Each sends a Temporal update whose validator
 * refuses what does not fit the current state (→ 409 invalid_transition, nothing changed); an
 * accepted action that cannot be carried out (unknown part, inactive technician) → 422. The
 * response is the intervention's new state.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/index.js';
import { findRequestByTicket } from '../../db/repositories/requests.repository.js';
import {
  assignUpdate,
  changePriorityUpdate,
  checkInUpdate,
  checkOutUpdate,
  clientAcceptUpdate,
  clientAnswerUpdate,
  clientRejectUpdate,
  escalateUpdate,
  InterventionFailure,
  interventionWorkflowId,
  logEntryUpdate,
  submitReportUpdate,
  surveyAnswerUpdate,
  triageUpdate,
  type Actor,
  type ActorType,
} from '../../workflows/intervention/intervention.contract.js';
import { HttpError, notFound } from '../errors.js';
import { route, type Principal, type Role, type RouteSpec } from '../routing.js';
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

export interface ActionDeps {
  temporal: Client;
}

const CLIENT: readonly Role[] = ['client_user', 'client_admin', 'admin'];
const SUPPORT: readonly Role[] = ['support_agent', 'admin'];
const DISPATCH: readonly Role[] = ['dispatcher', 'admin'];
const TECHNICIAN: readonly Role[] = ['technician', 'admin'];

const RESPONSES = { 200: 'The new state', 409: 'Not possible in the current state (nothing changed)', 422: 'Accepted but refused (unknown reference)' };

function actorOf(defaultActor: ActorType, principal: Principal | null): Actor {
  if (!principal) return { actor: defaultActor };
  // A technician's account acts as that technician: the workflow checks they are the one assigned.
  const technician = principal.role === 'technician' && principal.technicianId ? { actingTechnicianId: principal.technicianId } : {};
  return { actor: defaultActor, actorId: principal.userId, ...technician };
}

export function interventionActionRoutes({ temporal }: ActionDeps): RouteSpec[] {
  /** A finished workflow accepts no more actions: 409 when the request exists, else 404. */
  async function onLive<T>(db: Kysely<DB>, ticket: string, run: (h: WorkflowHandle) => Promise<T>): Promise<T> {
    try {
      return await run(temporal.workflow.getHandle(interventionWorkflowId(ticket)));
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === InterventionFailure.NotAssigned) {
        throw new HttpError(403, 'forbidden', err.cause.message);
      }
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const request = await findRequestByTicket(db, ticket);
      if (!request) throw notFound(`request ${ticket}`);
      throw new HttpError(409, 'invalid_transition', `intervention ${ticket} is ${request.status} and accepts no more actions`);
    }
  }

  function action<S extends z.ZodType>(spec: {
    path: string;
    summary: string;
    access: readonly Role[];
    body: S;
    actor: ActorType | ((body: z.infer<S>) => ActorType);
    send: (h: WorkflowHandle, args: z.infer<S> & Actor) => Promise<unknown>;
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
      async handler({ params, body, res, db, principal }) {
        const who = actorOf(typeof spec.actor === 'function' ? spec.actor(body) : spec.actor, principal);
        const state = await onLive(db, params.ticket, (h) => spec.send(h, { ...(body as object), ...who } as z.infer<S> & Actor));
        res.json(state);
      },
    });
  }

  return [
    action({ path: 'triage', summary: 'Analysis decision: intervene, ask the client, route to a specialist group, or propose a remote solution', access: SUPPORT, body: triageSchema, actor: 'support', send: (h, a) => h.executeUpdate(triageUpdate, { args: [a] }) }),
    action({ path: 'client-answer', summary: "The client's answer to a request for information (restarts the SLA clock)", access: CLIENT, body: clientAnswerSchema, actor: 'client', send: (h, a) => h.executeUpdate(clientAnswerUpdate, { args: [a] }) }),
    action({ path: 'priority', summary: 'Change the priority, with a reason', access: [...SUPPORT, 'dispatcher'], body: changePrioritySchema, actor: 'support', send: (h, a) => h.executeUpdate(changePriorityUpdate, { args: [a] }) }),
    action({
      path: 'assign',
      summary: 'Assign (or reassign) a technician and a slot, from a dispatcher or the daily plan',
      access: DISPATCH,
      body: assignSchema,
      actor: (b) => (b.source === 'optimizer' ? 'system' : 'dispatcher'),
      send: (h, a) => h.executeUpdate(assignUpdate, { args: [a] }),
    }),
    action({ path: 'check-in', summary: 'Technician checks in (on site or remote)', access: TECHNICIAN, body: checkInSchema, actor: 'technician', send: (h, a) => h.executeUpdate(checkInUpdate, { args: [a] }) }),
    action({ path: 'log', summary: 'Log a diagnosis, an action, a replaced part (catalogue SKU) or a validation test', access: TECHNICIAN, body: logEntrySchema, actor: 'technician', send: (h, a) => h.executeUpdate(logEntryUpdate, { args: [a] }) }),
    action({ path: 'check-out', summary: 'Technician checks out', access: TECHNICIAN, body: checkOutSchema, actor: 'technician', send: (h, a) => h.executeUpdate(checkOutUpdate, { args: [a] }) }),
    action({ path: 'escalate', summary: 'Escalate back to analysis, one support level up', access: TECHNICIAN, body: escalateSchema, actor: 'technician', send: (h, a) => h.executeUpdate(escalateUpdate, { args: [a] }) }),
    action({ path: 'report', summary: 'Submit the intervention report with preventive recommendations; asks the client to validate', access: TECHNICIAN, body: reportSchema, actor: 'technician', send: (h, a) => h.executeUpdate(submitReportUpdate, { args: [a] }) }),
    action({ path: 'accept', summary: 'The client accepts the work (or the proposed solution): billing follows', access: CLIENT, body: acceptSchema, actor: 'client', send: (h, a) => h.executeUpdate(clientAcceptUpdate, { args: [a] }) }),
    action({ path: 'reject', summary: 'The client rejects the work, with a reason: back to planning', access: CLIENT, body: rejectSchema, actor: 'client', send: (h, a) => h.executeUpdate(clientRejectUpdate, { args: [a] }) }),
    action({ path: 'survey', summary: 'Answer the satisfaction survey (1–5, comment)', access: CLIENT, body: surveySchema, actor: 'client', send: (h, a) => h.executeUpdate(surveyAnswerUpdate, { args: [a] }) }),
    route({
      method: 'get',
      path: '/interventions',
      tag: 'actions',
      summary: 'Live interventions from Temporal visibility, by status, priority, client or technician (search attributes)',
      access: ['support_agent', 'dispatcher', 'admin'],
      query: liveListQuerySchema,
      async handler({ query, res }) {
        // Values are validated (enum, uuid, [a-z_]) before they reach the visibility query.
        const clauses = ["WorkflowType = 'interventionWorkflow'"];
        if (query.status) clauses.push(`InterventionStatus = '${query.status}'`);
        if (query.priority) clauses.push(`Priority = '${query.priority}'`);
        if (query.clientId) clauses.push(`ClientId = '${query.clientId}'`);
        if (query.technicianId) clauses.push(`TechnicianId = '${query.technicianId}'`);
        const items: Array<Record<string, unknown>> = [];
        for await (const wf of temporal.workflow.list({ query: clauses.join(' AND '), pageSize: query.limit })) {
          const sa = wf.searchAttributes as Record<string, unknown[] | undefined>;
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
