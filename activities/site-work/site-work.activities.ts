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
import { unknownReference } from '../unknown-reference.js';

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

    async saveSurveyAnswer(input: { workflowId: string; rating: number; comment: string | null; idempotencyKey: string }): Promise<void> {
      await saveSurveyAnswer(db, input);
    },
  };
}
