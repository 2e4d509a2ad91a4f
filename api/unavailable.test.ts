import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../db/index.js';
import { quietOutageLog, toHttpError } from './errors.js';
import { unavailableDependency } from './unavailable.js';

/** A gRPC status error as @grpc/grpc-js builds it. */
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
const pgError = (fields: Record<string, string>) => Object.assign(new Error('raw'), fields);

describe('a dependency out of reach', () => {
  it('recognises PostgreSQL unreachable: a connection not had, lost, or a server going away', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:54329'), { code: 'ECONNREFUSED' });
    expect(unavailableDependency(new DatabaseUnavailableError(refused))).toBe('postgres');
    expect(unavailableDependency(new Error('Connection terminated unexpectedly'))).toBe('postgres');
    expect(unavailableDependency(new Error('timeout exceeded when trying to connect'))).toBe('postgres');
    for (const code of ['57P01', '57P03', '08006', '53300']) expect(unavailableDependency(pgError({ code }))).toBe('postgres');
    // The caller's mistakes and the server's refusals stay what they are.
    for (const code of ['23505', '22P02', '42501', '28P01']) expect(unavailableDependency(pgError({ code }))).toBeNull();
  });

  it('recognises Temporal unreachable: UNAVAILABLE or DEADLINE_EXCEEDED, also inside the SDK wrapper', () => {
    expect(unavailableDependency(new ServiceError('Failed to start Workflow', { cause: grpcError(14, 'No connection established') }))).toBe(
      'temporal',
    );
    expect(unavailableDependency(grpcError(4, 'Deadline exceeded'))).toBe('temporal');
    expect(unavailableDependency(grpcError(3, 'invalid argument'))).toBeNull();
    expect(unavailableDependency(new Error('something else'))).toBeNull();
  });

  it('answers 503 with Retry-After seconds and the dependency named, and logs one line without a stack', () => {
    const logged: unknown[] = [];
    const http = toHttpError(
      new DatabaseUnavailableError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
      (e) => logged.push(e),
    );
    expect({ status: http.status, code: http.code, retryAfter: http.retryAfterSeconds, details: http.details }).toEqual({
      status: 503,
      code: 'service_unavailable',
      retryAfter: 5,
      details: { unavailable: 'postgres' },
    });
    expect(http.message).toBe('the database (PostgreSQL) is unavailable: the request could not be completed. Retry in 5 s.');
    expect(logged).toEqual(['postgres unavailable: connect ECONNREFUSED']);
  });

  it('logs the first line of an outage burst, then one now and then with the count left out', () => {
    const lines: unknown[] = [];
    const log = quietOutageLog((e) => lines.push(e), 60_000);
    for (let i = 0; i < 5; i++) log('postgres unavailable: connect ECONNREFUSED');
    log('temporal unavailable: 14 UNAVAILABLE');
    const other = new Error('unexpected');
    log(other);
    expect(lines).toEqual(['postgres unavailable: connect ECONNREFUSED', 'temporal unavailable: 14 UNAVAILABLE', other]);
  });
});
