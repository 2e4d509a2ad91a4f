/**
 * Single sign-on end to end: the real app and openid-client against an in-process OpenID
 * provider (discovery, authorize, token, JWKS; RS256 ID tokens signed with jose, the library
 * openid-client itself depends on). The provider checks PKCE; the app checks state and nonce.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { createApp } from '../app.js';
import { createOidcClients } from '../auth/oidc.js';
import type { DB } from '../../db/index.js';
import { testClient, testDb } from '../../scripts/testing/env.js';
import { createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }));
  });
}

/** A minimal OpenID provider: enough of the spec for the authorization code flow with PKCE. */
async function startProvider(clientId: string, clientSecret: string) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string }>();
  const state = { email: 'claire.martin@acme.test', pkceChecked: 0 };
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

describe('single sign-on (OIDC, authorization code + PKCE) per client company', () => {
  let db: Kysely<DB>;
  let client: Client;
  let connection: Connection;
  let idp: Awaited<ReturnType<typeof startProvider>>;
  let app: { url: string; server: Server };
  let tenant: TestClient;
  let slug: string;

  beforeAll(async () => {
    db = testDb();
    ({ client, connection } = await testClient());
    idp = await startProvider('field-service', 's3cret');
    tenant = await createTestClient(db);
    slug = `acme-${randomUUID().slice(0, 8)}`;
    await db
      .insertInto('oidcProviders')
      .values({
        clientId: tenant.clientId,
        slug,
        issuer: idp.url,
        oidcClientId: 'field-service',
        clientSecretEnv: 'ACME_OIDC_SECRET',
        allowedEmailDomain: 'acme.test',
        defaultRole: 'client_user',
      })
      .execute();
    const oidc = createOidcClients({ allowInsecureIssuers: true, env: { ACME_OIDC_SECRET: 's3cret' } });
    app = await listen(createApp({ db, temporal: client, log: (err) => console.error(err), auth: { oidc } }));
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

  it("signs a new employee in, creating their account in the provider's company with the default role", async () => {
    idp.state.email = `claire-${randomUUID().slice(0, 6)}@acme.test`;
    const checked = idp.state.pkceChecked;
    const { callback, callbackUrl } = await signIn();
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/');
    expect(idp.state.pkceChecked).toBe(checked + 1);
    const sid = callback.headers.get('set-cookie')!.split(';')[0]!;
    const me = (await (await fetch(`${app.url}/api/auth/me`, { headers: { cookie: sid } })).json()) as any;
    expect(me.user).toMatchObject({ role: 'client_user', clientId: tenant.clientId, email: idp.state.email, displayName: 'Claire Martin' });
    const audit = await db.selectFrom('auditLog').select(['action', 'details']).where('entityId', '=', me.user.userId).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['user_provisioned', 'login']);

    // The state is single use: replaying the callback is refused.
    const replay = await fetch(callbackUrl, { redirect: 'manual' });
    expect(replay.status).toBe(400);
  });

  it('refuses an email outside the allowed domain and creates no account', async () => {
    idp.state.email = `mallory-${randomUUID().slice(0, 6)}@elsewhere.test`;
    const { callback } = await signIn();
    expect(callback.status).toBe(403);
    expect(callback.headers.get('set-cookie')).toBeNull();
    expect(await db.selectFrom('users').select('id').where('email', '=', idp.state.email).executeTakeFirst()).toBeUndefined();
  });

  it('refuses a callback with a forged state, and an unknown provider', async () => {
    const forged = await fetch(`${app.url}/api/auth/oidc/callback?state=forged-state-value&code=abc`, { redirect: 'manual' });
    expect(forged.status).toBe(400);
    expect((await fetch(`${app.url}/api/auth/oidc/no-such-provider/start`, { redirect: 'manual' })).status).toBe(404);
  });
});
