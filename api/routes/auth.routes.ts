/**
 * Sign-in and credentials: password login (throttled), logout, the current account, API tokens
 * for integrations, and per-client single sign-on (OIDC). Credential checks read through the
 * owner connection (`deps.db`): before sign-in there is no caller to scope by, and failed
 * attempts must be recorded even though the request itself fails.
 */
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  issueCredential,
  listApiTokens,
  revokeAllForUser,
  revokeCredential,
  unrevokeSession,
} from '../../db/repositories/credentials.repository.js';
import {
  findEnabledOidcProviderBySlug,
  findEnabledOidcSlugForDomain,
  getOidcProvider,
  recordOidcLogin,
  takeOidcLogin,
} from '../../db/repositories/oidc.repository.js';
import { createUser, findUser, findUserByEmail, getUserWithPasswordHash, setUserPassword } from '../../db/repositories/users.repository.js';
import { acceptAccountLink } from '../admin/account-links.js';
import { HttpError } from '../errors.js';
import { ROLES, route, type Principal, type RouteSpec } from '../routing.js';
import {
  changePasswordSchema,
  createTokenSchema,
  loginSchema,
  oidcCallbackQuerySchema,
  oidcStartParamSchema,
  ssoDiscoveryQuerySchema,
  tokenIdParamSchema,
} from '../schemas/auth.schema.js';
import {
  createdTokenSchema,
  loginResponseSchema,
  meResponseSchema,
  ssoDiscoverySchema,
  tokenListSchema,
} from '../schemas/auth.response.js';
import { acceptAccountLinkSchema } from '../schemas/admin.schema.js';
import { accountLinkAcceptedSchema } from '../schemas/admin.response.js';
import { principalOf, requestOrigin, SESSION_COOKIE, type AuthenticatedRequest } from '../auth/access.js';
import { identityFromClaims, type OidcClients } from '../auth/oidc.js';
import { decoyHash, verifyPassword } from '../../platform/crypto/password.js';
import { assertPasswordPolicy, passwordError } from '../auth/password-policy.js';
import { DEFAULT_THROTTLE, lockedFor, recordFailure, recordSuccess, type ThrottlePolicy } from '../auth/throttle.js';

export interface AuthDeps {
  /** The owner connection (not scoped): credentials, throttle, OIDC state. */
  db: Kysely<DB>;
  throttle?: ThrottlePolicy;
  /** Secure cookies (HTTPS only): on in production. */
  secureCookies?: boolean;
  sessionTtlSeconds?: number;
  /** Public base URL (`https://support.example.fr`) for the OIDC redirect URI. */
  publicUrl?: string;
  oidc?: OidcClients;
}

const EVERYONE = ROLES;

