/**
 * Retention runs: anonymisation of expired requests and the purge of intake files whose workflow
 * will never move them. One transaction per batch, with an audit entry per request; rows are
 * locked and re-checked so concurrent runs do not collide (see activities/retention).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema/index.js';
import type { Executor } from '../executor.js';

/** Keys of location_details / device_details that name or reach a person. */
const PERSONAL_LOCATION_KEYS = ['onSiteContactName', 'onSiteContactPhone', 'contactName', 'contactPhone', 'contactEmail'];
const PERSONAL_DEVICE_KEYS = ['assignedUser', 'userName', 'username', 'userEmail'];
export const ANONYMISED = '[anonymisé]';

/**
 * Anonymises up to `batchSize` closed or cancelled requests whose contract's retention period
 * elapsed (36 months without a contract), skipping rows another run holds; returns their tickets.
 */
export async function anonymiseExpiredRequests(db: Kysely<DB>, batchSize: number): Promise<{ tickets: string[] }> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('serviceRequests as r')
      .leftJoin('contracts as c', 'c.id', 'r.contractId')
      .select(['r.id', 'r.ticketNumber'])
      .where('r.anonymisedAt', 'is', null)
      .where('r.status', 'in', ['closed', 'cancelled'])
      .where(
        sql<Date>`coalesce(r.closed_at, r.cancelled_at, r.updated_at)`,
        '<',
        sql<Date>`now() - make_interval(months => coalesce(c.data_retention_months, 36))`,
      )
      .orderBy('r.createdAt')
      .limit(batchSize)
      .forUpdate('r')
      .skipLocked()
      .execute();
    if (due.length === 0) return { tickets: [] };
    const ids = due.map((r) => r.id);

    await trx
      .updateTable('serviceRequests')
      .set({
        contactDetails: JSON.stringify({ anonymised: true }),
        locationDetails: sql`location_details - ${sql.val(PERSONAL_LOCATION_KEYS)}::text[]`,
        deviceDetails: sql`device_details - ${sql.val(PERSONAL_DEVICE_KEYS)}::text[]`,
        requesterContactId: null,
        anonymisedAt: sql`now()`,
      })
      .where('id', 'in', ids)
      .execute();
    await trx.deleteFrom('requestAttachments').where('requestId', 'in', ids).where('kind', 'in', ['diagnostic_bundle', 'photo']).execute();
    await trx
      .updateTable('outboundMessages')
      .set({ toAddresses: [ANONYMISED], textBody: ANONYMISED, htmlBody: null, attachments: '[]' })
      .where('requestId', 'in', ids)
      .execute();
    await trx.updateTable('consents').set({ subjectEmail: ANONYMISED }).where('requestId', 'in', ids).execute();
    await trx
      .insertInto('auditLog')
      .values(
        due.map((r) => ({
          actorRole: 'system',
          action: 'retention_anonymise',
          entityType: 'service_request',
          entityId: r.ticketNumber,
          details: JSON.stringify({ reason: 'contract retention period elapsed' }),
        })),
      )
      .execute();
    return { tickets: due.map((r) => r.ticketNumber) };
  });
}

/** Tickets with intake files staged longer than `graceHours`, after `after`, in ticket order. */
export async function listStagedTicketsOlderThan(db: Executor, graceHours: number, after: string | null, limit: number) {
  return db
    .selectFrom('intakeAttachments')
    .select('ticketNumber')
    .where('createdAt', '<', sql<Date>`now() - make_interval(hours => ${graceHours})`)
    .$if(after !== null, (q) => q.where('ticketNumber', '>', after!))
    .groupBy('ticketNumber')
    .orderBy('ticketNumber')
    .limit(limit)
    .execute();
}

/**
 * Deletes the staged files of these tickets still older than `graceHours` (checked again under
 * lock: files moved meanwhile stay moved) and their Idempotency-Keys; returns the tickets purged.
 */
export async function purgeStagedIntake(db: Kysely<DB>, orphaned: string[], graceHours: number): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const purged = await trx
      .deleteFrom('intakeAttachments')
      .where('ticketNumber', 'in', orphaned)
      .where('createdAt', '<', sql<Date>`now() - make_interval(hours => ${graceHours})`)
      .returning(['ticketNumber', 'filename', 'sizeBytes'])
      .execute();
    const tickets = [...new Set(purged.map((f) => f.ticketNumber))];
    if (tickets.length === 0) return [];
    await trx.deleteFrom('intakeIdempotencyKeys').where('ticketNumber', 'in', tickets).execute();
    await trx
      .insertInto('auditLog')
      .values(
        tickets.map((ticket) => ({
          actorRole: 'system',
          action: 'retention_purge_staged_intake',
          entityType: 'service_request',
          entityId: ticket,
          details: JSON.stringify({
            reason: `staged over ${graceHours} h and no running workflow will attach them`,
            files: purged.filter((f) => f.ticketNumber === ticket).map((f) => ({ filename: f.filename, sizeBytes: f.sizeBytes })),
          }),
        })),
      )
      .execute();
    return tickets;
  });
}
