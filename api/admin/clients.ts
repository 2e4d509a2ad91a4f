/**
 * Use cases of the client companies' master data: the company (identity, billing address,
 * preferences), its sites (with opening hours and closures) and its contacts. Each runs in the
 * request's one transaction and reports its before/after to the audit trail; a refusal
 * (400/409/422) rolls every write back.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/index.js';
import {
  clearPrimaryContacts,
  clientDetail,
  deleteContact,
  findClient,
  findContact,
  findSite,
  insertClient,
  insertContact,
  insertSite,
  replaceClosures,
  replaceOpeningHours,
  updateClient,
  updateContact,
  updateSite,
} from '../../db/repositories/client-admin.repository.js';
import type { AuditSink } from '../audit-trail.js';
import { HttpError, notFound } from '../errors.js';
import {
  identityProblems,
  type createClientSchema,
  type createContactSchema,
  type createSiteSchema,
  type updateClientSchema,
  type updateContactSchema,
  type updateSiteSchema,
} from '../schemas/admin.schema.js';

type Db = Kysely<DB>;

export async function createClientCompany(db: Db, body: z.output<typeof createClientSchema>, audit: AuditSink) {
  const { preferences, ...fields } = body;
  const created = await insertClient(db, { ...fields, preferences: JSON.stringify(preferences ?? {}) });
  audit({ entityType: 'client', entityId: created.id, before: null, after: created });
  return created;
}

export async function changeClientCompany(db: Db, clientId: string, body: z.output<typeof updateClientSchema>, audit: AuditSink) {
  const before = await findClient(db, clientId);
  if (!before) throw notFound(`client ${clientId}`);
  // The identifiers are checked together: a new SIRET must still belong to the stored SIREN.
  const problems = identityProblems({
    siren: body.siren === undefined ? before.siren : body.siren,
    siret: body.siret === undefined ? before.siret : body.siret,
    vatNumber: body.vatNumber === undefined ? before.vatNumber : body.vatNumber,
  });
  if (problems.length > 0)
    throw new HttpError(400, 'validation_failed', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  const { preferences, ...fields } = body;
  const after = await updateClient(db, clientId, {
    ...fields,
    ...(preferences ? { preferences: JSON.stringify({ ...before.preferences, ...preferences }) } : {}),
  });
  audit({ entityType: 'client', entityId: clientId, before, after });
  return after!;
}

export async function companyDetail(db: Db, clientId: string) {
  const detail = await clientDetail(db, clientId);
  if (!detail) throw notFound(`client ${clientId}`);
  return detail;
}

export async function createSite(db: Db, clientId: string, body: z.output<typeof createSiteSchema>, audit: AuditSink) {
  const { openingHours, closures, ...fields } = body;
  const site = await insertSite(db, { ...fields, clientId });
  await replaceOpeningHours(db, site.id, openingHours ?? []);
  await replaceClosures(
    db,
    site.id,
    (closures ?? []).map((c) => ({ ...c, reason: c.reason ?? null })),
  );
  const after = (await findSite(db, site.id))!;
  audit({ entityType: 'site', entityId: site.id, before: null, after });
  return after;
}

export async function changeSite(db: Db, locationId: string, body: z.output<typeof updateSiteSchema>, audit: AuditSink) {
  const before = await findSite(db, locationId);
  if (!before) throw notFound(`site ${locationId}`);
  const { openingHours, closures, ...fields } = body;
  await updateSite(db, locationId, fields);
  if (openingHours) await replaceOpeningHours(db, locationId, openingHours);
  if (closures)
    await replaceClosures(
      db,
      locationId,
      closures.map((c) => ({ ...c, reason: c.reason ?? null })),
    );
  const after = (await findSite(db, locationId))!;
  audit({ entityType: 'site', entityId: locationId, before, after });
  return after;
}

export async function createContact(db: Db, clientId: string, body: z.output<typeof createContactSchema>, audit: AuditSink) {
  const contact = await insertContact(db, { ...body, clientId });
  if (contact.isPrimary) await clearPrimaryContacts(db, clientId, contact.id);
  audit({ entityType: 'contact', entityId: contact.id, before: null, after: contact });
  return contact;
}

export async function changeContact(db: Db, contactId: string, body: z.output<typeof updateContactSchema>, audit: AuditSink) {
  const before = await findContact(db, contactId);
  if (!before) throw notFound(`contact ${contactId}`);
  const after = (await updateContact(db, contactId, body))!;
  if (after.isPrimary) await clearPrimaryContacts(db, after.clientId, after.id);
  audit({ entityType: 'contact', entityId: contactId, before, after });
  return after;
}

export async function removeContact(db: Db, contactId: string, audit: AuditSink) {
  const before = await deleteContact(db, contactId);
  if (!before) throw notFound(`contact ${contactId}`);
  audit({ entityType: 'contact', entityId: contactId, before, after: null });
}
