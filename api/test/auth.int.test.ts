/**
 * Accounts, credentials, tenant isolation and the audit log on the real app, PostgreSQL and
 * Temporal: login and its throttle, revocation, what each role sees, and the audit entries of
 * sensitive actions.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Connection } from '@temporalio/client';
import { sql, type Kysely } from 'kysely';
import { createApp } from '../app.js';
import { enterScope } from '../auth/access.js';
import type { DB } from '../../db/index.js';
import { hasDiagnosticConsent } from '../../db/repositories/consents.repository.js';
import { createUser } from '../../db/repositories/users.repository.js';
import { listen, startTestWorker, testClient, testDb, TEST_RATE_LIMITS, type TestWorker } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, sessionHeaders, type TestClient } from '../../scripts/testing/fixtures.js';
import { enforceResponseSchemas } from '../../scripts/testing/response-check.js';

const THROTTLE = { accountFreeFailures: 3, ipFreeFailures: 10_000, baseDelaySeconds: 1, maxDelaySeconds: 2, decaySeconds: 3600 };

describe('accounts, credentials, isolation and audit', () => {
  let db: Kysely<DB>;
  let client: Client;
  let connection: Connection;
  let worker: TestWorker;
  let server: Server;
  let url: string;
  let tenantA: TestClient;
  let tenantB: TestClient;
  let admin: Awaited<ReturnType<typeof createTestAccount>>;
  const tickets: Record<'A' | 'B', string> = { A: '', B: '' };

  const call = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    fetch(`${url}/api${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      redirect: 'manual',
    });

  beforeAll(async () => {
    db = testDb();
    ({ client, connection } = await testClient());
    worker = await startTestWorker({ db });
    ({ url, server } = await listen(
      createApp({
        rateLimit: TEST_RATE_LIMITS,
        checkResponses: enforceResponseSchemas,
        db,
        temporal: client,
        taskQueue: worker.taskQueue,
        log: () => {},
        auth: { throttle: THROTTLE },
      }),
    ));
    tenantA = await createTestClient(db);
    tenantB = await createTestClient(db);
    admin = await createTestAccount(db, 'admin');
    for (const [key, tenant] of [
      ['A', tenantA],
      ['B', tenantB],
    ] as const) {
      const response = await call('/requests', { headers: admin.headers, body: intakeBody(tenant) });
      expect(response.status).toBe(201);
      tickets[key] = ((await response.json()) as { ticketNumber: string }).ticketNumber;
    }
  });

  afterAll(async () => {
    server?.close();
    await worker?.stop();
    await connection?.close();
    await db?.destroy();
  });

  async function passwordUser(password: string, tenant = tenantA) {
    const email = `claire-${Math.random().toString(36).slice(2, 10)}@client.test`;
    const user = await createUser(db, { email, displayName: 'Claire Martin', role: 'client_user', clientId: tenant.clientId, password });
    return { ...user, password };
  }

  it('signs in with a password, sets an HttpOnly SameSite=Lax session cookie, and the session works until logout revokes it', async () => {
    const user = await passwordUser('correct horse battery staple');
    const login = await call('/auth/login', { body: { email: user.email.toUpperCase(), password: user.password } });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const sid = cookie.split(';')[0]!;
    const stored = await db.selectFrom('sessions').select('tokenHash').where('userId', '=', user.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(sid.slice(4)); // only the hash is stored

    const me = await call('/auth/me', { headers: { cookie: sid } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).user).toMatchObject({ userId: user.id, role: 'client_user', clientId: tenantA.clientId });

    expect((await call('/auth/logout', { method: 'POST', headers: sessionHeaders(sid.slice('sid='.length)) })).status).toBe(204);
    expect((await call('/auth/me', { headers: { cookie: sid } })).status).toBe(401);
  });

  it('changing the password ends the other sessions but keeps the current one', async () => {
    const user = await passwordUser('first password 123');
    const signIn = async (password: string) => {
      const response = await call('/auth/login', { body: { email: user.email, password } });
      return { status: response.status, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? '' };
    };
    const laptop = await signIn(user.password);
    const phone = await signIn(user.password);
    const wrong = await call('/auth/password', {
      headers: sessionHeaders(laptop.cookie.slice('sid='.length)),
      body: { currentPassword: 'nope', newPassword: 'second password 456' },
    });
    expect(wrong.status).toBe(401);
    const changed = await call('/auth/password', {
      headers: sessionHeaders(laptop.cookie.slice('sid='.length)),
      body: { currentPassword: user.password, newPassword: 'second password 456' },
    });
    expect(changed.status).toBe(204);
    expect((await call('/auth/me', { headers: { cookie: laptop.cookie } })).status).toBe(200);
    expect((await call('/auth/me', { headers: { cookie: phone.cookie } })).status).toBe(401);
    expect((await signIn(user.password)).status).toBe(401);
    expect((await signIn('second password 456')).status).toBe(200);
  });

  it('refuses a wrong password and an unknown account alike with 401, and audits both', async () => {
    const user = await passwordUser('correct horse battery staple');
    const wrong = await call('/auth/login', { body: { email: user.email, password: 'nope' } });
    const unknown = await call('/auth/login', { body: { email: 'nobody@client.test', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as any).error.message).toBe(((await unknown.json()) as any).error.message);
    const entries = await db
      .selectFrom('auditLog')
      .select(['action', 'entityId', 'details'])
      .where('action', '=', 'login_failed')
      .where('entityId', 'in', [user.email, 'nobody@client.test'])
      .execute();
    expect(entries.map((e) => e.details.reason).sort()).toEqual(['bad_password', 'unknown_account']);
  });

  it('throttles an account after repeated failures, even for the right password, across app instances, then lets it in after the delay', async () => {
    const user = await passwordUser('correct horse battery staple');
    for (let i = 0; i < THROTTLE.accountFreeFailures; i++) {
      expect((await call('/auth/login', { body: { email: user.email, password: `wrong-${i}` } })).status).toBe(401);
    }
    // The 4th failure locks the account (base delay 1 s, doubling up to 2 s).
    expect((await call('/auth/login', { body: { email: user.email, password: 'wrong-again' } })).status).toBe(401);
    const locked = await call('/auth/login', { body: { email: user.email, password: user.password } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // Another API process (new app, same database) sees the same lock.
    const other = await listen(
      createApp({
        rateLimit: TEST_RATE_LIMITS,
        checkResponses: enforceResponseSchemas,
        db,
        temporal: client,
        log: () => {},
        auth: { throttle: THROTTLE },
      }),
    );
    try {
      const elsewhere = await fetch(`${other.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
      expect(elsewhere.status).toBe(429);
    } finally {
      other.server.close();
    }

    await new Promise((r) => setTimeout(r, 2_100));
    const afterDelay = await call('/auth/login', { body: { email: user.email, password: user.password } });
    expect(afterDelay.status).toBe(200);
    // Success clears the account's counter.
    expect(
      await db.selectFrom('loginThrottle').select('key').where('key', '=', `account:${user.email}`).executeTakeFirst(),
    ).toBeUndefined();
  });

  it('issues API tokens usable as bearer, lists them without secrets, and a revoked token fails at once', async () => {
    const account = await createTestAccount(db, 'support_agent');
    const created = await call('/auth/tokens', { headers: account.headers, body: { name: 'ERP' } });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect(token).toMatch(/^fsp_/);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await call('/requests', { headers: bearer })).status).toBe(200);
    const listed = (await (await call('/auth/tokens', { headers: account.headers })).json()) as any;
    expect(listed.items.map((t: any) => t.id)).toContain(id);
    expect(JSON.stringify(listed)).not.toContain(token);

    // Feeds (calendar readers cannot send headers): GET with ?access_token=, never for writes.
    expect((await call(`/requests?access_token=${token}`)).status).toBe(200);
    expect((await call(`/requests?access_token=${token}`, { body: intakeBody(tenantA) })).status).toBe(401);

    expect((await call(`/auth/tokens/${id}`, { method: 'DELETE', headers: account.headers })).status).toBe(204);
    expect((await call('/requests', { headers: bearer })).status).toBe(401);
    expect((await call(`/requests?access_token=${token}`)).status).toBe(401);
    expect((await call('/requests', { headers: { authorization: 'Bearer fsp_forged' } })).status).toBe(401);
  });

  it('disabling an account ends its sessions at once; the role change is audited with before and after', async () => {
    const victim = await createTestAccount(db, 'dispatcher');
    expect((await call('/requests', { headers: victim.headers })).status).toBe(200);
    const changed = await call(`/users/${victim.userId}`, { method: 'PATCH', headers: admin.headers, body: { role: 'support_agent' } });
    expect(changed.status).toBe(200);
    const audit = await db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'role_change')
      .where('entityId', '=', victim.userId)
      .executeTakeFirstOrThrow();
    expect(audit.actorUserId).toBe(admin.userId);
    expect(audit.details).toMatchObject({ from: { role: 'dispatcher' }, to: { role: 'support_agent' } });
    expect(audit.ip).toBeTruthy();

    expect((await call(`/users/${victim.userId}`, { method: 'PATCH', headers: admin.headers, body: { active: false } })).status).toBe(200);
    expect((await call('/requests', { headers: victim.headers })).status).toBe(401);
  });

  it('a client admin manages only client accounts of their own company', async () => {
    const clientAdmin = await createTestAccount(db, 'client_admin', { clientId: tenantA.clientId });
    const grantStaff = await call('/users', {
      headers: clientAdmin.headers,
      body: { email: 'x@client.test', displayName: 'X', role: 'admin' },
    });
    expect(grantStaff.status).toBe(403);
    const ok = await call('/users', {
      headers: clientAdmin.headers,
      body: { email: `y-${Date.now()}@client.test`, displayName: 'Y', role: 'client_user' },
    });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as any).clientId).toBe(tenantA.clientId);
    const listed = (await (await call('/users', { headers: clientAdmin.headers })).json()) as any;
    expect(new Set(listed.items.map((u: any) => u.clientId))).toEqual(new Set([tenantA.clientId]));
  });

  it("a client user sees only their company's requests and sites; another tenant's ticket is a 404", async () => {
    const userA = await createTestAccount(db, 'client_user', { clientId: tenantA.clientId });
    const list = (await (await call('/requests?limit=200', { headers: userA.headers })).json()) as any;
    expect(list.items.length).toBeGreaterThan(0);
    expect(new Set(list.items.map((r: any) => r.clientId))).toEqual(new Set([tenantA.clientId]));
    const clients = (await (await call('/clients', { headers: userA.headers })).json()) as any;
    expect(clients.items.map((c: any) => c.id)).toEqual([tenantA.clientId]);
    expect((await call(`/requests/${tickets.A}`, { headers: userA.headers })).status).toBe(200);
    for (const path of [`/requests/${tickets.B}`, `/requests/${tickets.B}/state`, `/requests/${tickets.B}/consents`]) {
      const response = await call(path, { headers: userA.headers });
      expect(response.status, path).toBe(404);
    }
    // Filing for another company's site is refused without saying whether it exists.
    const foreign = await call('/requests', { headers: userA.headers, body: intakeBody(tenantB) });
    expect(foreign.status).toBe(422);
  });

  it('a technician sees only the requests and visits they are assigned to; finance never sees diagnostic bundles', async () => {
    const tech = await createTestAccount(db, 'technician');
    const otherTech = await createTestAccount(db, 'technician');
    const requestA = await db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', tickets.A).executeTakeFirstOrThrow();
    const requestB = await db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', tickets.B).executeTakeFirstOrThrow();
    for (const [requestId, technicianId] of [
      [requestA.id, tech.technicianId!],
      [requestB.id, otherTech.technicianId!],
    ] as const) {
      await db
        .insertInto('siteVisits')
        .values({ requestId, technicianId, checkedInAt: '2026-11-20T09:00:00Z', idempotencyKey: `visit-${requestId}-${technicianId}` })
        .execute();
    }
    await db
      .insertInto('requestAttachments')
      .values(
        (['diagnostic_bundle', 'report'] as const).map((kind) => ({
          requestId: requestA.id,
          kind,
          filename: `${kind}.zip`,
          contentType: 'application/zip',
          sizeBytes: 1,
          sha256: 'x',
          content: Buffer.from('x'),
        })),
      )
      .execute();

    const list = (await (await call('/requests?limit=200', { headers: tech.headers })).json()) as any;
    expect(list.items.map((r: any) => r.ticketNumber)).toEqual([tickets.A]);
    expect((await call(`/requests/${tickets.B}`, { headers: tech.headers })).status).toBe(404);

    // The data layer itself, as each role: the policies, not the routes, decide.
    const asRole = async <T>(principal: Parameters<typeof enterScope>[1], fn: (trx: Kysely<DB>) => Promise<T>) =>
      db.transaction().execute(async (trx) => {
        await enterScope(trx, principal);
        return fn(trx);
      });
    const visits = await asRole({ userId: tech.userId, role: 'technician', clientId: null, technicianId: tech.technicianId }, (trx) =>
      trx.selectFrom('siteVisits').select('technicianId').execute(),
    );
    expect(new Set(visits.map((v) => v.technicianId))).toEqual(new Set([tech.technicianId]));
    const financeKinds = await asRole({ userId: admin.userId, role: 'finance', clientId: null, technicianId: null }, (trx) =>
      trx.selectFrom('requestAttachments').select('kind').where('requestId', '=', requestA.id).execute(),
    );
    expect(financeKinds.map((a) => a.kind)).toEqual(['report']);
    const supportKinds = await asRole({ userId: admin.userId, role: 'support_agent', clientId: null, technicianId: null }, (trx) =>
      trx.selectFrom('requestAttachments').select('kind').where('requestId', '=', requestA.id).orderBy('kind').execute(),
    );
    expect(supportKinds.map((a) => a.kind)).toEqual(['diagnostic_bundle', 'report']);
    // Nobody signed in: nothing at all.
    const anonymous = await asRole(null, (trx) => trx.selectFrom('serviceRequests').select('id').execute());
    expect(anonymous).toEqual([]);
  });

  it('protects a tenant table added by a later migration without it writing a policy (client_id → per client)', async () => {
    const table = `later_invoices_${Math.random().toString(36).slice(2, 8)}`;
    await sql.raw(`create table ${table} (id serial primary key, client_id uuid not null, total_cents int not null)`).execute(db);
    try {
      await sql
        .raw(`insert into ${table} (client_id, total_cents) values ('${tenantA.clientId}', 100), ('${tenantB.clientId}', 200)`)
        .execute(db);
      const seen = (principal: Parameters<typeof enterScope>[1]) =>
        db.transaction().execute(async (trx) => {
          await enterScope(trx, principal);
          return (await sql.raw<{ n: number }>(`select total_cents as n from ${table} order by 1`).execute(trx)).rows.map((r) => r.n);
        });
      expect(await seen({ userId: admin.userId, role: 'client_user', clientId: tenantA.clientId, technicianId: null })).toEqual([100]);
      expect(await seen({ userId: admin.userId, role: 'finance', clientId: null, technicianId: null })).toEqual([100, 200]);
      expect(await seen({ userId: admin.userId, role: 'technician', clientId: null, technicianId: randomUUID() })).toEqual([]);
    } finally {
      await sql.raw(`drop table ${table}`).execute(db);
    }
  });

  it('leaves no table a request can reach without row-level security, except shared reference tables', async () => {
    // Every table app_tenant may read must filter its rows, whichever migration created it and
    // whatever its columns; the exceptions hold no tenant data.
    const open = await sql<{ name: string }>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity
        and has_table_privilege('app_tenant', c.oid, 'select') and c.relname not like 'kysely_%'
      order by 1`.execute(db);
    expect(open.rows.map((r) => r.name)).toEqual(['parts_catalogue']);
    // And the plans of a day (every client's tickets and sites) are for staff only.
    const seenPlans = (principal: Parameters<typeof enterScope>[1]) =>
      db.transaction().execute(async (trx) => {
        await enterScope(trx, principal);
        return (await trx.selectFrom('dispatchPlans').select('id').execute()).length;
      });
    await db
      .insertInto('dispatchPlans')
      .values({
        planDate: '2031-01-05',
        workflowId: `rls-${randomUUID()}`,
        runId: randomUUID(),
        seed: 1,
        visits: 0,
        technicians: 0,
        assigned: 0,
        feasible: true,
        allP1Placed: true,
        travelMinutes: 0,
        solveMs: 0,
        result: JSON.stringify({ routes: [], unassigned: [] }),
      })
      .execute();
    expect(await seenPlans({ userId: admin.userId, role: 'client_admin', clientId: tenantA.clientId, technicianId: null })).toBe(0);
    expect(await seenPlans({ userId: admin.userId, role: 'technician', clientId: null, technicianId: randomUUID() })).toBe(0);
    expect(await seenPlans({ userId: admin.userId, role: 'dispatcher', clientId: null, technicianId: null })).toBeGreaterThan(0);
  });

  it('audits reads of personal data and writes with who, what and from where; admins query the log with filters', async () => {
    const support = await createTestAccount(db, 'support_agent');
    expect((await call(`/requests/${tickets.A}`, { headers: support.headers })).status).toBe(200);
    const consent = await call(`/requests/${tickets.A}/consents`, {
      headers: support.headers,
      body: { purpose: 'diagnostic_data', granted: true, subjectEmail: tenantA.contactEmail },
    });
    expect(consent.status).toBe(201);

    const response = await call(`/audit?actorUserId=${support.userId}`, { headers: admin.headers });
    expect(response.status).toBe(200);
    const items = ((await response.json()) as any).items as any[];
    expect(items.map((e) => [e.action, e.entityId, e.personalData])).toEqual([
      ['POST /requests/:ticket/consents', tickets.A, true],
      ['GET /requests/:ticket', tickets.A, true],
    ]);
    expect(items[0].actorRole).toBe('support_agent');
    expect(items[0].ip).toBeTruthy();
    expect(items[0].details.body).toMatchObject({ granted: true, purpose: 'diagnostic_data' });
    expect((await call('/audit', { headers: support.headers })).status).toBe(403);
  });

  it('consent to diagnostic data: the latest record wins, no record means no consent', async () => {
    const support = await createTestAccount(db, 'support_agent');
    const request = await db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', tickets.B).executeTakeFirstOrThrow();
    const email = `person-${randomUUID().slice(0, 6)}@client.test`;
    expect(await hasDiagnosticConsent(db, request.id, email)).toBe(false);
    for (const granted of [true, false]) {
      const response = await call(`/requests/${tickets.B}/consents`, {
        headers: support.headers,
        body: { purpose: 'diagnostic_data', granted, subjectEmail: email },
      });
      expect(response.status).toBe(201);
      expect(await hasDiagnosticConsent(db, request.id, email.toUpperCase())).toBe(granted);
    }
  });

  it('audits every status change, whoever makes it', async () => {
    const created = await call('/requests', { headers: admin.headers, body: intakeBody(tenantA) });
    const ticket = ((await created.json()) as any).ticketNumber;
    expect((await call(`/requests/${ticket}/cancel`, { headers: admin.headers, body: { reason: 'Doublon' } })).status).toBe(200);
    const changes = await db
      .selectFrom('auditLog')
      .select(['details', 'actorRole'])
      .where('action', '=', 'status_change')
      .where('entityId', '=', ticket)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => c.details)).toEqual([
      { from: 'new', to: 'analysis' },
      { from: 'analysis', to: 'cancelled' },
    ]);
    const cancelCall = await db
      .selectFrom('auditLog')
      .select(['actorUserId'])
      .where('action', '=', 'POST /requests/:ticket/cancel')
      .where('entityId', '=', ticket)
      .executeTakeFirstOrThrow();
    expect(cancelCall.actorUserId).toBe(admin.userId);
  });

  it('keeps the audit log append-only, even for the database owner', async () => {
    await expect(sql`update audit_log set action = 'tampered' where id = (select max(id) from audit_log)`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('exports everything held about a person as JSON for admins, and audits the export', async () => {
    const response = await call(`/gdpr/export?email=${encodeURIComponent(tenantA.contactEmail.toUpperCase())}`, { headers: admin.headers });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.subject).toBe(tenantA.contactEmail);
    expect(body.clientContacts.map((c: any) => c.id)).toEqual([tenantA.contactId]);
    expect(body.serviceRequests.map((r: any) => r.ticketNumber)).toEqual(expect.arrayContaining([tickets.A]));
    expect(body.serviceRequests.map((r: any) => r.ticketNumber)).not.toContain(tickets.B);
    expect(body.consents.length).toBeGreaterThan(0);
    const audit = await db
      .selectFrom('auditLog')
      .select(['personalData', 'details'])
      .where('action', '=', 'GET /gdpr/export')
      .where('actorUserId', '=', admin.userId)
      .execute();
    expect(audit.at(-1)).toMatchObject({ personalData: true, details: { query: { email: tenantA.contactEmail.toUpperCase() } } });
  });

  it('answers with security headers, JSON errors without internals, and refuses oversized bodies', async () => {
    const health = await call('/openapi.json');
    expect(health.status).toBe(200);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-frame-options')).toBe('DENY');
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(health.headers.get('x-powered-by')).toBeNull();

    const malformed = await call('/auth/login', { body: '{"email":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).error.code).toBe('validation_failed');

    const huge = await call('/auth/login', { body: JSON.stringify({ email: 'a@b.fr', password: 'x'.repeat(13 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);

    const duplicate = await call('/users', { headers: admin.headers, body: { email: admin.email, displayName: 'Doublon', role: 'admin' } });
    expect(duplicate.status).toBe(409);
    const text = JSON.stringify(await duplicate.json());
    expect(text).not.toMatch(/insert into|duplicate key|at .*\.ts/i);
  });
});
