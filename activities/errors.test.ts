import { ApplicationFailure } from '@temporalio/common';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PermanentFailure, safeMessage } from '../workflows/activity-retry.contract.js';
import { classifyError, permanentFailure } from './errors.js';

/** A DatabaseError as pg's protocol parser builds it from the server's ErrorResponse fields. */
function databaseError(code: string, message: string, fields: Partial<pg.DatabaseError> = {}): pg.DatabaseError {
  const err = new pg.DatabaseError(message, message.length + 40, 'error');
  Object.assign(err, { severity: 'ERROR', code, file: 'postgres.c', line: '1', routine: 'r' }, fields);
  return err;
}

/** A Node system error as `net` raises it (pg passes it on unchanged). */
function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, errno: -111, syscall: 'connect', address: '127.0.0.1', port: 5432 });
}

describe('classifyError', () => {
  it.each([
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['22P02', 'invalid input syntax for type uuid: "not-a-uuid"'],
    ['22001', 'value too long for type character varying(40)'],
    ['22003', 'integer out of range'],
    ['22007', 'invalid input syntax for type date: "2026-13-45"'],
    ['23502', 'null value in column "reason" of relation "requests" violates not-null constraint'],
    ['23503', 'insert or update on table "assignments" violates foreign key constraint "assignments_technician_id_fkey"'],
    ['23505', 'duplicate key value violates unique constraint "users_email_key"'],
    ['23P01', 'conflicting key value violates exclusion constraint "no_overlap"'],
    ['23514', 'new row for relation "invoices" violates check constraint "invoices_total_check"'],
  ])('a PostgreSQL %s (%s) is permanent', (code, message) => {
    expect(classifyError(databaseError(code, message))).toBe('permanent');
  });

  it.each([
    ['08006', 'connection failure'],
    ['08001', 'could not connect to server'],
    ['40001', 'could not serialize access due to concurrent update'],
    ['40P01', 'deadlock detected'],
    ['55P03', 'could not obtain lock on row in relation "requests"'],
    ['57014', 'canceling statement due to statement timeout'],
    ['57P01', 'terminating connection due to administrator command'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'sorry, too many clients already'],
    ['53100', 'could not extend file: No space left on device'],
    ['25006', 'cannot execute UPDATE in a read-only transaction'],
    ['42P01', 'relation "timeline_entries" does not exist'],
    ['42703', 'column "reason" does not exist'],
    ['XX000', 'internal error'],
  ])('a PostgreSQL %s (%s) is transient', (code, message) => {
    expect(classifyError(databaseError(code, message))).toBe('transient');
  });

  it('a unique violation is retried twice (a concurrent attempt may have won), then permanent', () => {
    const race = databaseError('23505', 'duplicate key value violates unique constraint "assignments_one_live_per_request"');
    expect([1, 2, 3, 4].map((attempt) => classifyError(race, attempt))).toEqual(['transient', 'transient', 'permanent', 'permanent']);
    expect(classifyError(databaseError('23503', 'violates foreign key constraint'), 1)).toBe('permanent');
    expect(classifyError(databaseError('22021', 'invalid byte sequence'), 1)).toBe('permanent');
  });

  it('connection errors are transient, whatever wraps them', () => {
    expect(classifyError(systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe('transient');
    expect(classifyError(systemError('ECONNRESET', 'read ECONNRESET'))).toBe('transient');
    expect(classifyError(systemError('EPERM', 'operation not permitted'))).toBe('transient');
    // Node 20 tries every address of `localhost` and reports them together.
    const aggregate = Object.assign(new AggregateError([systemError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432')], ''), {
      code: 'ECONNREFUSED',
    });
    expect(classifyError(aggregate)).toBe('transient');
    expect(classifyError(new Error('timeout exceeded when trying to connect'))).toBe('transient');
    expect(classifyError(new Error('Connection terminated unexpectedly'))).toBe('transient');
  });

  it('finds the database error behind a wrapping error', () => {
    const wrapped = new Error('could not record the transition', { cause: databaseError('22021', 'invalid byte sequence') });
    expect(classifyError(wrapped)).toBe('permanent');
  });

  it('validation errors are permanent', () => {
    const result = z.object({ reason: z.string() }).safeParse({ reason: 1 });
    expect(result.success).toBe(false);
    expect(classifyError(result.error)).toBe('permanent');
  });

  it('SMTP: 5xx on the message is permanent; 4xx, authentication and connections are transient', () => {
    const smtp = (responseCode: number, code = 'EENVELOPE') => Object.assign(new Error(`${responseCode} refused`), { code, responseCode });
    expect(classifyError(smtp(550))).toBe('permanent');
    expect(classifyError(smtp(552, 'EMESSAGE'))).toBe('permanent');
    expect(classifyError(smtp(451))).toBe('transient');
    expect(classifyError(smtp(421, 'EPROTOCOL'))).toBe('transient');
    expect(classifyError(smtp(535, 'EAUTH'))).toBe('transient');
    expect(classifyError(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }))).toBe('transient');
  });

  it('typed failures keep their own decision; unknown errors are transient', () => {
    expect(classifyError(ApplicationFailure.nonRetryable('no such technician', 'UnknownReference'))).toBe('permanent');
    expect(classifyError(ApplicationFailure.retryable('try again'))).toBe('transient');
    expect(classifyError(new TypeError('x is undefined'))).toBe('transient');
    expect(classifyError('a string')).toBe('transient');
    expect(classifyError(null)).toBe('transient');
  });
});

describe('permanentFailure', () => {
  it('is non-retryable, typed, with the SQLSTATE and where in details, and no value from the data', () => {
    const failure = permanentFailure(
      databaseError('22P02', 'invalid input syntax for type uuid: "jean.dupont@client.fr"', { table: 'requests', column: 'contact_id' }),
    );
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe(PermanentFailure.type);
    expect(failure.message).toBe('invalid input syntax for type uuid: "…" (SQLSTATE 22P02)');
    expect(failure.details).toEqual([{ errorName: 'DatabaseError', sqlstate: '22P02', table: 'requests', column: 'contact_id' }]);
  });

  it('keeps the message of a NUL byte and the constraint of a violation', () => {
    expect(permanentFailure(databaseError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')).message).toBe(
      'invalid byte sequence for encoding "UTF8": 0x00 (SQLSTATE 22021)',
    );
    const violation = permanentFailure(
      databaseError('23505', 'duplicate key value violates unique constraint "users_email_key"', { constraint: 'users_email_key' }),
    );
    expect(violation.details).toEqual([{ errorName: 'DatabaseError', sqlstate: '23505', constraint: 'users_email_key' }]);
  });

  it('a validation error says so without echoing the input', () => {
    const result = z.object({ reason: z.string().max(3) }).safeParse({ reason: 'secret-token-123' });
    expect(permanentFailure(result.error).message).toBe('invalid activity input');
  });
});

describe('safeMessage', () => {
  it('hides URL credentials and a quoted trailing value', () => {
    expect(safeMessage('connect to postgres://app:s3cr3t@db:5432/x failed')).toBe('connect to postgres://***@db:5432/x failed');
    expect(safeMessage('invalid input syntax for type integer: "12ab"')).toBe('invalid input syntax for type integer: "…"');
    expect(safeMessage('relation "requests" does not exist')).toBe('relation "requests" does not exist');
  });
});
