/**
 * Scheduled KPI reports (migration 0280): subscriptions per scope, and the reports produced.
 * `clientId` null is the management scope. Called by the API with the caller's scoped executor
 * (row-level security: a client_admin reaches its own company's rows only) and by the report
 * activities with the worker's pool.
 */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { ReportPeriodKind } from '../schema/kpi-reports.table.js';

const ofScope = (clientId: string | null) => sql<boolean>`scope = ${clientId ?? 'management'}`;

export interface SubscriptionView {
  userId: string;
  displayName: string;
  email: string;
  weekly: boolean;
  monthly: boolean;
  createdAt: Date;
}

export async function listSubscriptions(db: Executor, clientId: string | null): Promise<SubscriptionView[]> {
  return db
    .selectFrom('reportSubscriptions as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select(['s.userId', 'u.displayName', 'u.email', 's.weekly', 's.monthly', 's.createdAt'])
    .where(ofScope(clientId))
    .orderBy('u.displayName')
    .execute();
}

/** Accounts that may receive a scope's report: active staff for management, the company's active accounts for a client. */
export async function subscribableAccounts(db: Executor, clientId: string | null) {
  return db
    .selectFrom('users')
    .select(['id as userId', 'displayName', 'email', 'role'])
    .where('active', '=', true)
    .$if(clientId === null, (q) => q.where('role', 'in', ['admin', 'support_agent', 'dispatcher', 'finance']))
    .$if(clientId !== null, (q) => q.where('clientId', '=', clientId!))
    .orderBy('displayName')
    .execute();
}

export async function upsertSubscription(
  db: Executor,
  s: { clientId: string | null; userId: string; weekly: boolean; monthly: boolean; createdBy: string | null },
): Promise<void> {
  await db
    .insertInto('reportSubscriptions')
    .values(s)
    .onConflict((oc) =>
      oc.columns(['scope', 'userId']).doUpdateSet((eb) => ({
        weekly: eb.ref('excluded.weekly'),
        monthly: eb.ref('excluded.monthly'),
        updatedAt: sql<Date>`now()`,
      })),
    )
    .execute();
}

export async function deleteSubscription(db: Executor, clientId: string | null, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('reportSubscriptions').where(ofScope(clientId)).where('userId', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The scopes with at least one active subscriber to this frequency. */
export async function scopesWithSubscribers(db: Executor, kind: ReportPeriodKind): Promise<(string | null)[]> {
  const rows = await db
    .selectFrom('reportSubscriptions as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select('s.clientId')
    .distinct()
    .where('u.active', '=', true)
    .where(kind === 'weekly' ? 's.weekly' : 's.monthly', '=', true)
    .execute();
  return rows.map((r) => r.clientId);
}

/** Active subscribers of a scope to a frequency, with the language they read. */
export async function subscribersOf(db: Executor, clientId: string | null, kind: ReportPeriodKind) {
  return db
    .selectFrom('reportSubscriptions as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select(['s.userId', 'u.email', 'u.displayName', 'u.locale'])
    .where(ofScope(clientId))
    .where('u.active', '=', true)
    .where(kind === 'weekly' ? 's.weekly' : 's.monthly', '=', true)
    .orderBy('u.email')
    .execute();
}

export async function findReport(db: Executor, clientId: string | null, kind: ReportPeriodKind, periodStart: string) {
  return db
    .selectFrom('kpiReports')
    .select(['id', 'workflowId'])
    .where(ofScope(clientId))
    .where('periodKind', '=', kind)
    .where('periodStart', '=', periodStart)
    .executeTakeFirst();
}

/** Stores a report unless its (scope, kind, start) exists; either way returns the stored one's id. */
export async function insertReportOnce(
  db: Executor,
  r: {
    clientId: string | null;
    periodKind: ReportPeriodKind;
    periodStart: string;
    periodEnd: string;
    language: 'fr' | 'en';
    figures: unknown;
    pdf: Buffer;
    csv: string;
    workflowId: string;
  },
): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insertInto('kpiReports')
    .values({ ...r, figures: JSON.stringify(r.figures) })
    .onConflict((oc) => oc.columns(['scope', 'periodKind', 'periodStart']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await findReport(db, r.clientId, r.periodKind, r.periodStart);
  if (!existing) throw new Error('kpi report: conflict without a stored row');
  return { id: existing.id, created: false };
}

export async function reportForEmail(db: Executor, id: string) {
  return db
    .selectFrom('kpiReports as r')
    .leftJoin('clients as c', 'c.id', 'r.clientId')
    .select(['r.id', 'r.clientId', 'c.companyName', 'r.periodKind', 'r.periodStart', 'r.periodEnd', 'r.language', 'r.pdf', 'r.csv'])
    .where('r.id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Reports newest first (row-level security decides which); `clientId` narrows to one scope ('management' for null). */
export async function listReports(db: Executor, filter: { scope?: string | undefined; limit?: number }) {
  return db
    .selectFrom('kpiReports as r')
    .leftJoin('clients as c', 'c.id', 'r.clientId')
    .select(['r.id', 'r.clientId', 'c.companyName', 'r.periodKind', 'r.periodStart', 'r.periodEnd', 'r.createdAt'])
    .$if(filter.scope !== undefined, (q) => q.where('r.scope', '=', filter.scope!))
    .orderBy('r.periodStart', 'desc')
    .orderBy('r.periodKind')
    .orderBy('c.companyName')
    .limit(filter.limit ?? 200)
    .execute();
}

export async function reportDocument(db: Executor, id: string, kind: 'pdf' | 'csv') {
  const row = await db
    .selectFrom('kpiReports')
    .select(['id', 'clientId', 'periodKind', 'periodStart', kind === 'pdf' ? 'pdf as body' : 'csv as body'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row;
}

/** A company's name and the language it reads (its preferences; French by default). */
export async function reportCompany(db: Executor, clientId: string): Promise<{ companyName: string; language: 'fr' | 'en' }> {
  const client = await db.selectFrom('clients').select(['companyName', 'preferences']).where('id', '=', clientId).executeTakeFirstOrThrow();
  return { companyName: client.companyName, language: client.preferences.language === 'en' ? 'en' : 'fr' };
}
