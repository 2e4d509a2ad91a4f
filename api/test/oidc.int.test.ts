/**
 * Single sign-on end to end: the real app and openid-client against an in-process OpenID
 * provider (discovery, authorize, token, JWKS; RS256 ID tokens signed with jose, the library
 * openid-client itself depends on). The provider checks PKCE and the client secret; the app
 * checks state and nonce. The company's provider is configured through the API
 * (/api/clients/:clientId/oidc-provider), its secret sealed with a key, as in production.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { createApp } from '../app.js';
import { enterScope } from '../auth/access.js';
import { createOidcClients } from '../auth/oidc.js';
import { createSecretBox } from '../auth/secret-box.js';
import type { DB } from '../../db/index.js';
import { listen, testClient, testDb } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import { enforceResponseSchemas } from '../../scripts/testing/response-check.js';

/** A minimal OpenID provider: enough of the spec for the authorization code flow with PKCE. */
async function startProvider(clientId: string, clientSecret: string) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string }>();
  const state = { email: 'claire.martin@acme.test', pkceChecked: 0, tokenCalls: 0 };
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  let issuer = '';
  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });
  app.get('/jwks', (_req, res) => {
    res.json({ keys: [jwk] });
  });
  app.get('/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q.client_id !== clientId || q.response_type !== 'code' || q.code_challenge_method !== 'S256' || !q.code_challenge || !q.nonce) {
      res.status(400).send('bad authorization request');
      return;
    }
    const code = randomUUID();
    codes.set(code, { challenge: q.code_challenge, nonce: q.nonce, redirectUri: q.redirect_uri! });
    const target = new URL(q.redirect_uri!);
    target.searchParams.set('code', code);
    target.searchParams.set('state', q.state!);
    res.redirect(302, target.href);
  });
  app.post('/token', async (req, res) => {
    const basic = req.headers.authorization?.startsWith('Basic ')
      ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':').map(decodeURIComponent)
      : [req.body.client_id, req.body.client_secret];
    state.tokenCalls += 1;
    const grant = codes.get(req.body.code);
    codes.delete(req.body.code);
    if (basic[0] !== clientId || basic[1] !== clientSecret) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    if (!grant || grant.redirectUri !== req.body.redirect_uri) {
      res.status(400).json({ error: 'invalid_grant' });
      return;
    }
    if (createHash('sha256').update(String(req.body.code_verifier)).digest('base64url') !== grant.challenge) {
      res.status(400).json({ error: 'invalid_grant', error_description: 'PKCE verification failed' });
      return;
    }
    state.pkceChecked += 1;
    const idToken = await new SignJWT({ email: state.email, email_verified: true, name: 'Claire Martin', nonce: grant.nonce })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setSubject(`sub-${state.email}`)
      .setAudience(clientId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    res.json({ access_token: randomUUID(), token_type: 'Bearer', expires_in: 300, id_token: idToken });
  });
  const running = await listen(app);
  issuer = running.url;
  return { ...running, state };
}

const SECRET = 's3cret-Zq81-never-shown';

