/**
 * One error vocabulary at the HTTP edge: every error body is `{ error: { code, message, fields? } }`.
 * Stack traces and SQL never reach a response.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { InterventionFailure } from '../workflows/intervention/intervention.contract.js';

export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'unauthorized'
  | 'too_many_requests'
  | 'forbidden'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'service_unavailable'
  | 'worker_unavailable'
  | 'internal_error';

export interface FieldError {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    /** For 429 and 503: seconds until a retry may succeed (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
    /** Machine-readable extras sent next to code and message (e.g. a reason code, translations). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

/** Turns a zod error into field errors: `device.purchaseDate: Invalid date`. */
export function fieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}

export function validationError(error: ZodError, prefix?: string): HttpError {
  const fields = fieldErrors(error, prefix);
  return new HttpError(400, 'validation_failed', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
}

/**
 * PostgreSQL errors that are the caller's fault, by SQLSTATE. The message names the rule, never
 * the SQL. 42501 is a row-level security refusal: writing into another tenant.
 */
function fromPostgres(err: { code?: unknown; constraint?: unknown }): HttpError | null {
  if (typeof err?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(err.code)) return null;
  const rule = typeof err.constraint === 'string' ? ` (${err.constraint})` : '';
  switch (err.code) {
    case '23505':
      return new HttpError(409, 'conflict', `already exists${rule}`);
    case '23503':
      return new HttpError(422, 'validation_failed', `refers to an unknown object${rule}`);
    case '23514':
    case '23502':
      return new HttpError(422, 'validation_failed', `breaks a data rule${rule}`);
    case '22P02':
    case '22007':
    case '22008':
      return new HttpError(400, 'validation_failed', 'a value has an invalid format');
    case '42501':
      return new HttpError(403, 'forbidden', 'not allowed on this object');
    default:
      return null;
  }
}

function rejectedUpdate(err: WorkflowUpdateFailedError): HttpError {
  const cause = err.cause;
  const message = cause instanceof Error ? cause.message : err.message;
  if (cause instanceof ApplicationFailure && cause.type === InterventionFailure.InvalidTransition) {
    return new HttpError(409, 'invalid_transition', message);
  }
  // A technician acting on an intervention that is not theirs, whichever route sent it.
  if (cause instanceof ApplicationFailure && cause.type === InterventionFailure.NotAssigned) {
    return new HttpError(403, 'forbidden', message);
  }
  return new HttpError(422, 'invalid_transition', message);
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

export function errorHandler(log: (err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    let http: HttpError;
    if (err instanceof HttpError) http = err;
    else if (err instanceof ZodError) http = validationError(err);
    else if (err instanceof WorkflowNotFoundError) http = new HttpError(404, 'not_found', 'intervention not found');
    else if (err instanceof WorkflowExecutionAlreadyStartedError) http = new HttpError(409, 'conflict', 'intervention already exists');
    else if (err instanceof WorkflowUpdateFailedError) http = rejectedUpdate(err);
    else if (err?.type === 'entity.too.large') http = new HttpError(413, 'payload_too_large', 'request body is too large');
    else if (err?.type === 'entity.parse.failed') http = new HttpError(400, 'validation_failed', 'body is not valid JSON');
    else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500 && err.expose) {
      // body-parser's other refusals (charset, encoding, content type).
      http = new HttpError(err.status, err.status === 415 ? 'unsupported_media_type' : 'validation_failed', String(err.message));
    } else if (fromPostgres(err)) http = fromPostgres(err)!;
    else {
      log(err);
      http = new HttpError(500, 'internal_error', 'unexpected error; it has been logged');
    }
    if (res.headersSent) {
      // A stream failed midway: the status is gone, only cutting the connection tells the client.
      log(err);
      res.destroy();
      return;
    }
    if ((http.status === 429 || http.status === 503) && http.retryAfterSeconds)
      res.setHeader('Retry-After', String(http.retryAfterSeconds));
    res.status(http.status).json({
      error: { code: http.code, message: http.message, ...(http.fields ? { fields: http.fields } : {}), ...(http.details ?? {}) },
    });
  };
}
