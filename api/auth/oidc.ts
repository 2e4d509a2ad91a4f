/**
 * Single sign-on for client companies, one OpenID Connect provider per client (table
 * oidc_providers): authorization code flow with PKCE, state and nonce, through openid-client.
 * A first login creates the account (just-in-time) with the provider's default role, provided
 * the verified email belongs to the client's allowed domain.
 */
import * as oidc from 'openid-client';
import type { OidcProvidersTable } from '../../db/index.js';
import type { Selectable } from 'kysely';
import { HttpError } from '../errors.js';

export type OidcProvider = Selectable<OidcProvidersTable>;

export interface OidcIdentity {
  email: string;
  displayName: string;
  role: 'client_user' | 'client_admin';
  clientId: string;
}

/**
 * Maps ID token claims to an account for this provider's client, or refuses: no email, an
 * email the provider says is unverified, or a domain other than the one allowed.
 */
export function identityFromClaims(claims: Record<string, unknown>, provider: Pick<OidcProvider, 'allowedEmailDomain' | 'defaultRole' | 'clientId'>): OidcIdentity {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new HttpError(401, 'unauthorized', 'the identity provider sent no usable email');
  if (claims.email_verified === false) throw new HttpError(401, 'unauthorized', 'the identity provider has not verified this email');
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (domain !== provider.allowedEmailDomain.toLowerCase()) {
    throw new HttpError(403, 'forbidden', `emails of ${domain} may not sign in through this provider`);
  }
  const given = typeof claims.given_name === 'string' ? claims.given_name : '';
  const family = typeof claims.family_name === 'string' ? claims.family_name : '';
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : `${given} ${family}`.trim();
  return { email, displayName: name || email, role: provider.defaultRole, clientId: provider.clientId };
}

export interface OidcOptions {
  /** Allow http:// issuers (tests and local identity providers only). */
  allowInsecureIssuers?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Discovered provider configurations, per provider row, refreshed hourly. */
export function createOidcClients(options: OidcOptions = {}) {
  const cache = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();
  const env = options.env ?? process.env;

  function configFor(provider: OidcProvider): Promise<oidc.Configuration> {
    const cached = cache.get(provider.id);
    if (cached && Date.now() - cached.at < 3_600_000) return cached.config;
    const secret = provider.clientSecretEnv ? env[provider.clientSecretEnv] : undefined;
    if (provider.clientSecretEnv && !secret) {
      throw new HttpError(503, 'service_unavailable', `SSO of ${provider.slug} is not configured (secret missing)`);
    }
    const config = oidc
      .discovery(new URL(provider.issuer), provider.oidcClientId, secret, undefined, {
        ...(options.allowInsecureIssuers ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((err: unknown) => {
        cache.delete(provider.id);
        throw new HttpError(503, 'service_unavailable', `identity provider of ${provider.slug} unreachable: ${(err as Error).message}`);
      });
    cache.set(provider.id, { at: Date.now(), config });
    return config;
  }

  return {
    /** The authorization URL plus what the callback needs to verify the answer. */
    async start(provider: OidcProvider, redirectUri: string) {
      const config = await configFor(provider);
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, state, nonce, codeVerifier };
    },

    /** Exchanges the code (checking state, PKCE and nonce) and returns the ID token claims. */
    async finish(provider: OidcProvider, callbackUrl: URL, expected: { state: string; nonce: string; codeVerifier: string }) {
      const config = await configFor(provider);
      try {
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: expected.codeVerifier,
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          idTokenExpected: true,
        });
        return (tokens.claims() ?? {}) as Record<string, unknown>;
      } catch (err) {
        throw new HttpError(401, 'unauthorized', `single sign-on failed: ${(err as Error).message}`);
      }
    },
  };
}

export type OidcClients = ReturnType<typeof createOidcClients>;
