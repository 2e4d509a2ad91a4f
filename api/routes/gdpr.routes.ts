/**
 * GDPR: everything held about a person (right of access, art. 15) as JSON, and the consent to
 * collect diagnostic data, recorded per request and person (the latest record wins).
 *
 * Attachments are exported as metadata, sha256 and a download path, not as base64: a person's
 * photos can weigh tens of megabytes per request, which would make one JSON answer unbounded
 * (and be buffered whole in the API process); each file is fetched by the admin through its
 * download route (itself an audited read) and the sha256 lets the person check what they got.
 * Secrets are never exported: sessions and tokens as metadata only, never their hashes.
 */
import { listConsentsOfRequest, recordConsent } from '../../db/repositories/consents.repository.js';
import { collectPersonalData } from '../../db/repositories/personal-data.repository.js';
import { findRequestByTicket } from '../../db/repositories/requests.repository.js';
import { requestOrigin } from '../auth/access.js';
import { notFound } from '../errors.js';
import { attachmentPath } from './attachments.routes.js';
import { route, type RouteSpec } from '../routing.js';
import { ticketParamSchema } from '../schemas/request.schema.js';
import { consentSchema, gdprExportQuerySchema } from '../schemas/auth.schema.js';
import { gdprExportSchema } from '../schemas/auth.response.js';
import { consentListSchema, consentSchema as consentResponseSchema } from '../schemas/request.response.js';

/** Why invoices are listed but never anonymised (docs/access-control.md, GDPR). */
const INVOICE_RETENTION =
  'kept 10 years as an accounting record (Code de commerce L123-22; RGPD art. 17.3.b): not anonymised by the retention run';

/** What becomes of an intake file not yet on its request (activities/retention). */
const STAGED_RETENTION =
  'stored with the intake, awaiting its request: moved onto it when the intervention workflow runs its intake; purged by the retention run after 24 hours if no running workflow will';

const REQUEST_PARTIES = ['client_user', 'client_admin', 'support_agent', 'dispatcher', 'technician', 'admin'] as const;

export function gdprRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/gdpr/export',
      tag: 'gdpr',
      summary: 'Everything held about a person, by email (right of access), as JSON',
      access: ['admin'],
      audit: 'personal_data',
      query: gdprExportQuerySchema,
      response: { 200: gdprExportSchema },
      async handler({ res, db, query }) {
        const email = query.email;
        const found = await collectPersonalData(db, email);
        const accountIds = found.accounts.map((a) => a.id);
        res.setHeader('Content-Disposition', `attachment; filename="gdpr-export-${email.replace(/[^a-z0-9.@-]/g, '_')}.json"`);
        res.json({
          subject: email,
          generatedAt: new Date().toISOString(),
          accounts: found.accounts,
          sessions: found.sessions,
          apiTokens: found.apiTokens,
          clientContacts: found.contacts,
          technician: found.technician,
          serviceRequests: found.requests,
          consents: found.consents,
          consentsRecordedByThem: found.consentsRecorded,
          attachments: found.attachments.map(({ uploadedByUserId, ...a }) => ({
            ...a,
            providedBy: uploadedByUserId && accountIds.includes(uploadedByUserId) ? 'account' : 'requester',
            href: attachmentPath(a.ticketNumber, a.id),
          })),
          stagedIntakeFiles: found.stagedIntakeFiles.map((f) => ({ ...f, retention: STAGED_RETENTION })),
          invoices: found.invoices.map((i) => ({ ...i, retention: INVOICE_RETENTION })),
          messages: found.messages,
          actions: found.actions,
          auditAboutSubject: found.auditAboutSubject,
        });
      },
    }),
    route({
      method: 'post',
      path: '/requests/:ticket/consents',
      tag: 'gdpr',
      summary: "Record a person's consent (or refusal) to the collection of diagnostic data for a request",
      access: REQUEST_PARTIES,
      audit: 'personal_data',
      params: ticketParamSchema,
      body: consentSchema,
      responses: { 201: 'Recorded' },
      response: { 201: consentResponseSchema },
      async handler({ req, res, db, params, body, principal }) {
        const request = await findRequestByTicket(db, params.ticket);
        if (!request) throw notFound(`request ${params.ticket}`);
        const consent = await recordConsent(db, {
          requestId: request.id,
          subjectEmail: body.subjectEmail,
          purpose: body.purpose,
          granted: body.granted,
          recordedByUserId: principal!.userId,
          ip: requestOrigin(req).ip,
        });
        res.status(201).json(consent);
      },
    }),
    route({
      method: 'get',
      path: '/requests/:ticket/consents',
      tag: 'gdpr',
      summary: 'Consents recorded for a request, newest first',
      access: REQUEST_PARTIES,
      params: ticketParamSchema,
      response: { 200: consentListSchema },
      async handler({ res, db, params }) {
        const request = await findRequestByTicket(db, params.ticket);
        if (!request) throw notFound(`request ${params.ticket}`);
        const items = await listConsentsOfRequest(db, request.id);
        res.json({ items });
      },
    }),
  ];
}
