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
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { anonymiseExpiredRequests, listStagedTicketsOlderThan, purgeStagedIntake } from '../../db/repositories/retention.repository.js';
import { interventionWorkflowId } from '../../workflows/intervention/intervention.contract.js';
import type { RetentionBatch, StagedPurgeBatch } from '../../workflows/retention/retention.contract.js';

export { ANONYMISED } from '../../db/repositories/retention.repository.js';

export interface RetentionDeps {
  db: Kysely<DB>;
}

export function createRetentionActivities({ db }: RetentionDeps) {
  return {
    async anonymiseExpiredInterventions(input: { batchSize: number }): Promise<RetentionBatch> {
      return anonymiseExpiredRequests(db, input.batchSize);
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
      const candidates = await listStagedTicketsOlderThan(db, input.graceHours, input.after, input.batchSize);
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
      return { tickets: await purgeStagedIntake(db, orphaned, input.graceHours), next };
    },
  };
}
