import { describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import { InterventionFailure } from '../workflows/intervention/intervention.contract.js';
import { toHttpError } from './errors.js';

/** What node-postgres throws, with the fields the edge reads. */
const pgError = (fields: Record<string, string>) => Object.assign(new Error(`raw: ${JSON.stringify(fields)}`), fields);

function mapped(err: unknown) {
  const logged: unknown[] = [];
  const http = toHttpError(err, (e) => logged.push(e));
  return { http, logged, text: JSON.stringify({ message: http.message, fields: http.fields }) };
}

describe('errors in the product vocabulary', () => {
  it('names the field of a check constraint, never the constraint, and logs the raw error', () => {
    const err = pgError({ code: '23514', constraint: 'users_client_scope', table: 'users' });
    const { http, logged, text } = mapped(err);
    expect(http.status).toBe(422);
    expect(http.fields).toEqual([{ field: 'clientId', message: expect.stringContaining('client roles') }]);
    expect(text).not.toMatch(/users_client_scope|constraint/);
    expect(logged).toEqual([err]);
  });

  it('names the field of a foreign key from its column (users_technician_id_fkey → technicianId)', () => {
    const { http, text } = mapped(
      pgError({
        code: '23503',
        constraint: 'users_technician_id_fkey',
        table: 'users',
        detail: 'Key (technician_id)=(6a1f0000-0000-4000-8000-000000000000) is not present in table "technicians".',
      }),
    );
    expect(http.status).toBe(422);
    expect(http.fields).toEqual([{ field: 'technicianId', message: 'no such technician' }]);
    expect(text).not.toMatch(/fkey|technicians"|6a1f/);
  });

  it('finds the field in the constraint name where PostgreSQL omits the detail (row-level security)', () => {
    const fk = mapped(pgError({ code: '23503', constraint: 'users_technician_id_fkey', table: 'users' }));
    expect(fk.http.fields).toEqual([{ field: 'technicianId', message: 'no such technician' }]);
    const unique = mapped(pgError({ code: '23505', constraint: 'users_email_key', table: 'users' }));
    expect(unique.http.fields).toEqual([{ field: 'email', message: 'already used' }]);
  });

  it('names the field of a unique key without its value (personal data)', () => {
    const { http, text } = mapped(
      pgError({
        code: '23505',
        constraint: 'client_contacts_email_key',
        detail: 'Key (client_id, email)=(x, claire@client.test) already exists.',
      }),
    );
    expect(http.status).toBe(409);
    expect(http.fields).toEqual([{ field: 'email', message: 'already used' }]);
    expect(text).not.toMatch(/claire@|_key/);
  });

  it('an unknown check constraint is a generic rule, without its name', () => {
    const { http, text } = mapped(pgError({ code: '23514', constraint: 'invoices_totals_check' }));
    expect(http.status).toBe(422);
    expect(text).not.toContain('invoices_totals_check');
  });

  it("keeps the workflow's own refusals and hides Temporal's text and database text passed on by an activity", () => {
    const refusal = mapped(
      new WorkflowUpdateFailedError(
        'Workflow Update failed',
        ApplicationFailure.nonRetryable('checkIn is not possible while the intervention is analysis', 'InvalidTransition'),
      ),
    );
    expect(refusal.http).toMatchObject({ status: 409, message: 'checkIn is not possible while the intervention is analysis' });
    expect(refusal.logged).toEqual([]);

    const leaked = mapped(
      new WorkflowUpdateFailedError(
        'Workflow Update failed',
        ApplicationFailure.nonRetryable(
          'insert or update on table "parts_used" violates foreign key constraint "parts_used_request_id_fkey"',
          'ActionFailed',
        ),
      ),
    );
    expect(leaked.http.status).toBe(422);
    expect(leaked.text).not.toMatch(/violates|fkey|parts_used/);
    expect(leaked.logged).toHaveLength(1);

    const temporal = mapped(
      new WorkflowUpdateFailedError('Workflow Update failed', new TimeoutFailure('activity StartToClose timeout', null, 'START_TO_CLOSE')),
    );
    expect(temporal.http.status).toBe(422);
    expect(temporal.text).not.toMatch(/Workflow Update failed|StartToClose|timeout/i);
    expect(temporal.logged).toHaveLength(1);
  });
});

describe('refused updates', () => {
  const refused = (type: string) =>
    new WorkflowUpdateFailedError('update failed', ApplicationFailure.nonRetryable('INT-2026-000001 is not yours', type));

  it('maps NotAssigned to 403, InvalidTransition to 409 and other refusals to 422, whichever route sent them', () => {
    expect(mapped(refused(InterventionFailure.NotAssigned)).http).toMatchObject({ status: 403, code: 'forbidden' });
    expect(mapped(refused(InterventionFailure.InvalidTransition)).http.status).toBe(409);
    expect(mapped(refused(InterventionFailure.UnknownReference)).http.status).toBe(422);
  });
});
