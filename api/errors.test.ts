/** The HTTP edge maps a workflow's refusal of an update the same way whichever route sent it. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { InterventionFailure } from '../workflows/intervention/intervention.contract.js';
import { errorHandler } from './errors.js';

function answer(err: unknown): { status: number; body: any } {
  const sent = { status: 0, body: undefined as any };
  const res = {
    headersSent: false,
    setHeader() {},
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  } as unknown as Response;
  errorHandler(() => {})(err, {} as Request, res, () => {});
  return sent;
}

const refused = (type: string) =>
  new WorkflowUpdateFailedError('update failed', ApplicationFailure.nonRetryable('INT-2026-000001 is not yours', type));

describe('refused updates', () => {
  it('maps NotAssigned to 403, InvalidTransition to 409 and other refusals to 422', () => {
    expect(answer(refused(InterventionFailure.NotAssigned))).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(answer(refused(InterventionFailure.InvalidTransition)).status).toBe(409);
    expect(answer(refused(InterventionFailure.UnknownReference)).status).toBe(422);
  });
});
