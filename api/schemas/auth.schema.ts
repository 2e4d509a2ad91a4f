import { z } from 'zod';
import { ROLES } from '../routing.js';

const email = z
  .email()
  .max(254)
  .transform((e) => e.trim().toLowerCase());

export const loginSchema = z.strictObject({
  email,
  password: z.string().min(1).max(1024),
});

export const createTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(730).optional(),
});

export const tokenIdParamSchema = z.object({ tokenId: z.uuid() });
export const userIdParamSchema = z.object({ userId: z.uuid() });

export const createUserSchema = z.strictObject({
  email,
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  clientId: z.uuid().nullish(),
  technicianId: z.uuid().nullish(),
  /** Omitted for SSO accounts. The policy (length in code points, common passwords…) is api/auth/password-policy.ts. */
  password: z.string().min(1).max(2048).optional(),
  locale: z.enum(['fr', 'en']).optional(),
  /** Emails a one-time link to choose a password (valid 7 days), in the same transaction as the account. */
  sendInvitation: z.boolean().optional(),
});

export const updateUserSchema = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    clientId: z.uuid().nullish(),
    technicianId: z.uuid().nullish(),
    displayName: z.string().trim().min(1).max(200).optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

export const listUsersQuerySchema = z.object({
  clientId: z.uuid().optional(),
  role: z.enum(ROLES).optional(),
});

export const auditQuerySchema = z.object({
  actorUserId: z.uuid().optional(),
  /** Part of the actor's email or name (the person). */
  actor: z.string().trim().min(1).max(200).optional(),
  action: z.string().max(200).optional(),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(200).optional(),
  personalData: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  from: z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .optional(),
  to: z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .optional(),
  beforeId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const gdprExportQuerySchema = z.object({ email });

export const consentSchema = z.strictObject({
  purpose: z.literal('diagnostic_data'),
  granted: z.boolean(),
  subjectEmail: email,
});

/** The domain of the address typed on the sign-in page (`exemple.fr`), to ask whether it has single sign-on. */
export const ssoDiscoveryQuerySchema = z.strictObject({
  domain: z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i, 'a domain name such as exemple.fr'),
});

export const oidcStartParamSchema = z.object({ provider: z.string().regex(/^[a-z0-9-]{2,40}$/) });
export const oidcCallbackQuerySchema = z.object({
  state: z.string().min(10).max(200),
  code: z.string().min(1).max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  iss: z.string().max(500).optional(),
});

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  /** The policy (length in code points, common passwords…) is api/auth/password-policy.ts. */
  newPassword: z.string().min(1).max(2048),
});

export const clientIdParamSchema = z.object({ clientId: z.uuid() });

/** A DNS domain, lower-cased: `acme.fr`, `groupe-acme.co.uk`. */
const emailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a domain name such as acme.fr');

const oidcProviderFields = {
  /** The login URL is /api/auth/oidc/<slug>/start. */
  slug: z.string().regex(/^[a-z0-9-]{2,40}$/, 'expected 2-40 lower-case letters, digits or dashes'),
  /** The issuer identifier; discovery reads <issuer>/.well-known/openid-configuration. */
  issuer: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).max(500),
  oidcClientId: z.string().trim().min(1).max(200),
  /** Write-only: sealed before storage, never returned. null removes it (public client + PKCE). */
  clientSecret: z.string().min(1).max(2000).nullable(),
  allowedEmailDomains: z
    .array(emailDomain)
    .min(1)
    .max(20)
    .transform((domains) => [...new Set(domains)]),
  defaultRole: z.enum(['client_user', 'client_admin']),
  enabled: z.boolean(),
};

/** PUT: the whole configuration (an omitted secret keeps the stored one). */
export const putOidcProviderSchema = z.strictObject({
  ...oidcProviderFields,
  clientSecret: oidcProviderFields.clientSecret.optional(),
  defaultRole: oidcProviderFields.defaultRole.default('client_user'),
  enabled: oidcProviderFields.enabled.default(true),
});

/** PATCH: some fields (`{ "enabled": false }` disables single sign-on for the company). */
export const patchOidcProviderSchema = z
  .strictObject({
    slug: oidcProviderFields.slug.optional(),
    issuer: oidcProviderFields.issuer.optional(),
    oidcClientId: oidcProviderFields.oidcClientId.optional(),
    clientSecret: oidcProviderFields.clientSecret.optional(),
    allowedEmailDomains: oidcProviderFields.allowedEmailDomains.optional(),
    defaultRole: oidcProviderFields.defaultRole.optional(),
    enabled: oidcProviderFields.enabled.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });
