/** Contracts as the SLA computation reads them: coverage, time zone, targets per priority. */
import type { Priority } from '../schema/enums.js';
import type { Executor } from '../executor.js';

/** The contract's covered time (business hours or 24/7, in its time zone) and pause rule. */
export async function findContractCoverage(db: Executor, contractId: string) {
  return db
    .selectFrom('contracts')
    .select(['coverage', 'timezone', 'slaPausesWhenWaiting'])
    .where('id', '=', contractId)
    .executeTakeFirst();
}

/** The response and resolution targets (minutes) of the contract for a priority, if any. */
export async function findSlaTarget(db: Executor, contractId: string, priority: Priority) {
  return db
    .selectFrom('contractSlaTargets')
    .select(['responseMinutes', 'resolutionMinutes'])
    .where('contractId', '=', contractId)
    .where('priority', '=', priority)
    .executeTakeFirst();
}
