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
import { sql } from 'kysely';
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
        const accounts = await db
          .selectFrom('users')
          .select(['id', 'email', 'displayName', 'role', 'clientId', 'technicianId', 'locale', 'active', 'createdAt', 'disabledAt'])
          .where('email', '=', email)
          .execute();
        const accountIds = accounts.map((a) => a.id);
        const contacts = await db
          .selectFrom('clientContacts')
          .selectAll()
          .where(sql`lower(email)`, '=', email)
          .execute();
        const contactIds = contacts.map((c) => c.id);
        const technician = await db
          .selectFrom('technicians')
          .selectAll()
          .where(sql`lower(email)`, '=', email)
          .execute();
        const requests = await db
          .selectFrom('serviceRequests')
          .select([
            'id',
            'ticketNumber',
            'clientId',
            'title',
            'description',
            'contactDetails',
            'locationDetails',
            'status',
            'createdAt',
            'closedAt',
            'anonymisedAt',
          ])
          .where((eb) =>
            eb.or([
              eb(sql`lower(contact_details->>'email')`, '=', email),
              ...(contactIds.length ? [eb('requesterContactId', 'in', contactIds)] : []),
            ]),
          )
          .orderBy('createdAt')
          .execute();
        const none = ['00000000-0000-0000-0000-000000000000'];
        const [sessions, apiTokens, consents, messages, actions] = await Promise.all([
          db
            .selectFrom('sessions')
            .select(['id', 'createdAt', 'expiresAt', 'revokedAt', 'ip', 'userAgent'])
            .where('userId', 'in', accountIds.length ? accountIds : none)
            .execute(),
          db
            .selectFrom('apiTokens')
            .select(['id', 'name', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'])
            .where('userId', 'in', accountIds.length ? accountIds : none)
            .execute(),
          db.selectFrom('consents').selectAll().where('subjectEmail', '=', email).orderBy('recordedAt').execute(),
          db
            .selectFrom('outboundMessages')
            .select(['id', 'requestId', 'subject', 'textBody', 'createdAt', 'status'])
            .where(sql<boolean>`${email} = any(select lower(a) from unnest(to_addresses) a)`)
            .orderBy('createdAt')
            .execute(),
          db
            .selectFrom('auditLog')
            .select(['id', 'at', 'action', 'entityType', 'entityId', 'ip'])
            .where('actorUserId', 'in', accountIds.length ? accountIds : none)
            .orderBy('id')
            .limit(10_000)
            .execute(),
        ]);
        const ticketsOfRequests = requests.map((r) => r.ticketNumber);
        const requestIds = requests.map((r) => r.id);
        const [attachments, invoices, auditAboutSubject, consentsRecorded, staged] = await Promise.all([
          // What they provided: files uploaded by their accounts, and the photos and diagnostic
          // bundles of the requests they made (the intake did not always record an uploader).
          db
            .selectFrom('requestAttachments as a')
            .innerJoin('serviceRequests as r', 'r.id', 'a.requestId')
            .select([
              'a.id',
              'r.ticketNumber',
              'a.kind',
              'a.filename',
              'a.contentType',
              'a.sizeBytes',
              'a.sha256',
              'a.createdAt',
              'a.uploadedByUserId',
            ])
            .where((eb) =>
              eb.or([
                eb('a.uploadedByUserId', 'in', accountIds.length ? accountIds : none),
                eb.and([
                  eb('a.requestId', 'in', requestIds.length ? requestIds : none),
                  eb('a.kind', 'in', ['photo', 'diagnostic_bundle']),
                ]),
              ]),
            )
            .orderBy('a.createdAt')
            .execute(),
          // Invoices are kept whatever the retention (legal records, 10 years): listed here with
          // the buyer snapshot, for the interventions they requested or where their email appears.
          db
            .selectFrom('invoices')
            .select(['id', 'number', 'typeCode', 'issueDate', 'ticketNumber', 'clientId', 'buyer', 'totalInclVatCents', 'currency'])
            .where((eb) =>
              eb.or([
                eb('requestId', 'in', requestIds.length ? requestIds : none),
                eb(sql<number>`position(${email} in lower(buyer::text))`, '>', 0),
              ]),
            )
            .orderBy('issueDate')
            .execute(),
          // Entries about them (their accounts, their email as a login name, their requests).
          // The actor's role is given, not the actor's identity or address: those are other
          // people's personal data.
          db
            .selectFrom('auditLog')
            .select(['id', 'at', 'action', 'entityType', 'entityId', 'actorRole', 'personalData'])
            .where('entityId', 'in', [...accountIds, email, ...ticketsOfRequests])
            .orderBy('id')
            .limit(10_000)
            .execute(),
          db
            .selectFrom('consents')
            .select(['id', 'requestId', 'subjectEmail', 'purpose', 'granted', 'recordedAt'])
            .where('recordedByUserId', 'in', accountIds.length ? accountIds : none)
            .orderBy('recordedAt')
            .execute(),
          // Intake files stored before their request exists (migration 0100): held about the
          // person while they wait for the workflow, or for the retention run to purge them.
          db
            .selectFrom('intakeAttachments')
            .select(['id', 'ticketNumber', 'kind', 'filename', 'contentType', 'sizeBytes', 'sha256', 'createdAt'])
            .where('uploadedByUserId', 'in', accountIds.length ? accountIds : none)
            .orderBy('createdAt')
            .execute(),
        ]);
        res.setHeader('Content-Disposition', `attachment; filename="gdpr-export-${email.replace(/[^a-z0-9.@-]/g, '_')}.json"`);
        res.json({
          subject: email,
          generatedAt: new Date().toISOString(),
          accounts,
          sessions,
          apiTokens,
          clientContacts: contacts,
          technician,
          serviceRequests: requests,
          consents,
          consentsRecordedByThem: consentsRecorded,
          attachments: attachments.map(({ uploadedByUserId, ...a }) => ({
            ...a,
            providedBy: uploadedByUserId && accountIds.includes(uploadedByUserId) ? 'account' : 'requester',
            href: attachmentPath(a.ticketNumber, a.id),
          })),
          stagedIntakeFiles: staged.map((f) => ({ ...f, retention: STAGED_RETENTION })),
          invoices: invoices.map((i) => ({ ...i, retention: INVOICE_RETENTION })),
          messages,
          actions,
          auditAboutSubject,
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
        const consent = await db
          .insertInto('consents')
          .values({
            requestId: request.id,
            subjectEmail: body.subjectEmail,
            purpose: body.purpose,
            granted: body.granted,
            recordedByUserId: principal!.userId,
            ip: requestOrigin(req).ip,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
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
        const items = await db
          .selectFrom('consents')
          .selectAll()
          .where('requestId', '=', request.id)
          .orderBy('recordedAt', 'desc')
          .execute();
        res.json({ items });
      },
    }),
  ];
}
