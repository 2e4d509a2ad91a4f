/**
 * The demo data `npm start` seeds (README: six client companies, fifteen technicians, demo
 * accounts, a parts catalogue), written through db/seed/reference-data.ts into a fresh database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateToLatest } from '../db/index.js';
import { ensureDatabase } from './postgres.js';
import { seedDemoFleet } from './demo-fleet.js';
import { DEMO_ARTICLES, seedKnowledgeBase } from './seed-knowledge.js';
import { DEMO_ACCOUNTS, DEMO_CLIENTS, DEMO_PARTS, DEMO_TECHNICIANS, demoEmail, seedDemoHistory, seedReferenceData } from './seed.js';
import { testDatabaseUrl } from './testing/env.js';

describe('seedReferenceData', () => {
  // A database of its own: the shared test database already holds other tests' clients.
  const name = `seed_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const url = new URL(testDatabaseUrl());
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  url.pathname = `/${name}`;
  const db = createDb({ connectionString: url.toString(), max: 2 });

  beforeAll(async () => {
    await ensureDatabase(adminUrl.toString(), name);
    await migrateToLatest(db);
  }, 120_000);

  afterAll(async () => {
    await db.destroy();
  });

  const count = async (
    table:
      | 'clients'
      | 'clientContacts'
      | 'clientLocations'
      | 'contracts'
      | 'contractSlaTargets'
      | 'assets'
      | 'technicians'
      | 'technicianSkills'
      | 'technicianCertifications'
      | 'technicianShifts'
      | 'users'
      | 'partsCatalogue',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('seeds the demo data once: 6 client companies, 15 technicians, the accounts and parts; a second run keeps it', async () => {
    expect(await seedReferenceData(db)).toBe(true);
    const counts = {
      clients: await count('clients'),
      contacts: await count('clientContacts'),
      sites: await count('clientLocations'),
      contracts: await count('contracts'),
      slaTargets: await count('contractSlaTargets'),
      assets: await count('assets'),
      technicians: await count('technicians'),
      certifications: await count('technicianCertifications'),
      shifts: await count('technicianShifts'),
      users: await count('users'),
      parts: await count('partsCatalogue'),
    };
    expect(counts).toEqual({
      clients: 6,
      contacts: DEMO_CLIENTS.reduce((n, c) => n + c.contacts.length, 0),
      sites: DEMO_CLIENTS.reduce((n, c) => n + c.sites.length, 0),
      contracts: 6,
      slaTargets: 6 * 4,
      assets: DEMO_CLIENTS.reduce((n, c) => n + c.assets.length, 0),
      technicians: 15,
      certifications: DEMO_TECHNICIANS.reduce((n, t) => n + t[7].length, 0),
      shifts: 15 * 5,
      users: DEMO_ACCOUNTS.length,
      parts: DEMO_PARTS.length,
    });
    expect(DEMO_CLIENTS).toHaveLength(6);
    expect(DEMO_TECHNICIANS).toHaveLength(15);
    expect(await count('technicianSkills')).toBeGreaterThan(15);

    // Each asset at its own client's site; the demo client accounts at Cabinet Lefèvre, the technician account is Karim Benali.
    const strayAssets = await db
      .selectFrom('assets as a')
      .innerJoin('clientLocations as l', 'l.id', 'a.locationId')
      .select('a.id')
      .whereRef('l.clientId', '<>', 'a.clientId')
      .execute();
    expect(strayAssets).toEqual([]);
    const accounts = await db
      .selectFrom('users as u')
      .leftJoin('clients as c', 'c.id', 'u.clientId')
      .leftJoin('technicians as t', 't.id', 'u.technicianId')
      .select(['u.email', 'c.companyName', 't.lastName'])
      .orderBy('u.email')
      .execute();
    expect(accounts).toEqual(
      DEMO_ACCOUNTS.map((a) => ({
        email: demoEmail(a.role),
        companyName: a.role === 'client_admin' || a.role === 'client_user' ? 'Cabinet Lefèvre Avocats' : null,
        lastName: a.role === 'technician' ? 'Benali' : null,
      })).sort((a, b) => (a.email < b.email ? -1 : 1)),
    );
    // The scheduled KPI reports: the admin receives the management one, the client admin its company's.
    const subscriptions = await db
      .selectFrom('reportSubscriptions as s')
      .innerJoin('users as u', 'u.id', 's.userId')
      .leftJoin('clients as c', 'c.id', 's.clientId')
      .select(['u.email', 'c.companyName', 's.weekly', 's.monthly'])
      .orderBy('u.email')
      .execute();
    expect(subscriptions).toEqual([
      { email: demoEmail('admin'), companyName: null, weekly: true, monthly: true },
      { email: demoEmail('client_admin'), companyName: 'Cabinet Lefèvre Avocats', weekly: true, monthly: true },
    ]);

    expect(await seedReferenceData(db)).toBe(false);
    expect(await count('clients')).toBe(6);
    expect(await count('technicians')).toBe(15);
  });

  it('writes a year of closed history once, with busy Mondays and quiet Sundays, and computes its indicators', async () => {
    const written = await seedDemoHistory(db, new Date('2026-11-30T06:00:00Z'));
    expect(written).toBeGreaterThan(800);
    expect(written).toBeLessThan(2000);
    expect(await seedDemoHistory(db, new Date('2026-11-30T06:00:00Z'))).toBe(0);
    const facts = await db.selectFrom('kpiRequestFacts').select(['createdAt', 'rating', 'recurred']).execute();
    expect(facts).toHaveLength(written);
    const weekday = (n: number) => facts.filter((f) => f.createdAt.getUTCDay() === n).length;
    expect(weekday(1)).toBeGreaterThan(5 * weekday(0));
    // Varied satisfaction and a few recurring problems.
    expect(new Set(facts.map((f) => f.rating).filter((r) => r !== null)).size).toBeGreaterThanOrEqual(4);
    expect(facts.filter((f) => f.recurred === true).length).toBeGreaterThan(10);
    // A fleet per company (tens of assets over its sites), named by most requests: the same asset
    // is not hit every few weeks, so the 30-day recurrence stays a minority.
    const fleets = await db
      .selectFrom('assets')
      .select(['clientId', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('clientId')
      .execute();
    expect(fleets).toHaveLength(6);
    for (const f of fleets) expect(Number(f.n)).toBeGreaterThanOrEqual(25);
    const history = await db.selectFrom('serviceRequests').select('assetId').where('workflowId', 'like', 'history-%').execute();
    expect(history.filter((r) => r.assetId !== null).length / history.length).toBeGreaterThan(0.75);
    const known = facts.filter((f) => f.recurred !== null);
    expect(known.filter((f) => f.recurred === true).length / known.length).toBeLessThan(0.3);
    expect(await seedDemoFleet(db)).toBe(0);
  });

  it('seeds the demo knowledge base once: thirty French articles, internal and public, a few workarounds, one in review', async () => {
    expect(DEMO_ARTICLES.length).toBeGreaterThanOrEqual(28);
    expect(await seedKnowledgeBase(db)).toBe(DEMO_ARTICLES.length);
    const rows = await db.selectFrom('kbArticles').select(['audience', 'kind', 'status']).execute();
    expect(rows).toHaveLength(DEMO_ARTICLES.length);
    expect(rows.filter((r) => r.audience === 'internal').length).toBeGreaterThan(3);
    expect(rows.filter((r) => r.audience === 'companies').length).toBe(2);
    expect(rows.filter((r) => r.kind === 'workaround').length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => r.status === 'review')).toHaveLength(1);
    // Searching needs a reader's scope (the search runs under row-level security): tested in
    // api/test/knowledge-search.int.test.ts; here, the article the search tests name is published.
    const jam = await db
      .selectFrom('kbArticles')
      .select('status')
      .where('title', '=', 'Bourrage papier répété sur les imprimantes HP LaserJet')
      .executeTakeFirst();
    expect(jam?.status).toBe('published');
    expect(await seedKnowledgeBase(db)).toBe(0);
  });
});
