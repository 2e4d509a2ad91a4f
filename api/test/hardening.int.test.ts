/**
 * The smaller findings of the outside probe (issue 16, item 4), each reproduced against the real
 * app and PostgreSQL: cross-site writes, the password policy, caching of authenticated answers,
 * database and Temporal text in errors, session ids as bearer tokens, and the general rate limit.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createApp } from '../app.js';
import type { RateLimitPolicy } from '../rate-limit.js';
import { issueCredential } from '../../db/repositories/credentials.repository.js';
import { createUser } from '../../db/repositories/users.repository.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, sessionHeaders, type TestClient } from '../../scripts/testing/fixtures.js';

describe('hardening after the outside probe', () => {
  let platform: TestPlatform;
  let url: string;
  let tenant: TestClient;
  let admin: Awaited<ReturnType<typeof createTestAccount>>;

  const call = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; base?: string } = {}) =>
    fetch(`${init.base ?? url}/api${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      redirect: 'manual',
    });
  /** A fresh session of a fresh support agent, as the bare cookie (no browser headers). */
  const freshSession = async () => {
    const account = await createTestAccount(platform.db, 'support_agent');
    return { ...account, cookie: account.headers.cookie! };
  };
  const stillSignedIn = async (cookie: string) => (await call('/auth/me', { headers: { cookie } })).status === 200;

  beforeAll(async () => {
    platform = await startTestPlatform({ worker: false });
    url = platform.url;
    tenant = await createTestClient(platform.db);
    admin = await createTestAccount(platform.db, 'admin');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  describe('cross-site requests', () => {
    // The routes a cross-site form could trigger: no required body field.
    const bodiless = [
      '/auth/logout',
      '/requests/INT-2026-000001/accept',
      '/requests/INT-2026-000001/check-in',
      '/requests/INT-2026-000001/check-out',
      `/dispatch/plans/${randomUUID()}/publish`,
      `/dispatch/plans/${randomUUID()}/emergencies`,
    ];

    it('refuses a form post (415, naming application/json), even empty, and the session stays signed in', async () => {
      const { cookie } = await freshSession();
      for (const path of bodiless) {
        for (const [type, body] of [
          ['application/x-www-form-urlencoded', 'a=1'],
          ['application/x-www-form-urlencoded', ''],
          ['text/plain', '{}'],
          ['multipart/form-data; boundary=x', '--x--'],
        ] as const) {
          const response = await call(path, { method: 'POST', headers: { cookie, 'content-type': type }, body });
          expect(response.status, `${path} ${type}`).toBe(415);
          const error = ((await response.json()) as any).error;
          expect(error.code).toBe('unsupported_media_type');
          expect(error.message).toContain('application/json');
        }
        // A body without any Content-Type (a no-cors fetch of a Blob) is refused too.
        const untyped = await fetch(`${url}/api${path}`, { method: 'POST', headers: { cookie }, body: new Blob(['{}']) });
        expect(untyped.status, `${path} untyped`).toBe(415);
      }
      expect(await stillSignedIn(cookie)).toBe(true);
    });

    it('refuses a cookie write from another origin (403) and accepts it from the app itself', async () => {
      const { cookie } = await freshSession();
      const logout = (headers: Record<string, string>) =>
        call('/auth/logout', { method: 'POST', headers: { cookie, ...headers }, body: {} });
      expect((await logout({ origin: 'https://evil.example' })).status).toBe(403);
      expect((await logout({ 'sec-fetch-site': 'cross-site', origin: url })).status).toBe(403);
      expect((await logout({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
      expect((await logout({ origin: 'null' })).status).toBe(403);
      expect((await logout({})).status).toBe(403); // neither header: not a browser on the app's page
      expect(await stillSignedIn(cookie)).toBe(true);
      // A bodiless write from the app itself (no Content-Type, no body) still works.
      const fromApp = await fetch(`${url}/api/auth/logout`, { method: 'POST', headers: { cookie, origin: url } });
      expect(fromApp.status).toBe(204);
      expect(await stillSignedIn(cookie)).toBe(false);
      const other = await freshSession();
      expect((await logout({ cookie: other.cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(204);
    });

    it('does not apply the origin check to API tokens (a browser never sends them by itself)', async () => {
      const account = await freshSession();
      const created = await call('/auth/tokens', { headers: account.headers, body: { name: 'ERP' } });
      expect(created.status).toBe(201);
      const { token } = (await created.json()) as { token: string };
      const viaToken = await call('/auth/tokens', {
        headers: { authorization: `Bearer ${token}`, origin: 'https://erp.example' },
        body: { name: 'ERP 2' },
      });
      expect(viaToken.status).toBe(201);
    });
  });

  describe('password policy', () => {
    const newUser = (password: string, extra: Record<string, unknown> = {}) =>
      call('/users', {
        headers: admin.headers,
        body: {
          email: `agent-${randomUUID().slice(0, 8)}@msp.test`,
          displayName: 'Nadia Benali',
          role: 'support_agent',
          password,
          ...extra,
        },
      });

    it('refuses the passwords the probe got accepted, common ones, and the account name, with a 400 naming the field', async () => {
      for (const [password, reason] of [
        [' '.repeat(12), 'repeated_character'],
        ['z'.repeat(12), 'repeated_character'],
        ['password1234', 'common_password'],
        ['azertyuiop123', 'guessable'],
        ['🔑'.repeat(6), 'too_short'],
        ['nadia benali est là', 'contains_identity'],
      ] as const) {
        const response = await newUser(password);
        expect(response.status, password).toBe(400);
        const error = ((await response.json()) as any).error;
        expect(error).toMatchObject({ code: 'validation_failed', reason, fields: [{ field: 'password' }] });
      }
      expect((await newUser('ventilateur rouge ciel')).status).toBe(201);
      expect((await newUser('Été brûlant à Kyōto, 夏')).status).toBe(201);
    });

    it('refuses changing to the same password or a weak one; a good one works', async () => {
      const email = `claire-${randomUUID().slice(0, 8)}@client.test`;
      await createUser(platform.db, {
        email,
        displayName: 'Claire Martin',
        role: 'client_user',
        clientId: tenant.clientId,
        password: 'first password 123',
      });
      const login = await call('/auth/login', { body: { email, password: 'first password 123' } });
      const sid = login.headers.get('set-cookie')!.split(';')[0]!.slice('sid='.length);
      const change = (newPassword: string) =>
        call('/auth/password', { headers: sessionHeaders(sid), body: { currentPassword: 'first password 123', newPassword } });
      for (const [password, reason] of [
        ['first password 123', 'same_as_current'],
        ['zzzzzzzzzzzz', 'repeated_character'],
      ] as const) {
        const response = await change(password);
        expect(response.status, password).toBe(400);
        expect(((await response.json()) as any).error).toMatchObject({ reason, fields: [{ field: 'newPassword' }] });
      }
      expect((await change('trois mots au hasard')).status).toBe(204);
    });
  });

  it('sends Cache-Control: no-store on every authenticated answer (account, GDPR export, lists)', async () => {
    for (const path of [
      '/auth/me',
      `/gdpr/export?email=${encodeURIComponent(tenant.contactEmail)}`,
      '/requests',
      '/invoices',
      '/auth/tokens',
    ]) {
      const response = await call(path, { headers: admin.headers });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('answers database refusals with the field, never the constraint name', async () => {
    const unknownTechnician = await call('/users', {
      headers: admin.headers,
      body: { email: `t-${randomUUID().slice(0, 8)}@msp.test`, displayName: 'Tech', role: 'technician', technicianId: randomUUID() },
    });
    expect(unknownTechnician.status).toBe(422);
    const a = (await unknownTechnician.json()) as any;
    expect(a.error.fields).toEqual([{ field: 'technicianId', message: 'no such technician' }]);
    expect(JSON.stringify(a)).not.toMatch(/fkey|users_/);

    const clientWithoutCompany = await call('/users', {
      headers: admin.headers,
      body: { email: `c-${randomUUID().slice(0, 8)}@client.test`, displayName: 'Client', role: 'client_user' },
    });
    expect(clientWithoutCompany.status).toBe(422);
    const b = (await clientWithoutCompany.json()) as any;
    expect(b.error.fields).toEqual([{ field: 'clientId', message: expect.any(String) }]);
    expect(JSON.stringify(b)).not.toMatch(/users_client_scope|constraint/);

    const duplicate = await call('/users', { headers: admin.headers, body: { email: admin.email, displayName: 'Doublon', role: 'admin' } });
    expect(duplicate.status).toBe(409);
    expect(((await duplicate.json()) as any).error.fields).toEqual([{ field: 'email', message: 'already used' }]);
  });

  it('keeps the credentials apart: no session id as Bearer, no API token as cookie', async () => {
    const account = await freshSession();
    const sid = account.cookie.slice('sid='.length);
    expect((await call('/auth/me', { headers: { cookie: account.cookie } })).status).toBe(200);
    expect((await call('/auth/me', { headers: { authorization: `Bearer ${sid}` } })).status).toBe(401);
    const token = await issueCredential(platform.db, 'api_token', { userId: account.userId, name: 'ERP' });
    expect((await call('/auth/me', { headers: { authorization: `Bearer ${token.secret}` } })).status).toBe(200);
    expect((await call('/auth/me', { headers: { cookie: `sid=${token.secret}` } })).status).toBe(401);
  });

  describe('general rate limit (real PostgreSQL store)', () => {
    // Limits no other test uses: their counters are their own (the limit is part of the key).
    const LOW: RateLimitPolicy = { perAddress: 23, perAccount: 7 };
    const apps: Server[] = [];
    const start = async () => {
      const app = createApp({ db: platform.db, temporal: platform.client, log: () => {}, rateLimit: LOW });
      const server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      apps.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };

    afterAll(() => {
      for (const server of apps) server.close();
    });

    it('answers 429 with Retry-After and RateLimit-* per account, then per address, shared by API processes; /healthz is exempt', async () => {
      await sql`delete from rate_limits where key like ${`address-${LOW.perAddress}:%`}`.execute(platform.db);
      const [first, second] = [await start(), await start()];
      const account = await createTestAccount(platform.db, 'dispatcher');

      const answers: Response[] = [];
      for (let i = 0; i < LOW.perAccount; i++)
        answers.push(await call('/auth/me', { base: i % 2 ? second : first, headers: account.headers }));
      expect(answers.map((r) => r.status)).toEqual(Array(LOW.perAccount).fill(200));
      expect(answers[0]!.headers.get('ratelimit-limit')).toBe(String(LOW.perAccount));
      expect(answers.map((r) => Number(r.headers.get('ratelimit-remaining')))).toEqual([6, 5, 4, 3, 2, 1, 0]);

      // The next call, on either process, is over the account's limit.
      const limited = await call('/auth/me', { base: second, headers: account.headers });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(limited.headers.get('ratelimit-remaining')).toBe('0');
      expect(((await limited.json()) as any).error).toMatchObject({
        code: 'too_many_requests',
        message: expect.stringContaining('account'),
      });

      // The address: 8 calls counted so far, anonymous calls use up the rest.
      const statuses: number[] = [];
      for (let i = 0; i < LOW.perAddress - 8 + 1; i++) statuses.push((await call('/openapi.json', { base: first })).status);
      expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      expect(((await (await call('/openapi.json', { base: second })).json()) as any).error.message).toContain('address');

      for (let i = 0; i < 5; i++) expect((await fetch(`${first}/healthz`)).status).not.toBe(429);
      // Counted in the migration's table, not in memory.
      const rows = await sql<{
        key: string;
        points: number;
      }>`select key, points from rate_limits where key like ${`%-${LOW.perAccount}:${account.userId}`}`.execute(platform.db);
      expect(rows.rows).toEqual([{ key: `account-${LOW.perAccount}:${account.userId}`, points: LOW.perAccount + 1 }]);
    });
  });
});
