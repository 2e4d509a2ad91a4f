/**
 * The outside probe's findings on input (issue 16, items 1, 2 and 3), each reproduced on the real
 * app, PostgreSQL and Temporal: text PostgreSQL cannot store is a 400 naming the field before
 * anything runs; an intake's references are the client's own or refused like unknown ids; a
 * refused intake takes no ticket number and starts nothing.
 */
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';

describe('input the probe found accepted (issue 16)', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let tenant: TestClient;
  let other: TestClient;
  let otherAssetId: string;
  let client: Record<string, string>;
  let support: Record<string, string>;
  let admin: Record<string, string>;
  let clientUserId: string;
  let ticket: string;

  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(`${platform.url}/api${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : null };
  };
  const fieldsOf = (answer: { body: any }) => (answer.body?.error?.fields ?? []).map((f: { field: string }) => f.field);
  /** The ticket sequence's position: a refused intake must leave it where it was. */
  const ticketSequence = async () => (await sql<{ n: string }>`select last_value::text as n from ticket_number_seq`.execute(db)).rows[0]!.n;
  const requestsOf = async (clientId: string) =>
    Number(
      (
        await db
          .selectFrom('serviceRequests')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('clientId', '=', clientId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { log: () => {} } });
    db = platform.db;
    tenant = await createTestClient(db);
    other = await createTestClient(db);
    otherAssetId = (
      await db
        .insertInto('assets')
        .values({ clientId: other.clientId, locationId: other.locationId, kind: 'laptop', brand: 'Lenovo', model: 'T14' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    ({ headers: client, userId: clientUserId } = await createTestAccount(db, 'client_user', { clientId: tenant.clientId }));
    ({ headers: support } = await createTestAccount(db, 'support_agent'));
    ({ headers: admin } = await createTestAccount(db, 'admin'));
    const created = await call('POST', '/requests', client, intakeBody(tenant));
    expect(created.status, created.text).toBe(201);
    ticket = created.body.ticketNumber;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  describe('16.1: text PostgreSQL cannot store is refused at the edge, naming the field', () => {
    it('refuses a cancel whose reason holds NUL, and the intervention still accepts actions', async () => {
      const refused = await call('POST', `/requests/${ticket}/cancel`, client, { reason: 'a\u0000b' });
      expect(refused.status, refused.text).toBe(400);
      expect(fieldsOf(refused)).toEqual(['body.reason']);
      const triage = await call('POST', `/requests/${ticket}/triage`, support, { decision: 'request_info', question: 'a\u0000b' });
      expect(triage.status, triage.text).toBe(400);
      expect(fieldsOf(triage)).toEqual(['body.question']);
      const surrogate = await call('POST', `/requests/${ticket}/triage`, support, '{"decision":"request_info","question":"a\\ud800b"}');
      expect(surrogate.status, surrogate.text).toBe(400);
      expect(fieldsOf(surrogate)).toEqual(['body.question']);
      // Nothing reached the workflow: a real question is still accepted.
      const asked = await call('POST', `/requests/${ticket}/triage`, support, { decision: 'request_info', question: 'Quel modèle ?' });
      expect(asked.status, asked.text).toBe(200);
    });

    it('refuses NUL in query strings and in the bodies of other routes, naming each field', async () => {
      const cases: [string, string, unknown, string][] = [
        ['GET', '/requests?status=new%00', undefined, 'query.status'],
        ['GET', '/audit?action=x%00', undefined, 'query.action'],
        ['GET', '/parts?q=%00', undefined, 'query.q'],
        ['POST', '/requests/diagnostic-preview', { systemInfo: { os: 'Win\u0000' }, level: 'essential' }, 'body.systemInfo.os'],
        ['POST', '/auth/tokens', { name: 'ERP\u0000' }, 'body.name'],
        [
          'POST',
          '/users',
          {
            email: 'nul@client.test',
            displayName: 'N\u0000',
            role: 'client_user',
            clientId: tenant.clientId,
            password: 'a-long-password-1',
          },
          'body.displayName',
        ],
        ['PATCH', `/users/${clientUserId}`, { displayName: 'R\u0000' }, 'body.displayName'],
        [
          'POST',
          '/requests',
          intakeBody(tenant, { photos: [{ filename: 'a\u0000.png', contentType: 'image/png', dataBase64: 'AAAA' }] }),
          'body.photos.0.filename',
        ],
      ];
      for (const [method, path, body, field] of cases) {
        const answer = await call(method, path, admin, body);
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(400);
        expect(fieldsOf(answer), `${method} ${path}`).toEqual([field]);
      }
    });

    it('answers a path whose percent-encoding is not UTF-8 with a 400, not a 500', async () => {
      for (const [method, path] of [
        ['GET', '/requests/%FF'],
        ['GET', '/invoices/%80'],
        ['PATCH', '/users/%C0%AE'],
        ['GET', '/requests/%ED%A0%80'],
      ] as const) {
        const answer = await call(method, path, admin, method === 'PATCH' ? { displayName: 'x' } : undefined);
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(400);
        expect(answer.body.error.code).toBe('validation_failed');
        expect(answer.body.error.message).toMatch(/percent-encoding/);
      }
      const nul = await call('GET', '/requests/INT-2026-%00', admin);
      expect(nul.status, nul.text).toBe(400);
      expect(fieldsOf(nul)).toEqual(['params.ticket']);
    });

    it('answers huge and deeply nested JSON with a 4xx, quickly', async () => {
      const started = Date.now();
      const deep = `{"reason":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      const nested = await call('POST', `/requests/${ticket}/cancel`, client, deep);
      expect(nested.status, nested.text.slice(0, 300)).toBe(400);
      const huge = await call('POST', `/requests/${ticket}/cancel`, client, { reason: 'x'.repeat(2_000_000) });
      expect(huge.status).toBe(413);
      const wide = await call('POST', '/requests/diagnostic-preview', client, {
        systemInfo: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
      });
      expect(wide.status).toBeLessThan(500);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });

  describe('16.2 and 16.3: an intake is checked whole before it takes a ticket number', () => {
    /** Submits and expects a refusal naming `field`, with no ticket number used and no request stored. */
    async function refusedWithoutTrace(headers: Record<string, string>, body: unknown, status: number, field: string) {
      const sequence = await ticketSequence();
      const requests = await requestsOf(tenant.clientId);
      const staged = Number((await sql<{ n: string }>`select count(*) as n from intake_attachments`.execute(db)).rows[0]!.n);
      const answer = await call('POST', '/requests', headers, body);
      expect(answer.status, answer.text).toBe(status);
      expect(fieldsOf(answer)).toContain(field);
      expect(await ticketSequence()).toBe(sequence);
      expect(await requestsOf(tenant.clientId)).toBe(requests);
      expect(Number((await sql<{ n: string }>`select count(*) as n from intake_attachments`.execute(db)).rows[0]!.n)).toBe(staged);
    }

    it('refuses a title with a lone surrogate or a NUL (400), creating nothing', async () => {
      await refusedWithoutTrace(client, JSON.stringify(intakeBody(tenant)).replace('"title":"', '"title":"a\\ud800'), 400, 'body.title');
      await refusedWithoutTrace(client, intakeBody(tenant, { title: 'Poste\u0000' }), 400, 'body.title');
    });

    it("refuses another company's asset or contact like unknown ones (422), for a client and for staff", async () => {
      await refusedWithoutTrace(client, intakeBody(tenant, { assetId: otherAssetId }), 422, 'assetId');
      await refusedWithoutTrace(client, intakeBody(tenant, { requesterContactId: other.contactId }), 422, 'requesterContactId');
      await refusedWithoutTrace(support, intakeBody(tenant, { assetId: otherAssetId }), 422, 'assetId');
      await refusedWithoutTrace(support, intakeBody(tenant, { requesterContactId: other.contactId }), 422, 'requesterContactId');
      await refusedWithoutTrace(support, intakeBody(tenant, { contractId: other.contractId }), 422, 'contractId');
      await refusedWithoutTrace(support, intakeBody(tenant, { locationId: other.locationId }), 422, 'locationId');
      // No GDPR export of the other company's contact lists this tenant's requests.
      const links = await db.selectFrom('serviceRequests').select('id').where('requesterContactId', '=', other.contactId).execute();
      expect(links).toEqual([]);
    });

    it('refuses an asset that does not exist (422 naming assetId) before taking a ticket number', async () => {
      await refusedWithoutTrace(client, intakeBody(tenant, { assetId: '00000000-0000-4000-8000-000000000000' }), 422, 'assetId');
    });

    it("accepts the client's own asset and contact", async () => {
      const asset = await db
        .insertInto('assets')
        .values({ clientId: tenant.clientId, locationId: tenant.locationId, kind: 'workstation', brand: 'Dell', model: 'OptiPlex' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const created = await call('POST', '/requests', client, intakeBody(tenant, { assetId: asset.id }));
      expect(created.status, created.text).toBe(201);
      const row = await db
        .selectFrom('serviceRequests')
        .select(['assetId', 'requesterContactId'])
        .where('ticketNumber', '=', created.body.ticketNumber)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ assetId: asset.id, requesterContactId: tenant.contactId });
    });
  });
});

