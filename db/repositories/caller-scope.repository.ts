/**
 * Tells PostgreSQL who is asking: the settings row-level security reads (`app.role`,
 * `app.user_id`, `app.client_id`, `app.technician_id`, see migration 0003) and the role the rest
 * of the transaction runs as. All `SET LOCAL`: they end with the transaction.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../schema/index.js';

export interface CallerSettings {
  /** The caller's application role ('' for an anonymous caller). */
  role: string;
  userId: string;
  clientId: string;
  technicianId: string;
}

/** Sets the caller's identity for the rest of `trx` and switches it to `dbRole`. */
export async function enterCallerScope(trx: Transaction<DB>, caller: CallerSettings, dbRole: string): Promise<void> {
  await sql`select set_config('app.role', ${caller.role}, true),
                   set_config('app.user_id', ${caller.userId}, true),
                   set_config('app.client_id', ${caller.clientId}, true),
                   set_config('app.technician_id', ${caller.technicianId}, true),
                   set_config('role', ${dbRole}, true)`.execute(trx);
}
