/**
 * Writes of the intervention workflow to PostgreSQL: the request itself at intake, then every
 * status transition (timeline + read model). Each write is idempotent by key.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { attachStagedFiles } from '../../db/repositories/intake-attachments.repository.js';
import { insertRequestOnce, recordTransition } from '../../db/repositories/requests.repository.js';
import {
  InterventionFailure,
  clientStatusOf,
  type ActorType,
  type InterventionInput,
  type RequestStatus,
  type TimelineDetails,
} from '../../workflows/intervention/intervention.contract.js';

export interface RecordDeps {
  db: Kysely<DB>;
}

export interface TransitionInput {
  workflowId: string;
  ticketNumber: string;
  from: RequestStatus | null;
  to: RequestStatus;
  actor: ActorType;
  actorId?: string | null;
  message: string | null;
  payload?: Record<string, unknown>;
  /** The entry's facts as data, for the page to say in the reader's language; `message` stays the fallback. */
  details?: TimelineDetails;
  idempotencyKey: string;
}

export function createRecordActivities({ db }: RecordDeps) {
  return {
    /**
     * Stores the request as submitted, and moves onto it the photos and diagnostic bundle the API
     * staged under its ticket number before starting the workflow; a retry returns the same id and
     * moves nothing twice.
     */
    async registerIntake(input: InterventionInput & { workflowId?: string }): Promise<{ requestId: string }> {
      const workflowId = input.workflowId ?? `intervention-${input.ticketNumber}`;
      try {
        const requestId = await insertRequestOnce(db, {
          ticketNumber: input.ticketNumber,
          workflowId,
          clientId: input.clientId,
          locationId: input.locationId,
          contractId: input.contractId,
          assetId: input.assetId,
          requesterContactId: input.requesterContactId,
          serviceType: input.serviceType,
          title: input.title,
          description: input.description,
          businessImpact: input.businessImpact,
          impactLevel: input.impactLevel,
          urgency: input.urgency,
          attemptedSolutions: input.attemptedSolutions,
          department: input.department,
          deviceDetails: JSON.stringify(input.deviceDetails),
          locationDetails: JSON.stringify(input.locationDetails),
          contactDetails: JSON.stringify(input.contactDetails),
          priority: input.priority,
          createdAt: input.submittedAt,
          ...(input.appointmentWindow ? { appointmentFrom: input.appointmentWindow.from, appointmentTo: input.appointmentWindow.to } : {}),
        });
        await attachStagedFiles(db, input.ticketNumber, requestId);
        return { requestId };
      } catch (err) {
        // A foreign key that does not exist will not appear by retrying.
        if ((err as { code?: string }).code === '23503') {
          throw ApplicationFailure.nonRetryable((err as Error).message, InterventionFailure.UnknownReference);
        }
        throw err;
      }
    },

    /** Records one status transition; returns false when the key was already recorded. */
    async recordTransition(input: TransitionInput): Promise<boolean> {
      return recordTransition(db, {
        workflowId: input.workflowId,
        kind: 'status_change',
        from: input.from,
        to: input.to,
        clientStatus: clientStatusOf(input.to),
        actorType: input.actor,
        actorId: input.actorId ?? null,
        message: input.message,
        payload: input.payload ?? {},
        details: input.details ?? null,
        idempotencyKey: input.idempotencyKey,
      });
    },
  };
}
