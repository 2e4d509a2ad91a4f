/**
 * Tells the client, by the intervention emails' own activity (rendered in the client's language,
 * sent once per key, kept in the outbox without SMTP), that a workaround is in place on their
 * request. A workflow of its own: the intervention workflow is not signalled, so its history,
 * its status and its SLA clock are untouched (a workaround does not stop the clock).
 */
import { proxyActivities } from '@temporalio/workflow';
import { withPermanentFailures } from '../activity-retry.contract.js';
import type { createInterventionEmailActivities } from '../../activities/notifications/intervention-emails.activities.js';
import type { WorkaroundNoticeInput } from './workaround-notice.contract.js';

const emails = proxyActivities<ReturnType<typeof createInterventionEmailActivities>>({
  startToCloseTimeout: '1 minute',
  retry: withPermanentFailures({ initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 50 }),
});

export async function workaroundNoticeWorkflow(input: WorkaroundNoticeInput): Promise<{ sent: boolean }> {
  return emails.notify({
    workflowId: input.interventionWorkflowId,
    template: 'workaround',
    to: 'client',
    data: { articleTitle: input.articleTitle, link: input.link },
    idempotencyKey: `kb-workaround:${input.ticketNumber}:${input.articleId}`,
  });
}
