/**
 * Whether an object exists for the executor's caller: under a scoped executor row-level security
 * hides what the caller may not see, so "not visible" and "does not exist" are the same answer.
 */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

export type VisibleByIdTable =
  | 'users'
  | 'apiTokens'
  | 'clients'
  | 'technicians'
  | 'clientLocations'
  | 'clientContacts'
  | 'assets'
  | 'contracts'
  | 'requestAttachments'
  | 'kbArticles'
  | 'monitoringIntegrations';

/** True when the row `id` of `table` exists and the caller may see it. */
export async function isRowVisible(db: Executor, table: VisibleByIdTable, id: string): Promise<boolean> {
  const row = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** True when the service request `ticketNumber` exists and the caller may see it. */
export async function isTicketVisible(db: Executor, ticketNumber: string): Promise<boolean> {
  const row = await db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', ticketNumber).executeTakeFirst();
  return row !== undefined;
}

/** True when the caller may see the service request `id` (the policies' own rule, app_request_visible). */
export async function isRequestVisible(db: Executor, id: string): Promise<boolean> {
  const { rows } = await sql<{ visible: boolean }>`select app_request_visible(${id}::uuid) as visible`.execute(db);
  return rows[0]?.visible === true;
}
