/**
 * Single sign-on for client companies, one OpenID Connect provider per client (table
 * oidc_providers, configured through /api/clients/:clientId/oidc-provider): authorization code
 * flow with PKCE, state and nonce, through openid-client. A first login creates the account
 * (just-in-time) with the provider's default role, provided the verified email belongs to one
 * of the client's allowed domains.
 */
import * as oidc from 'openid-client';
import type { OidcProvidersTable } from '../../db/index.js';
import type { Selectable } from 'kysely';
import { HttpError } from '../errors.js';
import { createSecretBox, type SecretBox } from './secret-box.js';

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
export function identityFromClaims(
  claims: Record<string, unknown>,
  provider: Pick<OidcProvider, 'allowedEmailDomains' | 'defaultRole' | 'clientId'>,
): OidcIdentity {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new HttpError(401, 'unauthorized', 'the identity provider sent no usable email');
  if (claims.email_verified === false) throw new HttpError(401, 'unauthorized', 'the identity provider has not verified this email');
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!provider.allowedEmailDomains.some((allowed) => allowed.toLowerCase() === domain)) {
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
  /** Opens the client secrets sealed in oidc_providers (the same box the config routes seal with). */
  secrets?: SecretBox;
  /** Seconds allowed for discovery and token calls. */
  timeoutSeconds?: number;
}

/** Where the sealed secret of a provider is bound: its company (a sealed value does not move). */
export const secretContext = (clientId: string) => `oidc_providers:${clientId}`;

/** Discovered provider configurations, per provider row and version, refreshed hourly. */
export function createOidcClients(options: OidcOptions = {}) {
  const cache = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? createSecretBox();
  const timeout = options.timeoutSeconds ?? 10;
  const requestOptions = { timeout, ...(options.allowInsecureIssuers ? { execute: [oidc.allowInsecureRequests] } : {}) };

  function secretOf(provider: OidcProvider): string | undefined {
    if (provider.clientSecretSealed) {
      try {
        return secrets.open(provider.clientSecretSealed, secretContext(provider.clientId));
      } catch (err) {
        throw new HttpError(
          503,
          'service_unavailable',
          `SSO of ${provider.slug} is misconfigured: its client secret cannot be read (${(err as Error).message})`,
        );
      }
    }
    const secret = provider.clientSecretEnv ? env[provider.clientSecretEnv] : undefined;
    if (provider.clientSecretEnv && !secret) {
      throw new HttpError(503, 'service_unavailable', `SSO of ${provider.slug} is not configured (secret missing)`);
    }
    return secret;
  }

  function configFor(provider: OidcProvider): Promise<oidc.Configuration> {
    // The row's version is part of the key: a saved change takes effect at the next sign-in.
    const key = `${provider.id}@${new Date(provider.updatedAt).getTime()}`;
    const cached = cache.get(key);
    if (cached && Date.now() - cached.at < 3_600_000) return cached.config;
    const secret = secretOf(provider);
    const config = oidc
      .discovery(new URL(provider.issuer), provider.oidcClientId, secret, undefined, requestOptions)
      .catch((err: unknown) => {
        cache.delete(key);
        throw new HttpError(
          503,
          'service_unavailable',
          `identity provider of ${provider.slug} unreachable: discovery of ${provider.issuer}/.well-known/openid-configuration failed (${(err as Error).message})`,
        );
      });
    for (const old of cache.keys()) if (old.startsWith(`${provider.id}@`)) cache.delete(old);
    cache.set(key, { at: Date.now(), config });
    return config;
  }

  return {
    secrets,
    /**
     * Save-time check of an issuer: OpenID Connect discovery must succeed and name the same
     * issuer. Returns the problem in words, or null when the issuer is usable.
     */
    async checkIssuer(issuer: string): Promise<string | null> {
      try {
        await oidc.discovery(new URL(issuer), 'configuration-check', undefined, undefined, requestOptions);
        return null;
      } catch (err) {
        const cause = (err as { cause?: unknown }).cause;
        return `OpenID Connect discovery failed: ${(err as Error).message}${cause instanceof Error ? ` (${cause.message})` : ''}`;
      }
    },

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