describe('single sign-on (OIDC, authorization code + PKCE) per client company', () => {
  let db: Kysely<DB>;
  let client: Client;
  let connection: Connection;
  let idp: Awaited<ReturnType<typeof startProvider>>;
  let app: { url: string; server: Server };
  let tenant: TestClient;
  let other: TestClient;
  let slug: string;
  let domain: string;
  let admin: Awaited<ReturnType<typeof createTestAccount>>;
  let clientAdmin: Awaited<ReturnType<typeof createTestAccount>>;
  let otherClientAdmin: Awaited<ReturnType<typeof createTestAccount>>;
  /** Every response body of the configuration routes, to prove the secret never leaves. */
  const seen: string[] = [];

  async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
    const response = await fetch(`${app.url}/api${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    seen.push(text);
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
  const providerPath = (t: TestClient) => `/clients/${t.clientId}/oidc-provider`;

  beforeAll(async () => {
    db = testDb();
    ({ client, connection } = await testClient());
    idp = await startProvider('field-service', SECRET);
    tenant = await createTestClient(db);
    other = await createTestClient(db);
    slug = `acme-${randomUUID().slice(0, 8)}`;
    domain = `${slug}.test`;
    const oidc = createOidcClients({ allowInsecureIssuers: true, secrets: createSecretBox({ key: randomBytes(32).toString('base64') }) });
    app = await listen(
      createApp({ db, temporal: client, log: (err) => console.error(err), auth: { oidc }, checkResponses: enforceResponseSchemas }),
    );
    admin = await createTestAccount(db, 'admin');
    clientAdmin = await createTestAccount(db, 'client_admin', { clientId: tenant.clientId });
    otherClientAdmin = await createTestAccount(db, 'client_admin', { clientId: other.clientId });

    const created = await call('PUT', providerPath(tenant), admin.headers, {
      slug,
      issuer: idp.url,
      oidcClientId: 'field-service',
      clientSecret: SECRET,
      allowedEmailDomains: [domain, `Second-${domain}`],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });

  afterAll(async () => {
    app?.server.close();
    idp?.server.close();
    await connection?.close();
    await db?.destroy();
  });

  /** Browser steps: start at the app, follow the provider's redirect back, return the callback answer. */
  async function signIn(): Promise<{ callback: Response; callbackUrl: string }> {
    const start = await fetch(`${app.url}/api/auth/oidc/${slug}/start`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(idp.url);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${app.url}/api/auth/oidc/callback`);
    const back = await fetch(authorize, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const callbackUrl = back.headers.get('location')!;
    return { callback: await fetch(callbackUrl, { redirect: 'manual' }), callbackUrl };
  }

  it('stores the configuration created through the API with the secret sealed, and never returns or logs it', async () => {
    const read = await call('GET', providerPath(tenant), admin.headers);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      clientId: tenant.clientId,
      slug,
      issuer: idp.url,
      oidcClientId: 'field-service',
      allowedEmailDomains: [domain, `second-${domain}`],
      defaultRole: 'client_user',
      enabled: true,
      hasClientSecret: true,
      loginUrl: `${app.url}/api/auth/oidc/${slug}/start`,
      redirectUri: `${app.url}/api/auth/oidc/callback`,
    });
    expect(Object.keys(read.body).filter((k) => /secret/i.test(k))).toEqual(['hasClientSecret']);
    const row = await db
      .selectFrom('oidcProviders')
      .select(['clientSecretSealed', 'clientSecretEnv'])
      .where('clientId', '=', tenant.clientId)
      .executeTakeFirstOrThrow();
    expect(row.clientSecretEnv).toBeNull();
    expect(row.clientSecretSealed).toMatch(/^v1\./);
    expect(row.clientSecretSealed).not.toContain(SECRET);
    const audit = await db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('action', '=', 'PUT /clients/:clientId/oidc-provider')
      .where('entityId', '=', tenant.clientId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).toContain('[redacted]');
    expect(JSON.stringify(audit[0]!.details)).not.toContain(SECRET);
    // The tenant role cannot even select the column, whatever a future route might try.
    await expect(
      db.transaction().execute(async (trx) => {
        await enterScope(trx, { userId: admin.userId, role: 'admin', clientId: null, technicianId: null });
        return trx.selectFrom('oidcProviders').select('clientSecretSealed').execute();
      }),
    ).rejects.toThrow(/permission denied/);
  });

  it("signs a new employee in, creating their account in the provider's company with the default role", async () => {
    idp.state.email = `claire-${randomUUID().slice(0, 6)}@second-${domain}`;
    const checked = idp.state.pkceChecked;
    const { callback, callbackUrl } = await signIn();
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/');
    expect(idp.state.pkceChecked).toBe(checked + 1);
    const sid = callback.headers.get('set-cookie')!.split(';')[0]!;
    const me = (await (await fetch(`${app.url}/api/auth/me`, { headers: { cookie: sid } })).json()) as any;
    expect(me.user).toMatchObject({ role: 'client_user', clientId: tenant.clientId, email: idp.state.email, displayName: 'Claire Martin' });
    const audit = await db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('entityId', '=', me.user.userId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['user_provisioned', 'login']);

    // The state is single use: replaying the callback is refused.
    const replay = await fetch(callbackUrl, { redirect: 'manual' });
    expect(replay.status).toBe(400);
  });

  it('uses the secret saved through the API: a wrong one fails at the token endpoint, the right one works again', async () => {
    const wrong = await call('PATCH', providerPath(tenant), clientAdmin.headers, { clientSecret: 'not-the-secret' });
    expect(wrong.status).toBe(200);
    idp.state.email = `paul-${randomUUID().slice(0, 6)}@${domain}`;
    const calls = idp.state.tokenCalls;
    expect((await signIn()).callback.status).toBe(401);
    expect(idp.state.tokenCalls).toBe(calls + 1);
    expect((await call('PATCH', providerPath(tenant), clientAdmin.headers, { clientSecret: SECRET })).status).toBe(200);
    expect((await signIn()).callback.status).toBe(302);
  });

  it("lets a client admin manage their company's provider, and hides it from another company's (404, by row-level security)", async () => {
    expect((await call('GET', providerPath(tenant), clientAdmin.headers)).status).toBe(200);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { enabled: false }],
      ['PUT', { slug: `evil-${slug}`.slice(0, 40), issuer: idp.url, oidcClientId: 'x', allowedEmailDomains: [`evil-${domain}`] }],
    ] as const) {
      const response = await call(method, providerPath(tenant), otherClientAdmin.headers, body);
      expect(response.status, `${method}: ${JSON.stringify(response.body)}`).toBe(404);
    }
    expect((await call('GET', providerPath(tenant), clientAdmin.headers)).body.enabled).toBe(true);
    // Below the routes: the other company's admin sees no row; ours sees exactly theirs.
    const visible = (principal: { userId: string; clientId: string }) =>
      db.transaction().execute(async (trx) => {
        await enterScope(trx, { ...principal, role: 'client_admin', technicianId: null });
        return trx.selectFrom('oidcProviders').select(['clientId', 'slug']).execute();
      });
    expect(await visible({ userId: otherClientAdmin.userId, clientId: other.clientId })).toEqual([]);
    expect(await visible({ userId: clientAdmin.userId, clientId: tenant.clientId })).toEqual([{ clientId: tenant.clientId, slug }]);
    // Nor can they write a row for another company by going around the guard.
    await expect(
      db.transaction().execute(async (trx) => {
        await enterScope(trx, { userId: otherClientAdmin.userId, role: 'client_admin', clientId: other.clientId, technicianId: null });
        await trx.updateTable('oidcProviders').set({ enabled: false }).where('clientId', '=', tenant.clientId).execute();
        return trx.selectFrom('oidcProviders').select('id').where('clientId', '=', tenant.clientId).execute();
      }),
    ).resolves.toEqual([]);
    expect(
      (await db.selectFrom('oidcProviders').select('enabled').where('clientId', '=', tenant.clientId).executeTakeFirstOrThrow()).enabled,
    ).toBe(true);
  });

  it('refuses an issuer without working discovery, and a domain another company uses, storing nothing', async () => {
    const before = await db.selectFrom('oidcProviders').selectAll().where('clientId', '=', other.clientId).execute();
    const unreachable = await call('PUT', providerPath(other), otherClientAdmin.headers, {
      slug: `other-${slug}`.slice(0, 40),
      issuer: 'http://127.0.0.1:9/',
      oidcClientId: 'x',
      allowedEmailDomains: [`other-${domain}`],
    });
    expect(unreachable.status).toBe(422);
    expect(unreachable.body.error.fields[0].field).toBe('issuer');
    expect(unreachable.body.error.message).toContain('discovery failed');
    const taken = await call('PUT', providerPath(other), otherClientAdmin.headers, {
      slug: `other-${slug}`.slice(0, 40),
      issuer: idp.url,
      oidcClientId: 'x',
      allowedEmailDomains: [`other-${domain}`, domain],
    });
    expect(taken.status).toBe(422);
    expect(taken.body.error.fields).toEqual([{ field: 'allowedEmailDomains', message: `already used by another company: ${domain}` }]);
    // The platform's own staff domain cannot be claimed either.
    const staff = await call('PUT', providerPath(other), otherClientAdmin.headers, {
      slug: `other-${slug}`.slice(0, 40),
      issuer: idp.url,
      oidcClientId: 'x',
      allowedEmailDomains: [admin.email.split('@')[1]!],
    });
    expect(staff.status).toBe(422);
    expect(await db.selectFrom('oidcProviders').selectAll().where('clientId', '=', other.clientId).execute()).toEqual(before);
  });

  it('refuses an email outside the allowed domains and creates no account', async () => {
    idp.state.email = `mallory-${randomUUID().slice(0, 6)}@elsewhere.test`;
    const { callback } = await signIn();
    expect(callback.status).toBe(403);
    expect(callback.headers.get('set-cookie')).toBeNull();
    expect(await db.selectFrom('users').select('id').where('email', '=', idp.state.email).executeTakeFirst()).toBeUndefined();
  });

  it('stops single sign-on when the company disables it, and resumes when re-enabled', async () => {
    const disabled = await call('PATCH', providerPath(tenant), clientAdmin.headers, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    expect((await fetch(`${app.url}/api/auth/oidc/${slug}/start`, { redirect: 'manual' })).status).toBe(404);
    expect((await call('PATCH', providerPath(tenant), clientAdmin.headers, { enabled: true })).status).toBe(200);
    idp.state.email = `zoe-${randomUUID().slice(0, 6)}@${domain}`;
    expect((await signIn()).callback.status).toBe(302);
  });

  it('tells the sign-in page whether a domain signs in with single sign-on: yes with the start URL and nothing else, or no', async () => {
    const ask = async (d: string) => {
      const response = await fetch(`${app.url}/api/auth/sso?domain=${encodeURIComponent(d)}`);
      return { status: response.status, body: await response.json() };
    };
    const yes = { status: 200, body: { sso: true, startUrl: `/api/auth/oidc/${slug}/start` } };
    expect(await ask(domain.toUpperCase())).toEqual(yes);
    expect(await ask(`second-${domain}`)).toEqual(yes);
    expect(await ask(`nobody-${domain}`)).toEqual({ status: 200, body: { sso: false } });
    const bad = await ask('not a domain');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('domain');
    // A disabled provider is not offered.
    expect((await call('PATCH', providerPath(tenant), clientAdmin.headers, { enabled: false })).status).toBe(200);
    expect(await ask(domain)).toEqual({ status: 200, body: { sso: false } });
    expect((await call('PATCH', providerPath(tenant), clientAdmin.headers, { enabled: true })).status).toBe(200);
    expect(await ask(domain)).toEqual(yes);
  });

  it('refuses a callback with a forged state, and an unknown provider', async () => {
    const forged = await fetch(`${app.url}/api/auth/oidc/callback?state=forged-state-value&code=abc`, { redirect: 'manual' });
    expect(forged.status).toBe(400);
    expect((await fetch(`${app.url}/api/auth/oidc/no-such-provider/start`, { redirect: 'manual' })).status).toBe(404);
  });

  it('never returned the client secret in any response', () => {
    expect(seen.length).toBeGreaterThan(10);
    for (const text of seen) expect(text).not.toContain(SECRET);
  });
});
