/**
 * The parts catalogue as the technician's picker reads it (GET /api/parts), on the real app and
 * PostgreSQL, through the request role app_tenant: a text search over reference and label, paged,
 * active parts only; a bad page size is a 400 naming the field.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient } from '../../scripts/testing/fixtures.js';

interface Page {
  items: { sku: string; label: string }[];
  total: number;
  limit: number;
  offset: number;
}

describe('GET /api/parts', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let technician: Record<string, string>;
  let client: Record<string, string>;
  // A word no other test's part carries, so the counts below are this file's parts only.
  const tag = `zq${randomUUID().slice(0, 8)}`;
  const TAG = tag.toUpperCase();

  async function get(query: string, headers = technician) {
    const response = await fetch(`${platform.url}/api/parts?${query}`, { headers });
    return { status: response.status, body: (await response.json()) as Page & { error?: { fields?: { field: string }[] } } };
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    db = platform.db;
    technician = (await createTestAccount(db, 'technician')).headers;
    client = (await createTestAccount(db, 'client_user', { clientId: (await createTestClient(db)).clientId })).headers;
    const ssds = Array.from({ length: 12 }, (_, n) => ({
      sku: `${TAG}-SSD-${String(n).padStart(2, '0')}`,
      label: `Disque SSD ${tag} ${(n + 1) * 128} Go`,
      unitPriceCents: 5000 + n,
    }));
    await db
      .insertInto('partsCatalogue')
      .values([
        ...ssds,
        { sku: `${TAG}-PSU-01`, label: `Alimentation ATX ${tag} 500 W`, unitPriceCents: 6500 },
        { sku: `${TAG}-PSU-OLD`, label: `Alimentation ATX ${tag} 300 W (retirée)`, unitPriceCents: 3000, active: false },
        { sku: `${TAG}-PCT-50`, label: `Onduleur ${tag} 50%_charge`, unitPriceCents: 9000 },
      ])
      .execute();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('finds parts by a word of the label, whatever its case, and never a retired part', async () => {
    const { status, body } = await get(`q=${encodeURIComponent(`alimentation ${TAG}`)}`);
    expect(status).toBe(200);
    expect(body.items).toEqual([{ sku: `${TAG}-PSU-01`, label: `Alimentation ATX ${tag} 500 W` }]);
    expect(body.total).toBe(1);
  });

  it('finds a part by part of its reference', async () => {
    const { body } = await get(`q=${encodeURIComponent(`${tag}-ssd-07`)}`);
    expect(body.items.map((p) => p.sku)).toEqual([`${TAG}-SSD-07`]);
  });

  it('pages through the matches in label order, with the total', async () => {
    const first = await get(`q=${tag}%20ssd&limit=5`);
    const third = await get(`q=${tag}%20ssd&limit=5&offset=10`);
    expect(first.body.total).toBe(12);
    expect(first.body.items).toHaveLength(5);
    expect(third.body.items).toHaveLength(2);
    const all = (await get(`q=${tag}%20ssd&limit=100`)).body.items;
    expect(all).toHaveLength(12);
    expect([...first.body.items, ...third.body.items]).toEqual([...all.slice(0, 5), ...all.slice(10)]);
    expect(all.map((p) => p.label)).toEqual([...all.map((p) => p.label)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('takes % and _ typed in the search as letters', async () => {
    expect((await get(`q=${encodeURIComponent(`${tag} 50%_`)}`)).body.items.map((p) => p.sku)).toEqual([`${TAG}-PCT-50`]);
    expect((await get(`q=${encodeURIComponent(`${tag} %`)}`)).body.total).toBe(1);
  });

  it('refuses a page size out of range with a 400 naming the field', async () => {
    const { status, body } = await get('limit=1000');
    expect(status).toBe(400);
    expect(body.error?.fields?.map((f) => f.field)).toContain('query.limit');
  });

  it('is not for clients', async () => {
    expect((await get(`q=${tag}`, client)).status).toBe(403);
  });
});
