/**
 * The work on site (or remote): check-in and check-out, parts replaced, the report, then the
 * client's survey answer. Every write is keyed by the workflow's step: a retry writes once.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { findPart } from '../../db/repositories/parts.repository.js';
import {
  closeSiteVisit,
  openSiteVisit,
  recordPartUsed,
  saveInterventionReport,
  saveSurveyAnswer,
  type VisitOpening,
} from '../../db/repositories/site-work.repository.js';
import { lastVisitTechnician, openSurveyFollowUp, ratingTotals, setTechnicianRating } from '../../db/repositories/quality.repository.js';
import { requestIdOf } from '../../db/repositories/lifecycle.repository.js';
import { bayesianRating } from '../reports/kpi.js';
import { unknownReference } from '../unknown-reference.js';

/** A rating at or below this opens a follow-up task for support. */
export const FOLLOW_UP_AT_OR_BELOW = 2;

export interface SiteWorkDeps {
  db: Kysely<DB>;
}

export function createSiteWorkActivities({ db }: SiteWorkDeps) {
  return {
    /** Opens a site visit; a retry returns the visit of the same key. */
    async checkIn(input: VisitOpening): Promise<{ visitId: string }> {
      return { visitId: await openSiteVisit(db, input) };
    },

    async checkOut(input: { visitId: string; at: string }): Promise<void> {
      await closeSiteVisit(db, input.visitId, input.at);
    },

    /** A replaced part, by catalogue SKU (billing prices it); unknown SKUs are refused. */
    async recordPart(input: {
      workflowId: string;
      visitId: string | null;
      sku: string;
      quantity: number;
      serialNumbers: string[];
      underWarranty: boolean;
      idempotencyKey: string;
    }): Promise<void> {
      const part = await findPart(db, input.sku);
      if (!part || !part.active) unknownReference(`part ${input.sku} is not in the catalogue`);
      await recordPartUsed(db, input);
    },

    async saveReport(input: {
      workflowId: string;
      technicianId: string | null;
      summary: string;
      recommendations: string[];
      idempotencyKey: string;
    }): Promise<void> {
      await saveInterventionReport(db, input);
    },

    /**
     * Stores the answer and closes the quality loop in the same transaction: the rating of the
     * technician of the last visit is recomputed from all their answers (Bayesian average, so a
     * retry or a replay changes nothing), and a rating of 2 or less opens a follow-up for support.
     */
    async saveSurveyAnswer(input: { workflowId: string; rating: number; comment: string | null; idempotencyKey: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await saveSurveyAnswer(trx, input);
        const requestId = await requestIdOf(trx, input.workflowId);
        const technicianId = await lastVisitTechnician(trx, requestId);
        if (technicianId) {
          const totals = await ratingTotals(trx, technicianId);
          await setTechnicianRating(trx, technicianId, bayesianRating(totals.sum, totals.count), totals);
        }
        if (input.rating <= FOLLOW_UP_AT_OR_BELOW) {
          await openSurveyFollowUp(trx, { requestId, technicianId, rating: input.rating, comment: input.comment });
        }
      });
    },
  };
}
