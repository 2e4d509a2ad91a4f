import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema/index.js';

/**
 * What every repository function runs its queries on: the pool, or a transaction. In the API it
 * is the caller's scoped executor (row-level security reads the caller from its settings), never
 * a global pool; functions that take locks demand `Transaction<DB>`.
 */
export type Executor = Kysely<DB> | Transaction<DB>;
