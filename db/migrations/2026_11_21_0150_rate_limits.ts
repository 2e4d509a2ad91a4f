import { sql, type Kysely } from 'kysely';

// The API's general rate limit counters (api/rate-limit.ts), shared by every API process. The
// layout is the one rate-limiter-flexible's RateLimiterPostgres expects (key, points, expire in
// epoch milliseconds); the library is told the table exists rather than creating it at run time.
// Reached only through the owner connection, never by a request: no right for app_tenant.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute();
  // The library deletes expired rows by this column.
  await db.schema.createIndex('rate_limits_expire_idx').on('rate_limits').column('expire').execute();
  await sql`revoke all on rate_limits from app_tenant`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
