/**
 * GDPR retention: anonymises the personal data of interventions closed longer ago than their
 * contract's retention period, in batches until none is left. Started daily by a Temporal
 * Schedule (see scripts/retention-schedule.ts); safe to run twice (already anonymised requests
 * are skipped).
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import { withPermanentFailures } from '../activity-retry.contract.js';
import type { createRetentionActivities } from '../../activities/retention/retention.activities.js';
import type { RetentionInput, RetentionResult, StagedPurgeBatch } from './retention.contract.js';

const retention = proxyActivities<ReturnType<typeof createRetentionActivities>>({
  startToCloseTimeout: '5 minutes',
  // Bounded (about 35 minutes): tomorrow's run takes over. Errors no retry can fix fail at once.
  retry: withPermanentFailures({ initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 10 }),
});

/** A safety bound: a run never loops forever on a batch that keeps coming back. */
const MAX_BATCHES = 1_000;

export async function retentionWorkflow(input: RetentionInput = {}): Promise<RetentionResult> {
  const batchSize = input.batchSize ?? 200;
  const anonymised: string[] = [];
  let batches = 0;
  while (batches < MAX_BATCHES) {
    const batch = await retention.anonymiseExpiredInterventions({ batchSize });
    batches += 1;
    anonymised.push(...batch.tickets);
    if (batch.tickets.length < batchSize) break;
  }
  // A step added later: runs started before it replay without it.
  if (!patched('retention-purge-orphaned-intake-files')) return { anonymised, batches };
  const purgedStaged: string[] = [];
  let after: string | null = null;
  for (let round = 0; round < MAX_BATCHES; round++) {
    const batch: StagedPurgeBatch = await retention.purgeOrphanedIntakeFiles({
      graceHours: input.stagedGraceHours ?? 24,
      batchSize,
      after,
    });
    purgedStaged.push(...batch.tickets);
    after = batch.next;
    if (after === null) break;
  }
  return { anonymised, batches, purgedStaged };
}
