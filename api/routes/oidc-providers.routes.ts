/**
 * Per-client single sign-on configuration: an admin for any company, a client admin for their
 * own. Which row a caller reaches is decided by row-level security (oidc_providers policy and
 * the `clientId` guard), not here: another company's configuration is a 404.
 *
 * The client secret is write-only: sealed (api/auth/secret-box.ts) before it is stored, never
 * selected by these routes (the tenant role has no SELECT right on the column), and redacted
 * from the audit entry of every call like any field named *secret*.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  emailDomainsClaimedElsewhere,
  findOidcProviderOfClient,
  insertOidcProvider,
  updateOidcProviderOfClient,
  type OidcProviderView,
} from '../../db/repositories/oidc.repository.js';
import { secretContext, type OidcClients } from '../auth/oidc.js';
import { createSecretBox } from '../auth/secret-box.js';
import { HttpError, notFound } from '../errors.js';
import { route, type RouteSpec } from '../routing.js';
import { clientIdParamSchema, patchOidcProviderSchema, putOidcProviderSchema } from '../schemas/auth.schema.js';
import { oidcProviderSchema } from '../schemas/auth.response.js';

export interface OidcProviderRoutesDeps {
  /** Present when single sign-on is enabled: issuers are then checked by discovery at save time. */
  oidc?: OidcClients;
  publicUrl?: string;
}

const ADMINS = ['admin', 'client_admin'] as const;

export function oidcProviderRoutes(deps: OidcProviderRoutesDeps = {}): RouteSpec[] {
  const secrets = deps.oidc?.secrets ?? createSecretBox();

  function present(row: OidcProviderView, base: string) {
    return { ...row, loginUrl: `${base}/api/auth/oidc/${row.slug}/start`, redirectUri: `${base}/api/auth/oidc/callback` };
  }
  const baseUrl = (req: { protocol: string; get(name: string): string | undefined }) =>
    deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;

  /** Domains another company already uses cannot be claimed (see migration 0070). */
  async function checkDomains(db: Kysely<DB>, domains: string[], clientId: string) {
    const claimed = await emailDomainsClaimedElsewhere(db, domains, clientId);
    if (claimed.length > 0) {
      throw new HttpError(422, 'validation_failed', `allowedEmailDomains: already used by another company: ${claimed.join(', ')}`, [
        { field: 'allowedEmailDomains', message: `already used by another company: ${claimed.join(', ')}` },
      ]);
    }
  }

  async function checkIssuer(issuer: string) {
    if (!deps.oidc) return;
    const problem = await deps.oidc.checkIssuer(issuer);
    if (problem) throw new HttpError(422, 'validation_failed', `issuer: ${problem}`, [{ field: 'issuer', message: problem }]);
  }

  const seal = (secret: string | null | undefined, clientId: string) =>
    secret === undefined ? {} : { clientSecretSealed: secret === null ? null : secrets.seal(secret, secretContext(clientId)) };

  return [
    route({
      method: 'get',
      path: '/clients/:clientId/oidc-provider',
      tag: 'sso',
      summary: "A client company's single sign-on configuration (never its client secret)",
      access: ADMINS,
      params: clientIdParamSchema,
      responses: { 200: 'The configuration', 404: 'No such client, or no provider configured' },
      response: { 200: oidcProviderSchema },
      async handler({ req, res, db, params }) {
        const row = await findOidcProviderOfClient(db, params.clientId);
        if (!row) throw notFound(`single sign-on configuration of client ${params.clientId}`);
        res.json(present(row, baseUrl(req)));
      },
    }),
    route({
      method: 'put',
      path: '/clients/:clientId/oidc-provider',
      tag: 'sso',
      summary: "Create or replace a client company's single sign-on configuration (the issuer is checked by OIDC discovery)",
      access: ADMINS,
      params: clientIdParamSchema,
      body: putOidcProviderSchema,
      responses: {
        200: 'Replaced',
        201: 'Created',
        409: 'Slug already used',
        422: 'Issuer discovery failed, or an email domain already used by another company',
        503: 'No OIDC_SECRET_KEY in production: the secret cannot be stored',
      },
      response: { 200: oidcProviderSchema, 201: oidcProviderSchema },
      async handler({ req, res, db, params, body, principal }) {
        await checkDomains(db, body.allowedEmailDomains, params.clientId);
        if (body.enabled) await checkIssuer(body.issuer);
        const values = {
          slug: body.slug,
          issuer: body.issuer,
          oidcClientId: body.oidcClientId,
          allowedEmailDomains: body.allowedEmailDomains,
          defaultRole: body.defaultRole,
          enabled: body.enabled,
          updatedByUserId: principal!.userId,
          ...seal(body.clientSecret, params.clientId),
        };
        const existing = await findOidcProviderOfClient(db, params.clientId);
        if (existing) {
          await updateOidcProviderOfClient(db, params.clientId, values);
        } else {
          await insertOidcProvider(db, { ...values, clientId: params.clientId });
        }
        res.status(existing ? 200 : 201).json(present((await findOidcProviderOfClient(db, params.clientId))!, baseUrl(req)));
      },
    }),
    route({
      method: 'patch',
      path: '/clients/:clientId/oidc-provider',
      tag: 'sso',
      summary: 'Change part of a client company\'s single sign-on configuration; `{"enabled": false}` disables it',
      access: ADMINS,
      params: clientIdParamSchema,
      body: patchOidcProviderSchema,
      responses: {
        200: 'Updated',
        404: 'No such client, or no provider configured',
        409: 'Slug already used',
        422: 'Issuer discovery failed, or a domain already used',
      },
      response: { 200: oidcProviderSchema },
      async handler({ req, res, db, params, body, principal }) {
        const existing = await findOidcProviderOfClient(db, params.clientId);
        if (!existing) throw notFound(`single sign-on configuration of client ${params.clientId}`);
        if (body.allowedEmailDomains) await checkDomains(db, body.allowedEmailDomains, params.clientId);
        const enabled = body.enabled ?? existing.enabled;
        // Disabling a provider whose issuer is down must work: discovery only when it will be used.
        if (enabled && (body.issuer !== undefined || (body.enabled === true && !existing.enabled)))
          await checkIssuer(body.issuer ?? existing.issuer);
        const { clientSecret, ...rest } = body;
        await updateOidcProviderOfClient(db, params.clientId, {
          ...rest,
          ...seal(clientSecret, params.clientId),
          updatedByUserId: principal!.userId,
        });
        res.json(present((await findOidcProviderOfClient(db, params.clientId))!, baseUrl(req)));
      },
    }),
  ];
}
