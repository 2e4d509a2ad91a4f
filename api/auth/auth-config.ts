/** The auth options of the API process, from its configuration (see platform/config.ts). */
import type { Config } from '../../platform/config.js';
import type { AppDeps } from '../app.js';
import { createOidcClients } from './oidc.js';
import { createSecretBox } from './secret-box.js';

export function authFromConfig(config: Pick<Config, 'NODE_ENV' | 'PUBLIC_URL' | 'OIDC_SECRET_KEY'>): NonNullable<AppDeps['auth']> {
  const production = config.NODE_ENV === 'production';
  // Without a key, development stores OIDC client secrets in clear; production refuses to.
  const secrets = createSecretBox({ key: config.OIDC_SECRET_KEY, requireKey: production });
  return {
    // Secure cookies and HSTS wherever the public URL is HTTPS, and always in production.
    secureCookies: production || (config.PUBLIC_URL?.startsWith('https://') ?? false),
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL.replace(/\/$/, '') } : {}),
    // Local identity providers (Keycloak on http://localhost) are allowed outside production only.
    oidc: createOidcClients({ allowInsecureIssuers: !production, secrets }),
  };
}
