/**
 * Monitoring integrations (issue 13): Prometheus Alertmanager's webhook, authenticated by a
 * company integration's bearer token, and the routes a company's admin (or staff) manage those
 * tokens with; support reads the alert groups behind a request (closing proposed or not).
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { alertGroupsOfTicket } from '../../db/repositories/monitoring.repository.js';
import { INTERVENTION_TASK_QUEUE, type InterventionPolicy } from '../../workflows/intervention/intervention.contract.js';
import { recordChange } from '../audit-trail.js';
import { receiveAlertmanager } from '../integrations/alertmanager.js';
import { createIntegration, integrationsOf, revokeIntegrationToken } from '../integrations/integrations.js';
import { route, type RouteSpec } from '../routing.js';
import { clientIdParamSchema } from '../schemas/auth.schema.js';
import { alertmanagerPayloadSchema, createIntegrationSchema, integrationIdParamSchema } from '../schemas/integrations.schema.js';
import {
  alertReceiptSchema,
  integrationCreatedSchema,
  integrationListSchema,
  requestAlertsSchema,
} from '../schemas/integrations.response.js';
import { ticketParamSchema } from '../schemas/request.schema.js';
import { DEFAULT_WAITS, type TemporalWaits } from '../temporal-wait.js';

const STAFF = ['support_agent', 'dispatcher', 'admin'] as const;
const MANAGERS = ['client_admin', 'support_agent', 'admin'] as const;

export interface IntegrationsDeps {
  db: Kysely<DB>;
  temporal: Client;
  taskQueue?: string;
  interventionPolicy?: Partial<InterventionPolicy>;
  waits?: Partial<TemporalWaits>;
}

export function integrationRoutes(deps: IntegrationsDeps): RouteSpec[] {
  const intakeConfirmMs = deps.waits?.intakeConfirmMs ?? DEFAULT_WAITS.intakeConfirmMs;
  return [
    route({
      method: 'post',
      path: '/integrations/alertmanager',
      tag: 'integrations',
      summary:
        'Prometheus Alertmanager webhook (payload version 4), `Authorization: Bearer fsi_…`: one request per open alert group, repeats on its timeline, resolution recorded (closing proposed when no visit started)',
      access: 'public',
      credential: 'integration_token',
      body: alertmanagerPayloadSchema,
      bodyLimit: '1mb',
      transaction: 'steps',
      // Each notification is on the request's timeline (and the integration's last use).
      audit: 'none',
      responses: { 200: 'Received', 401: 'No valid integration token' },
      response: { 200: alertReceiptSchema },
      async handler({ req, res, body }) {
        res.json(
          await receiveAlertmanager(
            {
              db: deps.db,
              temporal: deps.temporal,
              taskQueue: deps.taskQueue ?? INTERVENTION_TASK_QUEUE,
              intakeConfirmMs,
              interventionPolicy: deps.interventionPolicy,
            },
            req.headers.authorization,
            body,
          ),
        );
      },
    }),
    route({
      method: 'get',
      path: '/clients/:clientId/integrations',
      tag: 'integrations',
      summary: 'A company’s monitoring integrations (tokens never shown again)',
      access: MANAGERS,
      params: clientIdParamSchema,
      response: { 200: integrationListSchema },
      async handler({ res, db, params }) {
        res.json(await integrationsOf(db, params.clientId));
      },
    }),
    route({
      method: 'post',
      path: '/clients/:clientId/integrations',
      tag: 'integrations',
      summary: 'Create a monitoring integration: its bearer token is in this answer only (stored hashed)',
      access: MANAGERS,
      params: clientIdParamSchema,
      body: createIntegrationSchema,
      responses: { 201: 'Created', 422: 'A site of another company' },
      response: { 201: integrationCreatedSchema },
      async handler({ res, db, params, body, principal }) {
        res.status(201).json(await createIntegration(db, principal, params.clientId, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'delete',
      path: '/integrations/:integrationId',
      tag: 'integrations',
      summary: 'Revoke an integration’s token (refused with 401 from now on)',
      access: MANAGERS,
      params: integrationIdParamSchema,
      responses: { 204: 'Revoked', 404: 'No such active integration' },
      async handler({ res, db, params }) {
        await revokeIntegrationToken(db, params.integrationId, (c) => recordChange(res, c));
        res.status(204).end();
      },
    }),
    route({
      method: 'get',
      path: '/requests/:ticket/alerts',
      tag: 'integrations',
      summary: 'The monitoring alert groups behind a request: notifications, resolution, closing proposed to support',
      access: ['client_user', 'client_admin', ...STAFF],
      params: ticketParamSchema,
      response: { 200: requestAlertsSchema },
      async handler({ res, db, params }) {
        res.json({ items: await alertGroupsOfTicket(db, params.ticket) });
      },
    }),
  ];
}
