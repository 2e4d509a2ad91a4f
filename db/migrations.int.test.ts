/** Migrations run up from an empty database and back down to empty, on the real PostgreSQL. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, migrateToEmpty, migrateToLatest } from './index.js';
import { LEGACY_MIGRATION_NAMES, migrations } from './migrations/index.js';
import { ensureDatabase } from '../scripts/postgres.js';
import { testDatabaseUrl } from '../scripts/testing/env.js';

describe('migrations', () => {
  const name = `migrations_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const url = new URL(testDatabaseUrl());
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  url.pathname = `/${name}`;
  const db = createDb({ connectionString: url.toString(), max: 1 });

  afterAll(async () => {
    await db.destroy();
  });

  async function tables(): Promise<string[]> {
    const result = await sql<{ tablename: string }>`
      select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%' order by 1`.execute(db);
    return result.rows.map((r) => r.tablename);
  }

  it('go up from empty with every table of the data model, then down to nothing', async () => {
    await ensureDatabase(adminUrl.toString(), name);
    expect(await tables()).toEqual([]);
    const up = await migrateToLatest(db);
    expect(up.length).toBeGreaterThan(0);
    expect(up.every((r) => r.status === 'Success' && r.direction === 'Up')).toBe(true);
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'clients',
        'client_contacts',
        'client_locations',
        'contracts',
        'contract_sla_targets',
        'assets',
        'technicians',
        'technician_skills',
        'technician_certifications',
        'technician_shifts',
        'technician_absences',
        'service_requests',
        'assignments',
        'request_events',
        'outbound_messages',
      ]),
    );
    // A second run is a no-op.
    expect(await migrateToLatest(db)).toEqual([]);
    const down = await migrateToEmpty(db);
    expect(down.every((r) => r.status === 'Success' && r.direction === 'Down')).toBe(true);
    expect(await tables()).toEqual([]);
  });

  it('a database migrated under the names before the renumbering keeps its order and runs nothing again', async () => {
    await migrateToLatest(db);
    for (const [legacy, current] of LEGACY_MIGRATION_NAMES) {
      await sql`update kysely_migration set name = ${legacy} where name = ${current}`.execute(db);
    }
    expect(await migrateToLatest(db)).toEqual([]);
    const names = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(names.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    await migrateToEmpty(db);
  });

  it('enforce the checks of the data model', async () => {
    await migrateToLatest(db);
    await expect(db.insertInto('clients').values({ companyName: 'Bad SIREN', siren: '12' }).execute()).rejects.toThrow(/siren/);
    const client = await db.insertInto('clients').values({ companyName: 'Ok' }).returning('id').executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('contracts')
        .values({
          clientId: client.id,
          reference: 'X',
          name: 'X',
          kind: 'gold' as 'standard',
          coverage: '24_7',
          startsOn: '2026-01-01',
          hourlyRateCents: 1,
        })
        .execute(),
    ).rejects.toThrow(/kind/);
    await migrateToEmpty(db);
  });
});
