/**
 * Anonymisation of expired personal data. What goes: the requester's contact details, on-site
 * contact names and phones, the requester link, diagnostic bundles and photos, the bodies and
 * recipients of the emails sent about the request, and the person's email in consent records.
 * What stays (business and legal records): the ticket, client company, dates, statuses,
 * priority, SLA, assignments, visits, parts and amounts, reports, and invoices with their buyer
 * snapshot (accounting records kept 10 years, Code de commerce L123-22; RGPD art. 17.3.b — see
 * docs/access-control.md). One transaction per batch, with an
 * audit entry per request; rows are locked and re-checked so concurrent runs do not collide.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { interventionWorkflowId } from '../../workflows/intervention/intervention.contract.js';
import type { RetentionBatch, StagedPurgeBatch } from '../../workflows/retention/retention.contract.js';

export interface RetentionDeps {
  db: Kysely<DB>;
}

/** Keys of location_details / device_details that name or reach a person. */
const PERSONAL_LOCATION_KEYS = ['onSiteContactName', 'onSiteContactPhone', 'contactName', 'contactPhone', 'contactEmail'];
const PERSONAL_DEVICE_KEYS = ['assignedUser', 'userName', 'username', 'userEmail'];
export const ANONYMISED = '[anonymisé]';

export function createRetentionActivities({ db }: RetentionDeps) {
  return {
    async anonymiseExpiredInterventions(input: { batchSize: number }): Promise<RetentionBatch> {
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
          .limit(input.batchSize)
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
        await trx
          .deleteFrom('requestAttachments')
          .where('requestId', 'in', ids)
          .where('kind', 'in', ['diagnostic_bundle', 'photo'])
          .execute();
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
    },

    /**
     * Purges intake files staged longer than the grace period whose intervention workflow will
     * never move them: it was never started (the API stopped between storing them and starting
     * it) or it ended without running its intake. A workflow still running keeps its files, however
     * old (it may be waiting for a worker). Temporal is asked per ticket, through the worker's
     * client; a ticket is checked again under lock in the delete, so files moved meanwhile stay
     * moved. The ticket's Idempotency-Key goes with them: a retry after this is a new intake.
     */
    async purgeOrphanedIntakeFiles(input: { graceHours: number; batchSize: number; after: string | null }): Promise<StagedPurgeBatch> {
      // Paged by ticket number: tickets kept (running workflows) are not looked at again this run.
      const candidates = await db
        .selectFrom('intakeAttachments')
        .select('ticketNumber')
        .where('createdAt', '<', sql<Date>`now() - make_interval(hours => ${input.graceHours})`)
        .$if(input.after !== null, (q) => q.where('ticketNumber', '>', input.after!))
        .groupBy('ticketNumber')
        .orderBy('ticketNumber')
        .limit(input.batchSize)
        .execute();
      const next = candidates.length < input.batchSize ? null : candidates[candidates.length - 1]!.ticketNumber;
      const client = Context.current().client;
      const orphaned: string[] = [];
      for (const { ticketNumber } of candidates) {
        try {
          const description = await client.workflow.getHandle(interventionWorkflowId(ticketNumber)).describe();
          if (description.status.name === 'RUNNING') continue;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
        orphaned.push(ticketNumber);
      }
      if (orphaned.length === 0) return { tickets: [], next };
      return db.transaction().execute(async (trx) => {
        const purged = await trx
          .deleteFrom('intakeAttachments')
          .where('ticketNumber', 'in', orphaned)
          .where('createdAt', '<', sql<Date>`now() - make_interval(hours => ${input.graceHours})`)
          .returning(['ticketNumber', 'filename', 'sizeBytes'])
          .execute();
        const tickets = [...new Set(purged.map((f) => f.ticketNumber))];
        if (tickets.length === 0) return { tickets: [], next };
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
                reason: `staged over ${input.graceHours} h and no running workflow will attach them`,
                files: purged.filter((f) => f.ticketNumber === ticket).map((f) => ({ filename: f.filename, sizeBytes: f.sizeBytes })),
              }),
            })),
          )
          .execute();
        return { tickets, next };
      });
    },
  };
}
