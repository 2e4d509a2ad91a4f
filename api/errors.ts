/**
 * One error vocabulary at the HTTP edge: every error body is `{ error: { code, message, fields? } }`.
 * Stack traces and SQL never reach a response.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { RETRY_AFTER_SECONDS, unavailableDependency, unavailableLogLine, unavailableMessage, type Dependency } from './unavailable.js';

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
  | 'internal_error'
  | 'response_schema_mismatch';

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

/**
 * 503 while PostgreSQL or Temporal is out of reach: `Retry-After`, a message naming it, and
 * `unavailable: 'postgres' | 'temporal'` beside the code. `outcome` says what became of the
 * request when the default (it could not be completed) is not the whole truth.
 */
export function dependencyUnavailable(dependency: Dependency, outcome?: string): HttpError {
  return new HttpError(503, 'service_unavailable', unavailableMessage(dependency, outcome), undefined, RETRY_AFTER_SECONDS[dependency], {
    unavailable: dependency,
  });
}

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
 * Check constraints, in the product's words: the field the client sent and what it breaks.
 * Foreign keys, unique keys and NOT NULL need no entry: their column is in the error.
 */
const CHECK_RULES: Record<string, FieldError> = {
  users_client_scope: {
    field: 'clientId',
    message: 'required for the client roles (client_user, client_admin), not allowed for the others',
  },
  users_technician_scope: { field: 'technicianId', message: 'required for the technician role, not allowed for the others' },
  contracts_dates_check: { field: 'endsOn', message: 'must not be before startsOn' },
  contract_sla_targets_order: { field: 'resolutionMinutes', message: 'must be at least responseMinutes' },
  technician_certifications_dates: { field: 'expiresOn', message: 'must be after obtainedOn' },
  technician_shifts_order: { field: 'endsAt', message: 'must be after startsAt' },
  technician_absences_order: { field: 'endsAt', message: 'must be after startsAt' },
  assignments_schedule_order: { field: 'end', message: 'must be after start' },
  site_visits_order: { field: 'checkedOutAt', message: 'must not be before the check-in' },
  oidc_providers_domains_check: { field: 'allowedEmailDomains', message: 'invalid email domains' },
};

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Unique indexes whose name does not end with their client-facing column. */
const KEY_COLUMNS: Record<string, string> = {
  assets_serial_key: 'serial_number',
  invoices_series_sequence_key: 'number',
  dispatch_plans_run_key: 'workflow_id',
};

/**
 * The column a key constraint is about: from the error detail `Key (a, b)=(…)` (never the values:
 * personal data) or, where PostgreSQL omits the detail (row-level security), from the
 * constraint's name `<table>_<column>_fkey|_key`.
 */
function keyColumn(err: { constraint?: unknown; table?: unknown; detail?: unknown }): string | null {
  const match = typeof err.detail === 'string' ? /^Key \(([a-z0-9_, ]+)\)=/.exec(err.detail) : null;
  // The last column of a composite key is the one the client chose (`client_id, email` → email).
  if (match) return match[1]!.split(',').at(-1)!.trim();
  if (typeof err.constraint !== 'string') return null;
  if (KEY_COLUMNS[err.constraint]) return KEY_COLUMNS[err.constraint]!;
  const table = typeof err.table === 'string' ? err.table : '';
  const named = /^(.+)_(fkey|key)$/.exec(err.constraint);
  if (!named || !table || !named[1]!.startsWith(`${table}_`)) return null;
  return named[1]!.slice(table.length + 1);
}

function fieldFailure(status: number, code: ErrorCode, field: FieldError | null, fallback: string): HttpError {
  if (!field) return new HttpError(status, code, fallback);
  return new HttpError(status, code, `${field.field}: ${field.message}`, [field]);
}

/**
 * PostgreSQL errors that are the caller's fault, by SQLSTATE, named by the field they concern.
 * The message never names a constraint, a table or the SQL (the raw error is logged). 42501 is a
 * row-level security refusal: writing into another tenant.
 */
