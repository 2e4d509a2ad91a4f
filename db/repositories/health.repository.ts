/** The database half of `/healthz`. */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

/** One round trip to PostgreSQL (`select 1`); rejects when it does not answer. */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}
