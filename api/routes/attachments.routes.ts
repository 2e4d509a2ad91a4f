/**
 * A request's attachments (photos, diagnostic bundle, reports): listed and downloaded under the
 * same row-level security as everything else. A client sees their company's, a technician those
 * of the requests they are assigned to or visited, finance only reports (never photos or
 * diagnostic bundles): the policy of request_attachments (migration 0003) decides, here nothing
 * does. An attachment that exists but is hidden from the caller is a 404 like a missing one.
 */
import { findRequestAttachment, listRequestAttachments } from '../../db/repositories/attachments.repository.js';
import { findRequestByTicket } from '../../db/repositories/requests.repository.js';
import { notFound } from '../errors.js';
import { ROLES, route, type RouteSpec } from '../routing.js';
import { attachmentParamSchema, ticketParamSchema } from '../schemas/request.schema.js';
import { attachmentListSchema } from '../schemas/request.response.js';

/** Where an attachment is downloaded from (also cited by the GDPR export). */
export const attachmentPath = (ticket: string, attachmentId: string) =>
  `/api/requests/${encodeURIComponent(ticket)}/attachments/${attachmentId}`;

export function attachmentRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/requests/:ticket/attachments',
      tag: 'requests',
      summary: "A request's attachments the caller may see (metadata and download links)",
      access: ROLES,
      audit: 'personal_data',
      params: ticketParamSchema,
      responses: { 200: 'The attachments', 404: 'No such request' },
      response: { 200: attachmentListSchema },
      async handler({ res, db, params }) {
        const request = await findRequestByTicket(db, params.ticket);
        if (!request) throw notFound(`request ${params.ticket}`);
        const rows = await listRequestAttachments(db, request.id);
        res.json({ items: rows.map((row) => ({ ...row, href: attachmentPath(params.ticket, row.id) })) });
      },
    }),
    route({
      method: 'get',
      path: '/requests/:ticket/attachments/:attachmentId',
      tag: 'requests',
      summary: 'Download one attachment (as a file: Content-Disposition attachment)',
      access: ROLES,
      audit: 'personal_data',
      params: attachmentParamSchema,
      produces: 'application/octet-stream',
      responses: { 200: 'The file, with its stored content type', 404: 'No such request or attachment (or not visible to the caller)' },
      async handler({ res, db, params }) {
        const request = await findRequestByTicket(db, params.ticket);
        if (!request) throw notFound(`request ${params.ticket}`);
        const file = await findRequestAttachment(db, request.id, params.attachmentId);
        if (!file) throw notFound(`attachment ${params.attachmentId}`);
        // Always a download, never rendered by the browser in the app's origin (uploaded content).
        res.attachment(file.filename);
        res.setHeader('Content-Type', file.contentType);
        res.setHeader('Cache-Control', 'private, no-store');
        res.status(200).end(file.content);
      },
    }),
  ];
}
