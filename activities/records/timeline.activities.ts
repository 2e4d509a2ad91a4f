/**
 * Timeline entries that do not change the status (logs, decisions, SLA alerts…) and fields of the
 * read model the workflow sets (priority, support level…). Each entry is written once per key.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { appendEvent, recordRemoteSession, updateRequestFields } from '../../db/repositories/lifecycle.repository.js';
import { findPart } from '../../db/repositories/parts.repository.js';
import type { ActorType, Priority, TimelineDetails } from '../../workflows/intervention/intervention.contract.js';

export interface TimelineDeps {
  db: Kysely<DB>;
}

export function createTimelineActivities({ db }: TimelineDeps) {
  /** A part is named as the catalogue names it, so the page need not look it up per entry. */
  async function withPartLabel(details: TimelineDetails): Promise<TimelineDetails> {
    if (details.type !== 'part' || details.label) return details;
    const part = await findPart(db, details.sku);
    return part ? { ...details, label: part.label } : details;
  }

  return {
    /** A timeline entry (log, decision, SLA alert…) that does not change the status. */
    async recordEvent(input: {
      workflowId: string;
      kind: string;
      actor: ActorType;
      actorId?: string | null;
      message?: string | null;
      payload?: Record<string, unknown>;
      /** The entry's facts as data, for the page to say in the reader's language. */
      details?: TimelineDetails;
      idempotencyKey: string;
      /** The time spent on a remote resolution (and when it was proposed), stored for billing. */
      remoteSession?: { minutes: number; at: string };
    }): Promise<boolean> {
      const { remoteSession, details, ...fields } = input;
      const entry = { ...fields, details: details ? await withPartLabel(details) : null };
      if (!remoteSession) return appendEvent(db, { ...entry, actorType: input.actor });
      // One transaction, both rows keyed by the entry's key: a retry writes neither twice.
      return db.transaction().execute(async (trx) => {
        const appended = await appendEvent(trx, { ...entry, actorType: input.actor });
        await recordRemoteSession(trx, {
          workflowId: input.workflowId,
          actorType: input.actor,
          userId: input.actorId ?? null,
          minutes: remoteSession.minutes,
          performedAt: remoteSession.at,
          idempotencyKey: input.idempotencyKey,
        });
        return appended;
      });
    },

    async updateRequest(input: {
      workflowId: string;
      priority?: Priority;
      priorityReason?: string;
      supportLevel?: number;
      specialistGroup?: string;
      firstResponseAt?: string;
    }): Promise<void> {
      const { workflowId, ...fields } = input;
      // The workflow sets firstResponseAt once (its first triage decision).
      await updateRequestFields(db, workflowId, fields);
    },
  };
}
