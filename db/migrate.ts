import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, NO_MIGRATIONS, sql, type Kysely, type MigrationResult } from 'kysely';
import { LEGACY_MIGRATION_NAMES, migrations } from './migrations/index.js';

export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export class MigrationError extends Error {
  constructor(
    readonly results: MigrationResult[] | undefined,
    override readonly cause: unknown,
  ) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    super(`migration ${failed ?? '(setup)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Rewrites, in the migrator's own table, the names that databases migrated before the
 * renumbering recorded (see LEGACY_MIGRATION_NAMES): otherwise the migrator would take them for
 * migrations that vanished and refuse to run. Idempotent; nothing to do on a new database.
 */
export async function renameLegacyMigrations(db: Kysely<any>): Promise<number> {
  const table = await sql<{ exists: boolean }>`select to_regclass('kysely_migration') is not null as exists`.execute(db);
  if (!table.rows[0]?.exists) return 0;
  let renamed = 0;
  await db.transaction().execute(async (trx) => {
    for (const [legacy, current] of LEGACY_MIGRATION_NAMES) {
      const result = await trx.updateTable('kysely_migration').set({ name: current }).where('name', '=', legacy).executeTakeFirst();
      renamed += Number(result.numUpdatedRows);
    }
  });
  return renamed;
}

/** Brings the schema up to date; throws a MigrationError naming the migration that failed. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResult[]> {
  await renameLegacyMigrations(db);
  const { error, results } = await createMigrator(db).migrateToLatest();
  if (error) throw new MigrationError(results, error);
  return results ?? [];
}

/** Undoes every migration (tests, and `npm run migrate -- down`). */
export async function migrateToEmpty(db: Kysely<any>): Promise<MigrationResult[]> {
  await renameLegacyMigrations(db);
  const { error, results } = await createMigrator(db).migrateTo(NO_MIGRATIONS);
  if (error) throw new MigrationError(results, error);
  return results ?? [];
}

// `npm run migrate [-- down]` against DATABASE_URL.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { createDb } = await import('./client.js');
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required (e.g. postgres://user:pass@host:5432/db)');
    process.exit(2);
  }
  const db = createDb({ connectionString: url, max: 1 });
  try {
    const results = process.argv[2] === 'down' ? await migrateToEmpty(db) : await migrateToLatest(db);
    for (const r of results) console.log(`${r.direction.padEnd(4)} ${r.status.padEnd(8)} ${r.migrationName}`);
    if (results.length === 0) console.log('schema already up to date');
  } catch (err) {
    console.error(String(err));
    process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}
