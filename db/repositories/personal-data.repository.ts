/**
 * Everything held about a person, found by email, for the right of access (GDPR art. 15): their
 * accounts, contacts and technician record, the requests they made (submitted by one of their
 * accounts, or naming them as the contact), and what hangs off those. Secrets are never selected:
 * sessions and tokens as metadata, never their hashes. Run it on the admin's scoped executor.
 */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

/** A uuid no row has: `in (…)` with an empty list is not valid SQL. */
const NONE = ['00000000-0000-0000-0000-000000000000'];
const orNone = (ids: string[]) => (ids.length ? ids : NONE);

/** `email` is expected lower-case (the query schema normalises it). */
export async function collectPersonalData(db: Executor, email: string) {
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
  // The requests they made: submitted by one of their accounts (whatever contact the form gave),
  // or naming them as the contact (by email, or as the requester contact).
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
        ...(accountIds.length
          ? [eb('ticketNumber', 'in', eb.selectFrom('ticketSubmitters').select('ticketNumber').where('userId', 'in', accountIds))]
          : []),
      ]),
    )
    .orderBy('createdAt')
    .execute();
  const [sessions, apiTokens, consents, messages, actions] = await Promise.all([
    db
      .selectFrom('sessions')
      .select(['id', 'createdAt', 'expiresAt', 'revokedAt', 'ip', 'userAgent'])
      .where('userId', 'in', orNone(accountIds))
      .execute(),
    db
      .selectFrom('apiTokens')
      .select(['id', 'name', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'])
      .where('userId', 'in', orNone(accountIds))
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
      .where('actorUserId', 'in', orNone(accountIds))
      .orderBy('id')
      .limit(10_000)
      .execute(),
  ]);
  const ticketsOfRequests = requests.map((r) => r.ticketNumber);
  const requestIds = requests.map((r) => r.id);
  const [attachments, invoices, auditAboutSubject, consentsRecorded, stagedIntakeFiles] = await Promise.all([
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
          eb('a.uploadedByUserId', 'in', orNone(accountIds)),
          eb.and([eb('a.requestId', 'in', orNone(requestIds)), eb('a.kind', 'in', ['photo', 'diagnostic_bundle'])]),
        ]),
      )
      .orderBy('a.createdAt')
      .execute(),
    // Invoices are kept whatever the retention (legal records, 10 years): listed with the buyer
    // snapshot, for the interventions they requested or where their email appears.
    db
      .selectFrom('invoices')
      .select(['id', 'number', 'typeCode', 'issueDate', 'ticketNumber', 'clientId', 'buyer', 'totalInclVatCents', 'currency'])
      .where((eb) => eb.or([eb('requestId', 'in', orNone(requestIds)), eb(sql<number>`position(${email} in lower(buyer::text))`, '>', 0)]))
      .orderBy('issueDate')
      .execute(),
    // Entries about them (their accounts, their email as a login name, their requests). The
    // actor's role is given, not the actor's identity or address: other people's personal data.
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
      .where('recordedByUserId', 'in', orNone(accountIds))
      .orderBy('recordedAt')
      .execute(),
    // Intake files stored before their request exists (migration 0100): held about the person
    // while they wait for the workflow, or for the retention run to purge them.
    db
      .selectFrom('intakeAttachments')
      .select(['id', 'ticketNumber', 'kind', 'filename', 'contentType', 'sizeBytes', 'sha256', 'createdAt'])
      .where('uploadedByUserId', 'in', orNone(accountIds))
      .orderBy('createdAt')
      .execute(),
  ]);
  return {
    accounts,
    sessions,
    apiTokens,
    contacts,
    technician,
    requests,
    consents,
    consentsRecorded,
    attachments,
    stagedIntakeFiles,
    invoices,
    messages,
    actions,
    auditAboutSubject,
  };
}
