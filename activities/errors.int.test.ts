/**
 * Issue 16, item 1: a cancellation reason with a NUL byte made the records activity fail with
 * SQLSTATE 22021 and retry without end. Against the real PostgreSQL, Temporal and worker (with
 * its error-classifying interceptor), the activity now fails once, non-retryable, typed.
 * The cancel update goes straight to Temporal: the API refuses such a reason before it gets here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelUpdate, interventionWorkflowId } from '../workflows/intervention/intervention.contract.js';
import { PermanentFailure, type PermanentFailureDetails } from '../workflows/activity-retry.contract.js';
import { eventually, startTestPlatform, type TestPlatform } from '../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody } from '../scripts/testing/fixtures.js';

describe('an activity given data no retry can fix (NUL byte)', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { log: () => {} } });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('fails at its first attempt as a non-retryable PermanentDataError with the SQLSTATE', async () => {
    const tenant = await createTestClient(platform.db);
    const account = await createTestAccount(platform.db, 'client_user', { clientId: tenant.clientId });
    const response = await fetch(`${platform.url}/api/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...account.headers },
      body: JSON.stringify(intakeBody(tenant)),
    });
    expect(response.status).toBe(201);
    const { ticketNumber } = (await response.json()) as { ticketNumber: string };
    const handle = platform.client.workflow.getHandle(interventionWorkflowId(ticketNumber));

    // Whatever the workflow makes of the failure (refusing the action, or failing), the update ends.
    const outcome = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'a\u0000b', actor: 'support' }] }).then(
      () => 'applied',
      (err: unknown) => (err as Error).name,
    );
    expect(outcome).not.toBe('applied');

    const failed = await eventually(async () => {
      const { events } = await handle.fetchHistory();
      const failure = events?.find(
        (e) => e.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo?.type === PermanentFailure.type,
      );
      if (!failure) return null;
      const attrs = failure.activityTaskFailedEventAttributes!;
      const scheduled = events!.find((e) => Number(e.eventId) === Number(attrs.scheduledEventId));
      const started = events!.find((e) => Number(e.eventId) === Number(attrs.startedEventId));
      return { attrs, scheduled, started };
    }, 'the PermanentDataError activity failure in the history');

    expect(failed.scheduled?.activityTaskScheduledEventAttributes?.activityType?.name).toBe('recordTransition');
    // Attempt 1, then no retry: Temporal writes ActivityTaskFailed only once retries are over.
    expect(failed.started?.activityTaskStartedEventAttributes?.attempt).toBe(1);
    const info = failed.attrs.failure!.applicationFailureInfo!;
    expect(info.nonRetryable).toBe(true);
    expect(failed.attrs.failure!.message).toMatch(/^invalid byte sequence for encoding "UTF8": 0x00 \(SQLSTATE 22021\)$|SQLSTATE 22P05/);
    const details = platform.client.options.loadedDataConverter.payloadConverter.fromPayload<PermanentFailureDetails>(
      info.details!.payloads![0]!,
    );
    expect(details.errorName).toBe('DatabaseError');
    expect(details.sqlstate).toMatch(/^22/);
  });
});
