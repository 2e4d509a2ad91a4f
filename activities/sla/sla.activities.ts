/**
 * SLA deadlines of an intervention: computed from the contract's targets for its priority and
 * covered time, and moved on after a pause while waiting for the client. Written to the read model.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { findContractCoverage, findSlaTarget } from '../../db/repositories/contracts.repository.js';
import { updateRequestFields } from '../../db/repositories/lifecycle.repository.js';
import type { Priority } from '../../workflows/intervention/intervention.contract.js';
import { unknownReference } from '../unknown-reference.js';
import { isPublicHoliday } from './french-holidays.js';
import { resumeDeadline, slaDeadlines, type SlaCalendar } from './sla-calendar.js';

export interface SlaDeps {
  db: Kysely<DB>;
}

export interface SlaComputation {
  responseDueAt: string;
  resolutionDueAt: string;
  /** The estimated intervention time told to the client: the response deadline. */
  estimatedInterventionAt: string;
  responseMinutes: number;
  resolutionMinutes: number;
  coverage: 'business_hours' | '24_7';
  pausesWhenWaiting: boolean;
}

async function contractCalendar(db: Kysely<DB>, contractId: string) {
  const contract = await findContractCoverage(db, contractId);
  if (!contract) unknownReference(`contract ${contractId} not found`);
  const calendar: SlaCalendar = { coverage: contract.coverage, timezone: contract.timezone, isHoliday: (d) => isPublicHoliday(d) };
  return { contract, calendar };
}

export function createSlaActivities({ db }: SlaDeps) {
  return {
    /** SLA deadlines of the contract for this priority, written to the read model. */
    async computeSlaDeadlines(input: {
      workflowId: string;
      contractId: string | null;
      priority: Priority;
      startAt: string;
      timeScale: number;
    }): Promise<SlaComputation | null> {
      if (!input.contractId) return null;
      const { contract, calendar } = await contractCalendar(db, input.contractId);
      const target = await findSlaTarget(db, input.contractId, input.priority);
      if (!target) return null;
      const due = slaDeadlines(new Date(input.startAt), target, calendar, input.timeScale);
      await updateRequestFields(db, input.workflowId, {
        responseDueAt: due.responseDueAt,
        resolutionDueAt: due.resolutionDueAt,
        estimatedInterventionAt: due.responseDueAt,
        sla: JSON.stringify({ ...target, coverage: contract.coverage, timezone: contract.timezone }),
      });
      return {
        ...due,
        estimatedInterventionAt: due.responseDueAt,
        ...target,
        coverage: contract.coverage,
        pausesWhenWaiting: contract.slaPausesWhenWaiting,
      };
    },

    /** Deadlines after a pause while waiting for the client (contract's covered time). */
    async resumeSlaDeadlines(input: {
      workflowId: string;
      contractId: string;
      responseDueAt: string | null;
      resolutionDueAt: string;
      pausedAt: string;
      resumedAt: string;
      timeScale: number;
    }): Promise<{ responseDueAt: string | null; resolutionDueAt: string }> {
      const { calendar } = await contractCalendar(db, input.contractId);
      const shift = (iso: string) =>
        resumeDeadline(new Date(iso), new Date(input.pausedAt), new Date(input.resumedAt), calendar, input.timeScale).toISOString();
      const next = {
        responseDueAt: input.responseDueAt ? shift(input.responseDueAt) : null,
        resolutionDueAt: shift(input.resolutionDueAt),
      };
      await updateRequestFields(db, input.workflowId, {
        ...(next.responseDueAt ? { responseDueAt: next.responseDueAt } : {}),
        resolutionDueAt: next.resolutionDueAt,
      });
      return next;
    },
  };
}