describe('an intake whose workflow started but did not confirm (issue 16.3)', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    // A reference that disappears between the API's check and the workflow's write (a site
    // deleted meanwhile): the intake activity fails for good, so the workflow ends and its
    // confirmation update fails.
    platform = await startTestPlatform({
      app: { log: () => {} },
      activities: () => ({
        registerIntake: async () => {
          throw ApplicationFailure.nonRetryable('site deleted meanwhile', 'UnknownReference');
        },
      }),
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers 202 with the ticket number, never an error that hides the started workflow', async () => {
    const tenant = await createTestClient(platform.db);
    const { headers } = await createTestAccount(platform.db, 'client_user', { clientId: tenant.clientId });
    const response = await fetch(`${platform.url}/api/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(intakeBody(tenant)),
    });
    const body = (await response.json()) as any;
    expect(response.status, JSON.stringify(body)).toBe(202);
    expect(body).toMatchObject({ ticketNumber: expect.stringMatching(/^INT-/), confirmed: false });
    expect(body.message).toContain(`GET /api/requests/${body.ticketNumber}`);
    expect(response.headers.get('location')).toBe(`/api/requests/${body.ticketNumber}`);
    // The workflow it names was started.
    const described = await platform.client.workflow.getHandle(body.workflowId).describe();
    expect(described.workflowId).toBe(body.workflowId);
  });
});
