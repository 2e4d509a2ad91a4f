/**
 * Scheduled KPI reports, the API's side: the caller's scope (an admin manages the management
 * report, a client_admin its own company's), its subscriptions, and the stored reports. Row-level
 * security on report_subscriptions and kpi_reports enforces the same below.
 */
import type { Executor } from '../../db/executor.js';
import {
  deleteSubscription,
  listReports,
  listSubscriptions,
  reportDocument,
  subscribableAccounts,
  upsertSubscription,
} from '../../db/repositories/kpi-reports.repository.js';
import { HttpError, notFound } from '../errors.js';
import type { Principal } from '../routing.js';

/** The scope a caller manages: null for management (admin), the company for a client_admin. */
export function managedScope(principal: Principal | null): string | null {
  if (principal?.role === 'admin') return null;
  if (principal?.role === 'client_admin' && principal.clientId) return principal.clientId;
  throw new HttpError(403, 'forbidden', 'only an admin (management report) or a client admin (its company report) manages subscriptions');
}

export async function subscriptionsOf(db: Executor, principal: Principal | null) {
  const clientId = managedScope(principal);
  const [items, accounts] = await Promise.all([listSubscriptions(db, clientId), subscribableAccounts(db, clientId)]);
  return { scope: clientId === null ? ('management' as const) : ('client' as const), clientId, items, accounts };
}

export async function subscribe(
  db: Executor,
  principal: Principal | null,
  userId: string,
  frequency: { weekly: boolean; monthly: boolean },
) {
  const clientId = managedScope(principal);
  const accounts = await subscribableAccounts(db, clientId);
  if (!accounts.some((a) => a.userId === userId)) {
    throw new HttpError(
      400,
      'validation_failed',
      clientId === null
        ? 'userId: the management report goes to active staff accounts only'
        : 'userId: not an active account of your company',
    );
  }
  if (!frequency.weekly && !frequency.monthly) throw new HttpError(400, 'validation_failed', 'choose weekly, monthly or both');
  await upsertSubscription(db, { clientId, userId, ...frequency, createdBy: principal?.userId ?? null });
  return subscriptionsOf(db, principal);
}

export async function unsubscribe(db: Executor, principal: Principal | null, userId: string) {
  // Idempotent: removing an account that is not (or no longer) subscribed answers the same list.
  await deleteSubscription(db, managedScope(principal), userId);
  return subscriptionsOf(db, principal);
}

const lastDay = (end: string) => new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The stored reports the caller may read (row-level security), newest first; `scope` narrows them. */
export async function reportsOf(db: Executor, principal: Principal | null, q: { scope?: 'management' | 'client' | undefined }) {
  const scope =
    principal?.role === 'client_admin'
      ? (principal.clientId ?? '00000000-0000-0000-0000-000000000000')
      : q.scope === 'management'
        ? 'management'
        : undefined;
  const rows = await listReports(db, { scope });
  return {
    items: rows
      .filter((r) => q.scope !== 'client' || r.clientId !== null)
      .map((r) => ({
        id: r.id,
        scope: r.clientId === null ? ('management' as const) : ('client' as const),
        clientId: r.clientId,
        companyName: r.companyName,
        periodKind: r.periodKind,
        periodStart: r.periodStart,
        periodLastDay: lastDay(r.periodEnd),
        createdAt: r.createdAt,
        links: { pdf: `/api/kpi-reports/${r.id}/pdf`, csv: `/api/kpi-reports/${r.id}/csv` },
      })),
  };
}

export async function reportFile(db: Executor, id: string, kind: 'pdf' | 'csv') {
  const doc = await reportDocument(db, id, kind);
  if (!doc) throw notFound(`report ${id}`);
  return {
    body: doc.body,
    fileName: `rapport-kpi-${doc.clientId ?? 'direction'}-${doc.periodKind === 'weekly' ? 'hebdo' : 'mensuel'}-${doc.periodStart}.${kind}`,
  };
}
