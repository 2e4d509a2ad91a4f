/** The auth options of the API process, from its configuration (see scripts/config.ts). */
import type { Config } from '../../scripts/config.js';
import type { AppDeps } from '../app.js';
import { createOidcClients } from './oidc.js';

export function authFromConfig(config: Pick<Config, 'NODE_ENV' | 'PUBLIC_URL'>): NonNullable<AppDeps['auth']> {
  const production = config.NODE_ENV === 'production';
  return {
    // Secure cookies and HSTS wherever the public URL is HTTPS, and always in production.
    secureCookies: production || (config.PUBLIC_URL?.startsWith('https://') ?? false),
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL.replace(/\/$/, '') } : {}),
    // Local identity providers (Keycloak on http://localhost) are allowed outside production only.
    oidc: createOidcClients({ allowInsecureIssuers: !production }),
  };
}
