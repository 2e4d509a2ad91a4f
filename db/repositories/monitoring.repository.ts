/**
 * Monitoring integrations and alert groups (issue 13): a company's Alertmanager tokens (only their
 * SHA-256 stored) and, per alert group, the one open request it feeds. The token lookup and the
 * webhook's writes run on the owner connection (the caller is a monitoring system, not a user);
 * listing, creating and revoking run on the caller's scoped executor.
 */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { Transaction } from 'kysely';
import type { DB } from '../schema/index.js';

export async function insertIntegration(
  db: Executor,
  values: { clientId: string; name: string; locationId: string; serviceType: string; tokenHash: string; createdByUserId: string | null },
) {
  return db
    .insertInto('monitoringIntegrations')
    .values(values)
    .returning(['id', 'clientId', 'name', 'locationId', 'serviceType', 'createdAt', 'lastUsedAt', 'revokedAt'])
    .executeTakeFirstOrThrow();
}

/** Whether `locationId` is a site of the company (an integration's default site). */
export async function isSiteOfClient(db: Executor, clientId: string, locationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('clientLocations')
    .select('id')
    .where('id', '=', locationId)
    .where('clientId', '=', clientId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listIntegrations(db: Executor, clientId: string) {
  return db
    .selectFrom('monitoringIntegrations')
    .select(['id', 'clientId', 'name', 'locationId', 'serviceType', 'createdAt', 'lastUsedAt', 'revokedAt'])
    .where('clientId', '=', clientId)
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .execute();
}

/** Revokes an integration's token at once; false when it was revoked already. */
export async function revokeIntegration(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable('monitoringIntegrations')
    .set({ revokedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The active integration whose token hashes to `tokenHash` (owner connection). */
export async function integrationForTokenHash(db: Executor, tokenHash: string) {
  const row = await db
    .updateTable('monitoringIntegrations')
    .set({ lastUsedAt: sql<Date>`now()` })
    .where('tokenHash', '=', tokenHash)
    .where('revokedAt', 'is', null)
    .returning(['id', 'clientId', 'name', 'locationId', 'serviceType', 'createdByUserId'])
    .executeTakeFirst();
  return row;
}

/** Who a request filed by an integration is from: the company's primary contact, else the integration's creator. */
export async function integrationContact(db: Executor, clientId: string, createdByUserId: string | null) {
  const contact = await db
    .selectFrom('clientContacts')
    .select(['id', 'firstName', 'lastName', 'email', 'phone'])
    .where('clientId', '=', clientId)
    .orderBy('isPrimary', 'desc')
    .orderBy('createdAt')
    .executeTakeFirst();
  if (contact) return { contactId: contact.id, name: `${contact.firstName} ${contact.lastName}`, email: contact.email };
  const user = createdByUserId
    ? await db.selectFrom('users').select(['displayName', 'email']).where('id', '=', createdByUserId).executeTakeFirst()
    : undefined;
  return user ? { contactId: null, name: user.displayName, email: user.email } : null;
}

/** Serialises the notifications of one alert group (until the transaction ends). */
export async function lockAlertGroup(trx: Transaction<DB>, integrationId: string, groupKey: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${integrationId}\n${groupKey}`}, 13))`.execute(trx);
}

/** The group's open row with its request's status (null while the intake has not written it yet). */
export async function findOpenAlertGroup(db: Executor, integrationId: string, groupKey: string) {
  return db
    .selectFrom('alertGroups as g')
    .leftJoin('serviceRequests as r', 'r.ticketNumber', 'g.ticketNumber')
    .select([
      'g.id',
      'g.ticketNumber',
      'g.notifications',
      'g.alertStatus',
      'g.closeProposedAt',
      'r.id as requestId',
      'r.status as requestStatus',
    ])
    .where('g.integrationId', '=', integrationId)
    .where('g.groupKey', '=', groupKey)
    .where('g.open', '=', true)
    .executeTakeFirst();
}

export async function closeAlertGroup(db: Executor, id: string): Promise<void> {
  await db.updateTable('alertGroups').set({ open: false }).where('id', '=', id).execute();
}

export async function insertAlertGroup(
  db: Executor,
  values: { integrationId: string; clientId: string; groupKey: string; assetId: string | null; alertStatus: 'firing' | 'resolved' },
) {
  return db.insertInto('alertGroups').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function setAlertGroupTicket(db: Executor, id: string, ticketNumber: string): Promise<void> {
  await db.updateTable('alertGroups').set({ ticketNumber }).where('id', '=', id).execute();
}

/** One more notification of the group; returns its number. */
export async function noteAlertNotification(db: Executor, id: string, status: 'firing' | 'resolved'): Promise<number> {
  const row = await db
    .updateTable('alertGroups')
    .set((eb) => ({
      notifications: eb('notifications', '+', 1),
      lastNotifiedAt: sql<Date>`now()`,
      alertStatus: status,
      resolvedAt: status === 'resolved' ? sql<Date>`coalesce(resolved_at, now())` : null,
    }))
    .where('id', '=', id)
    .returning('notifications')
    .executeTakeFirstOrThrow();
  return row.notifications;
}

export async function proposeClosing(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('alertGroups')
    .set({ closeProposedAt: sql<Date>`coalesce(close_proposed_at, now())` })
    .where('id', '=', id)
    .execute();
}

/** Whether a technician has checked in on the request (a visit started). */
export async function visitStarted(db: Executor, requestId: string): Promise<boolean> {
  const row = await db.selectFrom('siteVisits').select('id').where('requestId', '=', requestId).executeTakeFirst();
  return row !== undefined;
}

/** A line on the request's timeline written by the monitoring integration (once per key). */
export async function appendAlertEvent(
  db: Executor,
  event: { requestId: string; kind: string; message: string; payload: Record<string, unknown>; idempotencyKey: string },
): Promise<void> {
  await db
    .insertInto('requestEvents')
    .values({
      requestId: event.requestId,
      kind: event.kind,
      actorType: 'system',
      actorId: 'alertmanager',
      message: event.message,
      payload: JSON.stringify(event.payload),
      idempotencyKey: event.idempotencyKey,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .execute();
}

/** The alert groups behind a request (what support sees on it: notifications, resolution, closing proposed). */
export async function alertGroupsOfTicket(db: Executor, ticketNumber: string) {
  return db
    .selectFrom('alertGroups as g')
    .innerJoin('monitoringIntegrations as i', 'i.id', 'g.integrationId')
    .select([
      'g.id',
      'g.groupKey',
      'i.name as integrationName',
      'g.alertStatus',
      'g.notifications',
      'g.firstNotifiedAt',
      'g.lastNotifiedAt',
      'g.resolvedAt',
      'g.closeProposedAt',
      'g.open',
    ])
    .where('g.ticketNumber', '=', ticketNumber)
    .orderBy('g.firstNotifiedAt')
    .execute();
}
