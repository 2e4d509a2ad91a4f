import { listClientsWithSitesAndContracts, listTechniciansWithSkills } from '../../db/repositories/directory.repository.js';
import { z } from 'zod';
import { findMessageInvite, listMessages } from '../../db/repositories/messages.repository.js';
import { notFound } from '../errors.js';
import { searchParts } from '../../db/repositories/parts.repository.js';
import { route, type RouteSpec } from '../routing.js';
import { searchPartsQuerySchema } from '../schemas/parts.schema.js';
import { clientListSchema, outboxSchema, partPageSchema, technicianListSchema } from '../schemas/directory.response.js';

const STAFF = ['support_agent', 'dispatcher', 'admin'] as const;

/** Reference data the forms and boards need: clients with sites, technicians, parts, the outbox. */
export function directoryRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/clients',
      tag: 'directory',
      summary: 'Client companies with their sites and contracts',
      access: ['client_user', 'client_admin', ...STAFF, 'finance'],
      response: { 200: clientListSchema },
      async handler({ res, db }) {
        res.json({ items: await listClientsWithSitesAndContracts(db) });
      },
    }),
    route({
      method: 'get',
      path: '/technicians',
      tag: 'directory',
      summary: 'Technicians with their skills',
      // Names and home addresses: personal data.
      audit: 'personal_data',
      access: [...STAFF, 'technician'],
      response: { 200: technicianListSchema },
      async handler({ res, db }) {
        res.json({ items: await listTechniciansWithSkills(db) });
      },
    }),
    route({
      method: 'get',
      path: '/parts',
      tag: 'directory',
      summary: 'Active parts of the catalogue matching a search (reference or label), one page at a time',
      // Those who log or prepare the parts of a visit. The catalogue belongs to no tenant.
      access: ['technician', ...STAFF],
      query: searchPartsQuerySchema,
      response: { 200: partPageSchema },
      async handler({ query, res, db }) {
        const { items, total } = await searchParts(db, { ...(query.q ? { text: query.q } : {}), limit: query.limit, offset: query.offset });
        res.json({ items, total, limit: query.limit, offset: query.offset });
      },
    }),
    route({
      method: 'get',
      path: '/outbox',
      tag: 'messages',
      summary: 'Outgoing messages (the outbox when no SMTP server is configured)',
      audit: 'personal_data',
      access: ['support_agent', 'admin'],
      response: { 200: outboxSchema },
      async handler({ res, db }) {
        res.json({ items: await listMessages(db, { limit: 200 }) });
      },
    }),
    route({
      method: 'get',
      path: '/outbox/:messageId/invite.ics',
      tag: 'messages',
      summary: 'The calendar invite an outgoing message carries, byte for byte as sent (text/calendar)',
      audit: 'personal_data',
      access: ['support_agent', 'admin'],
      params: z.object({ messageId: z.uuid() }),
      produces: 'text/calendar',
      responses: { 200: 'The iCalendar object (METHOD:REQUEST or CANCEL)', 404: 'No such message, or it carries no invite' },
      async handler({ res, db, params }) {
        const invite = await findMessageInvite(db, params.messageId);
        if (!invite?.icalContent) throw notFound(`invite of message ${params.messageId}`);
        res
          .type(`text/calendar; charset=utf-8; method=${invite.icalMethod ?? 'PUBLISH'}`)
          .attachment('invite.ics')
          .send(invite.icalContent);
      },
    }),
  ];
}
