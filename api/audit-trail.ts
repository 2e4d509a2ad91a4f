/**
 * The before/after of a master-data change, handed from a use case to the route's audit entry
 * (api/auth/access.ts `auditRouteCall`), which writes it in the same transaction as the change.
 */
import type { Response } from 'express';

export interface RecordedChange {
  /** What kind of object: `client`, `site`, `contract`, `technician`, `part`, `account`… */
  entityType: string;
  entityId: string;
  /** null for a creation. */
  before: unknown;
  /** null for a deletion. */
  after: unknown;
}

const KEY = 'auditChanges';

/** Records one change of this request (a use case may record several). */
export function recordChange(res: Response, change: RecordedChange): void {
  const locals = res.locals as Record<string, unknown>;
  const list = (locals[KEY] as RecordedChange[] | undefined) ?? [];
  list.push(change);
  locals[KEY] = list;
}

/** The changes recorded during the request, in order. */
export function recordedChanges(res: Response | undefined): RecordedChange[] {
  return ((res?.locals as Record<string, unknown> | undefined)?.[KEY] as RecordedChange[] | undefined) ?? [];
}

/** Where a use case reports what it changed (the route passes `(c) => recordChange(res, c)`). */
export type AuditSink = (change: RecordedChange) => void;