function fromPostgres(err: {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  detail?: unknown;
}): HttpError | null {
  if (typeof err?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(err.code)) return null;
  const column = err.code === '23505' || err.code === '23503' ? keyColumn(err) : null;
  const field = column ? camel(column) : null;
  switch (err.code) {
    case '23505':
      return fieldFailure(409, 'conflict', field ? { field, message: 'already used' } : null, 'already exists');
    case '23503': {
      // Deleting a row others refer to (the detail may be omitted under row-level security).
      if (/^update or delete on table/.test(String((err as { message?: unknown }).message)))
        return new HttpError(409, 'conflict', 'still in use');
      const noun = column?.replace(/_id$/, '').replace(/_/g, ' ');
      return fieldFailure(422, 'validation_failed', field ? { field, message: `no such ${noun}` } : null, 'refers to an unknown object');
    }
    case '23514':
      return fieldFailure(422, 'validation_failed', CHECK_RULES[String(err.constraint)] ?? null, 'breaks a data rule');
    case '23502':
      return fieldFailure(
        422,
        'validation_failed',
        typeof err.column === 'string' ? { field: camel(err.column), message: 'required' } : null,
        'a required value is missing',
      );
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

/** Failure types the workflows raise with messages written for the client (see the contract). */
const CLIENT_FACING_FAILURES = new Set(['InvalidTransition', 'ActionFailed', 'UnknownReference', 'NotAssigned']);
/** What a message that leaks the database or Temporal looks like (an activity passing one on). */
const INTERNAL_TEXT =
  /constraint|violates|relation "|column "|duplicate key|syntax error|activity task|workflow (task|execution)|temporal/i;

/**
 * An update the workflow refused. Only the workflow's own refusals (typed ApplicationFailures)
 * carry their message to the client, and not when an activity passed database text into one;
 * anything else is a generic refusal (the cause is logged).
 */
function rejectedUpdate(err: WorkflowUpdateFailedError, log: (err: unknown) => void): HttpError {
  const cause = err.cause;
  const typed = cause instanceof ApplicationFailure && typeof cause.type === 'string' && CLIENT_FACING_FAILURES.has(cause.type);
  const readable = typed && !INTERNAL_TEXT.test(cause.message);
  if (!readable) log(err);
  // A technician acting on an intervention that is not theirs, whichever route sent it.
  if (typed && cause.type === 'NotAssigned') return new HttpError(403, 'forbidden', readable ? cause.message : 'not your intervention');
  if (typed && cause.type === 'InvalidTransition') {
    return new HttpError(409, 'invalid_transition', readable ? cause.message : 'this action is not possible now');
  }
  return new HttpError(422, 'invalid_transition', readable ? cause.message : 'the action could not be carried out');
}

/** A path whose percent-encoding is not UTF-8 (`/requests/%FF`): the router cannot decode its parameter. */
function badPercentEncoding(err: URIError): HttpError {
  const raw = /'(.*)'/.exec(err.message)?.[1];
  const message = `invalid percent-encoding (not UTF-8)${raw ? `: ${raw.slice(0, 100)}` : ''}`;
  return new HttpError(400, 'validation_failed', `path: ${message}`, [{ field: 'path', message }]);
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

/**
 * Any error in the product's vocabulary: what the client may be told. Errors whose raw text
 * stays server-side (database, Temporal, unexpected) are passed to `log`.
 */
export function toHttpError(err: any, log: (err: unknown) => void): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof ZodError) return validationError(err);
  if (err instanceof WorkflowNotFoundError) return new HttpError(404, 'not_found', 'intervention not found');
  if (err instanceof WorkflowExecutionAlreadyStartedError) return new HttpError(409, 'conflict', 'intervention already exists');
  if (err instanceof WorkflowUpdateFailedError) return rejectedUpdate(err, log);
  if (err?.type === 'entity.too.large') return new HttpError(413, 'payload_too_large', 'request body is too large');
  if (err?.type === 'entity.parse.failed') return new HttpError(400, 'validation_failed', 'body is not valid JSON');
  if (err instanceof URIError) return badPercentEncoding(err);
  if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500 && err.expose) {
    // body-parser's other refusals (charset, encoding, content type).
    return new HttpError(err.status, err.status === 415 ? 'unsupported_media_type' : 'validation_failed', String(err.message));
  }
  // PostgreSQL or Temporal out of reach: a 503 the client can retry, logged as one line.
  const unavailable = unavailableDependency(err);
  if (unavailable) {
    log(unavailableLogLine(unavailable, err));
    return dependencyUnavailable(unavailable);
  }
  const database = fromPostgres(err);
  // The client gets the field and the rule; the constraint and the SQL stay in the log.
  log(err);
  return database ?? new HttpError(500, 'internal_error', 'unexpected error; it has been logged');
}

/**
 * Lines about an outage (`postgres unavailable: …`) come one per request: the first of a burst is
 * logged, then one every `everyMs` saying how many were left out.
 */
export function quietOutageLog(log: (err: unknown) => void, everyMs = 10_000): (err: unknown) => void {
  const last = new Map<string, { at: number; skipped: number }>();
  return (err) => {
    const outage = typeof err === 'string' ? /^(\w+) unavailable:/.exec(err)?.[1] : undefined;
    if (!outage) return log(err);
    const now = Date.now();
    const seen = last.get(outage);
    if (seen && now - seen.at < everyMs) {
      seen.skipped += 1;
      return;
    }
    last.set(outage, { at: now, skipped: 0 });
    log(seen?.skipped ? `${String(err)} (and ${seen.skipped} more answered 503 since the last line)` : err);
  };
}

export function errorHandler(log: (err: unknown) => void): ErrorRequestHandler {
  const quiet = quietOutageLog(log);
  return (err, _req, res, _next) => {
    const http = toHttpError(err, quiet);
    // A 503 built where the outage was met (the intake, an action) is logged as one met here
    // (toHttpError logs the raw errors it maps itself).
    const outage = err instanceof HttpError ? http.details?.unavailable : undefined;
    if (typeof outage === 'string') quiet(`${outage} unavailable: ${http.message}`);
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
