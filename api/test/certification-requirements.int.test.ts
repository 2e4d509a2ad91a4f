/**
 * Certification requirements through the administration API: a contract's own requirements
 * (created, changed, validated, audited), the service types' list, and who may change it. The
 * service types' requirements are platform-wide and other test files plan days concurrently, so
 * this file never leaves one set: it checks the refusals and a change to what is already there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient } from '../../scripts/testing/fixtures.js';

type Headers = Record<string, string>;

describe('administration: certification requirements', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let admin: Headers;
  let dispatcher: Headers;
  const suffix = Math.random().toString(36).slice(2, 8);

  async function call(method: string, path: string, headers: Headers, body?: unknown) {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    ({ db, url } = platform);
    admin = (await createTestAccount(db, 'admin')).headers;
    dispatcher = (await createTestAccount(db, 'dispatcher')).headers;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('creates and changes a contract with its required certifications, refuses a name listed twice, and audits the change', async () => {
    const { clientId } = await createTestClient(db);
    const body = {
      reference: `SEC-${suffix}`,
      name: 'Contrat sécurisé',
      kind: 'standard',
      coverage: 'business_hours',
      startsOn: '2026-01-01',
      requiredCertifications: ['Habilitation sécurité Banque Lutèce'],
      billing: { hourlyRateCents: 9000 },
    };
    const twice = await call('POST', `/clients/${clientId}/contracts`, admin, {
      ...body,
      requiredCertifications: ['Habilitation BR', 'Habilitation BR'],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['requiredCertifications.1']);

    const created = await call('POST', `/clients/${clientId}/contracts`, admin, body);
    expect(created.status).toBe(201);
    expect(created.body.requiredCertifications).toEqual(['Habilitation sécurité Banque Lutèce']);
    const changed = await call('PATCH', `/contracts/${created.body.id}`, admin, {
      requiredCertifications: ['Habilitation sécurité Banque Lutèce', 'Habilitation électrique BR'],
    });
    expect(changed.status).toBe(200);
    const read = await call('GET', `/contracts/${created.body.id}`, admin);
    expect(read.body.requiredCertifications).toEqual(['Habilitation sécurité Banque Lutèce', 'Habilitation électrique BR']);
    const audit = await call('GET', `/audit?entityType=contract&entityId=${created.body.id}`, admin);
    expect(audit.body.items[0]).toMatchObject({
      before: { requiredCertifications: ['Habilitation sécurité Banque Lutèce'] },
      after: { requiredCertifications: ['Habilitation sécurité Banque Lutèce', 'Habilitation électrique BR'] },
    });
  });

  it('lists every service type with its requirements; only an admin changes them, with valid names', async () => {
    const list = await call('GET', '/service-types', dispatcher);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { serviceType: string }) => i.serviceType)).toContain('hardware_upgrade');
    const current = list.body.items.find((i: { serviceType: string }) => i.serviceType === 'data_recovery').requiredCertifications;

    expect((await call('PUT', '/service-types/data_recovery/requirements', dispatcher, { requiredCertifications: current })).status).toBe(
      403,
    );
    expect((await call('PUT', '/service-types/teleportation/requirements', admin, { requiredCertifications: [] })).status).toBe(400);
    const blank = await call('PUT', '/service-types/data_recovery/requirements', admin, { requiredCertifications: [' '] });
    expect(blank.status).toBe(400);
    // Setting what is there changes nothing for the plans running meanwhile, and is audited.
    const same = await call('PUT', '/service-types/data_recovery/requirements', admin, { requiredCertifications: current });
    expect(same).toEqual({ status: 200, body: { serviceType: 'data_recovery', requiredCertifications: current } });
    const audit = await call('GET', '/audit?entityType=service_type&entityId=data_recovery', admin);
    expect(audit.body.items.length).toBeGreaterThan(0);
  });
});