export function authRoutes(deps: AuthDeps): RouteSpec[] {
  const throttle = deps.throttle ?? DEFAULT_THROTTLE;
  const sessionTtl = deps.sessionTtlSeconds ?? 12 * 3600;

  async function openSession(req: Request, res: Response, userId: string) {
    const session = await issueCredential(deps.db, 'session', { userId, ttlSeconds: sessionTtl, ...requestOrigin(req) });
    res.cookie(SESSION_COOKIE, session.secret, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies ?? false,
      path: '/',
      maxAge: sessionTtl * 1000,
    });
    return session;
  }

  const audit = (
    req: Request,
    principal: Principal | null,
    action: string,
    entityId: string | null,
    details: Record<string, unknown> = {},
  ) =>
    appendAudit(deps.db, {
      actorUserId: principal?.userId ?? null,
      actorRole: principal?.role ?? null,
      action,
      entityType: 'account',
      entityId,
      ...requestOrigin(req),
      details: JSON.stringify(details),
    });

  const redirectUri = (req: Request) => `${deps.publicUrl ?? `${req.protocol}://${req.get('host')}`}/api/auth/oidc/callback`;

  return [
    route({
      method: 'post',
      path: '/auth/account-link',
      tag: 'auth',
      summary: 'Follow a one-time link (invitation or reset): choose the password; the link is then used up and other sessions end',
      access: 'public',
      // Audited below, with the account it was for (the body holds only secrets).
      audit: 'none',
      body: acceptAccountLinkSchema,
      responses: { 200: 'Password set: sign in with it', 400: 'Invalid, expired or used link (`token`), or a password the policy refuses' },
      response: { 200: accountLinkAcceptedSchema },
      async handler({ req, res, body }) {
        const accepted = await acceptAccountLink(deps.db, body);
        await audit(req, null, accepted.purpose === 'invite' ? 'invitation_accepted' : 'password_reset', accepted.userId);
        res.json({ email: accepted.email });
      },
    }),
    route({
      method: 'post',
      path: '/auth/login',
      tag: 'auth',
      summary: 'Sign in with email and password; sets the HttpOnly session cookie `sid`',
      access: 'public',
      audit: 'none',
      body: loginSchema,
      responses: { 200: 'Signed in', 401: 'Wrong email or password', 429: 'Too many failed attempts (Retry-After)' },
      response: { 200: loginResponseSchema },
      async handler({ req, res, body }) {
        const ip = requestOrigin(req).ip ?? 'unknown';
        const wait = await lockedFor(deps.db, body.email, ip);
        if (wait > 0) {
          await audit(req, null, 'login_throttled', body.email, { retryAfterSeconds: wait });
          throw new HttpError(429, 'too_many_requests', `too many failed sign-ins; retry in ${wait} s`, undefined, wait);
        }
        const user = await findUserByEmail(deps.db, body.email);
        const matches = await verifyPassword(body.password, user?.passwordHash ?? (await decoyHash()));
        if (!user || !user.passwordHash || !matches || !user.active) {
          await recordFailure(deps.db, body.email, ip, throttle);
          await audit(req, null, 'login_failed', body.email, {
            reason: !user ? 'unknown_account' : !user.active && matches ? 'disabled' : 'bad_password',
          });
          throw new HttpError(401, 'unauthorized', 'wrong email or password');
        }
        await recordSuccess(deps.db, body.email);
        const session = await openSession(req, res, user.id);
        const principal = principalOf(user);
        await audit(req, principal, 'login', user.id, { method: 'password' });
        res.json({ user: { ...principal, email: user.email, locale: user.locale }, expiresAt: session.expiresAt });
      },
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      tag: 'auth',
      summary: 'Sign out: revokes the credential used for this call (session or API token) at once',
      access: EVERYONE,
      responses: { 204: 'Signed out' },
      async handler({ req, res, db }) {
        const credential = (req as AuthenticatedRequest).credential;
        if (credential) await revokeCredential(db, credential.kind, credential.id);
        res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies ?? false });
        res.status(204).end();
      },
    }),
    route({
      method: 'get',
      path: '/auth/me',
      tag: 'auth',
      summary: 'The signed-in account',
      access: EVERYONE,
      response: { 200: meResponseSchema },
      async handler({ res, db, principal }) {
        const user = await findUser(db, principal!.userId);
        res.json({ user: { ...principal!, email: user?.email, locale: user?.locale } });
      },
    }),
    route({
      method: 'post',
      path: '/auth/password',
      tag: 'auth',
      summary: 'Change my password; ends my other sessions and tokens',
      access: EVERYONE,
      body: changePasswordSchema,
      responses: { 204: 'Changed', 400: 'A new password the policy refuses (reason code)', 401: 'Wrong current password' },
      async handler({ req, res, db, body, principal }) {
        const user = await getUserWithPasswordHash(deps.db, principal!.userId);
        // A stolen session must not become a way to guess the password: same throttle as login.
        const ip = requestOrigin(req).ip ?? 'unknown';
        const wait = await lockedFor(deps.db, user.email, ip);
        if (wait > 0) throw new HttpError(429, 'too_many_requests', `too many failed attempts; retry in ${wait} s`, undefined, wait);
        if (!user.passwordHash || !(await verifyPassword(body.currentPassword, user.passwordHash))) {
          await recordFailure(deps.db, user.email, ip, throttle);
          await audit(req, principal, 'password_change_failed', principal!.userId);
          throw new HttpError(401, 'unauthorized', 'wrong current password');
        }
        await recordSuccess(deps.db, user.email);
        if (body.newPassword.normalize('NFKC') === body.currentPassword.normalize('NFKC')) {
          throw passwordError('newPassword', { code: 'same_as_current', message: 'must differ from the current password' });
        }
        assertPasswordPolicy('newPassword', body.newPassword, user);
        await setUserPassword(db, user.id, body.newPassword);
        await revokeAllForUser(db, user.id);
        // The session making the change stays valid: un-revoke only it.
        const credential = (req as AuthenticatedRequest).credential;
        if (credential?.kind === 'session') await unrevokeSession(db, credential.id);
        res.status(204).end();
      },
    }),
    route({
      method: 'post',
      path: '/auth/tokens',
      tag: 'auth',
      summary: 'Create an API token (bearer) for an integration; the secret is shown only in this answer',
      access: EVERYONE,
      body: createTokenSchema,
      responses: { 201: 'Token created' },
      response: { 201: createdTokenSchema },
      async handler({ req, res, db, body, principal }) {
        const token = await issueCredential(db, 'api_token', {
          userId: principal!.userId,
          name: body.name,
          ttlSeconds: body.expiresInDays ? body.expiresInDays * 86_400 : null,
          ...requestOrigin(req),
        });
        res.status(201).json({ id: token.id, name: body.name, token: token.secret, expiresAt: token.expiresAt });
      },
    }),
    route({
      method: 'get',
      path: '/auth/tokens',
      tag: 'auth',
      summary: 'My API tokens (never their secrets)',
      access: EVERYONE,
      response: { 200: tokenListSchema },
      async handler({ res, db, principal }) {
        res.json({ items: await listApiTokens(db, principal!.userId) });
      },
    }),
    route({
      method: 'delete',
      path: '/auth/tokens/:tokenId',
      tag: 'auth',
      summary: 'Revoke an API token (effective immediately)',
      access: EVERYONE,
      params: tokenIdParamSchema,
      responses: { 204: 'Revoked', 404: 'No such token of yours' },
      async handler({ res, db, params }) {
        await revokeCredential(db, 'api_token', params.tokenId);
        res.status(204).end();
      },
    }),
    route({
      method: 'get',
      path: '/auth/sso',
      tag: 'auth',
      summary: 'Whether addresses of a domain sign in with single sign-on, and the URL that starts it (nothing else of the provider)',
      access: 'public',
      audit: 'none',
      query: ssoDiscoveryQuerySchema,
      responses: { 200: 'Yes with the start URL, or no' },
      response: { 200: ssoDiscoverySchema },
      async handler({ res, query }) {
        const slug = deps.oidc ? await findEnabledOidcSlugForDomain(deps.db, query.domain.toLowerCase()) : undefined;
        res.json(slug ? { sso: true, startUrl: `/api/auth/oidc/${encodeURIComponent(slug)}/start` } : { sso: false });
      },
    }),
    route({
      method: 'get',
      path: '/auth/oidc/:provider/start',
      tag: 'auth',
      summary: "Start single sign-on with the client company's identity provider (redirect)",
      access: 'public',
      params: oidcStartParamSchema,
      responses: { 302: 'Redirect to the identity provider', 404: 'No such provider' },
      async handler({ req, res, params }) {
        if (!deps.oidc) throw new HttpError(404, 'not_found', 'single sign-on is not enabled');
        const provider = await findEnabledOidcProviderBySlug(deps.db, params.provider);
        if (!provider) throw new HttpError(404, 'not_found', `no identity provider ${params.provider}`);
        const uri = redirectUri(req);
        const started = await deps.oidc.start(provider, uri);
        // Stale attempts are dropped here rather than by a separate job.
        await recordOidcLogin(deps.db, {
          state: started.state,
          providerId: provider.id,
          codeVerifier: started.codeVerifier,
          nonce: started.nonce,
          redirectUri: uri,
        });
        res.redirect(302, started.url.href);
      },
    }),
    route({
      method: 'get',
      path: '/auth/oidc/callback',
      tag: 'auth',
      summary: 'Identity provider callback: checks state, PKCE and nonce, signs in, redirects to the app',
      access: 'public',
      query: oidcCallbackQuerySchema,
      responses: { 302: 'Signed in, redirect to /', 400: 'Unknown or expired sign-in', 401: 'Refused by the provider' },
      async handler({ req, res, query }) {
        if (!deps.oidc) throw new HttpError(404, 'not_found', 'single sign-on is not enabled');
        // Single use: the row is deleted as it is read, so a replayed callback finds nothing.
        const login = await takeOidcLogin(deps.db, query.state);
        if (!login)
          throw new HttpError(400, 'validation_failed', 'unknown or expired sign-in attempt', [
            { field: 'state', message: 'unknown or expired' },
          ]);
        if (query.error) throw new HttpError(401, 'unauthorized', `the identity provider refused: ${query.error}`);
        const provider = await getOidcProvider(deps.db, login.providerId);
        // Disabled between the start and the callback: the company has turned single sign-on off.
        if (!provider.enabled) throw new HttpError(403, 'forbidden', `single sign-on of ${provider.slug} is disabled`);
        const callbackUrl = new URL(req.originalUrl, login.redirectUri);
        const claims = await deps.oidc.finish(provider, callbackUrl, login);
        const identity = identityFromClaims(claims, provider);
        let user = await findUserByEmail(deps.db, identity.email);
        if (user && (user.clientId !== identity.clientId || !user.active)) {
          await audit(req, null, 'login_failed', identity.email, { method: 'oidc', provider: provider.slug, reason: 'account_mismatch' });
          throw new HttpError(403, 'forbidden', 'this account may not sign in through this provider');
        }
        if (!user) {
          const created = await createUser(deps.db, identity);
          await audit(req, null, 'user_provisioned', created.id, { method: 'oidc', provider: provider.slug, role: created.role });
          user = (await findUserByEmail(deps.db, identity.email))!;
        }
        await openSession(req, res, user.id);
        await audit(req, principalOf(user), 'login', user.id, { method: 'oidc', provider: provider.slug, subject: claims.sub });
        res.redirect(302, '/');
      },
    }),
  ];
}
