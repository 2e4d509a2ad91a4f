import { listAudit } from '../../db/repositories/audit.repository.js';
import { route, type RouteSpec } from '../routing.js';
import { auditQuerySchema } from '../schemas/auth.schema.js';
import { auditPageSchema } from '../schemas/auth.response.js';

/** The audit log, for admins: newest first, filtered, paged with `beforeId`. */
export function auditRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/audit',
      tag: 'audit',
      summary: 'Audit log (who, when, what, from where), newest first',
      access: ['admin'],
      query: auditQuerySchema,
      response: { 200: auditPageSchema },
      async handler({ res, db, query }) {
        const { limit, ...filters } = query;
        const items = await listAudit(db, {
          limit,
          ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
        });
        res.json({ items, nextBeforeId: items.length === limit ? items[items.length - 1]!.id : null });
      },
    }),
  ];
}
