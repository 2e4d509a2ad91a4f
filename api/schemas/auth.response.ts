/** What the account, sign-in, token, single sign-on, audit and GDPR routes answer. */
import { z } from 'zod';
import { instant, itemsOf, jsonObject, role } from './common.response.js';

/** The signed-in account: who the caller is, and what the pages adapt to. */
export const sessionUserSchema = z
  .object({
    userId: z.string(),
    role,
    clientId: z.string().nullable(),
    technicianId: z.string().nullable(),
    displayName: z.string().optional(),
    email: z.string().optional(),
    locale: z.enum(['fr', 'en']).optional(),
  })
  .meta({ id: 'SessionUser' });

/** Whether a domain signs in through single sign-on, and where that starts; nothing else of the provider. */
export const ssoDiscoverySchema = z.object({ sso: z.boolean(), startUrl: z.string().optional() });

export const loginResponseSchema = z.object({ user: sessionUserSchema, expiresAt: instant.nullable() });
export const meResponseSchema = z.object({ user: sessionUserSchema });

export const createdTokenSchema = z.object({ id: z.string(), name: z.string(), token: z.string(), expiresAt: instant.nullable() });
export const tokenListSchema = itemsOf(
  z.object({
    id: z.string(),
    name: z.string().nullable(),
    createdAt: instant,
    expiresAt: instant.nullable(),
    lastUsedAt: instant.nullable(),
    revokedAt: instant.nullable(),
  }),
);

/** An account (never its password hash). */
export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role,
    clientId: z.string().nullable(),
    technicianId: z.string().nullable(),
    locale: z.enum(['fr', 'en']),
    active: z.boolean(),
    createdAt: instant,
    disabledAt: instant.nullable(),
  })
  .meta({ id: 'User' });
export const userListSchema = itemsOf(userSchema);

/** A client company's single sign-on configuration (never its client secret). */
export const oidcProviderSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    slug: z.string(),
    issuer: z.string(),
    oidcClientId: z.string(),
    allowedEmailDomains: z.array(z.string()),
    defaultRole: z.enum(['client_user', 'client_admin']),
    enabled: z.boolean(),
    hasClientSecret: z.boolean(),
    createdAt: instant,
    updatedAt: instant,
    updatedByUserId: z.string().nullable(),
    loginUrl: z.string(),
    redirectUri: z.string(),
  })
  .meta({ id: 'OidcProvider' });

export const auditPageSchema = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      at: instant,
      actorUserId: z.string().nullable(),
      /** The actor's account as it is now (null: anonymous, or the account was erased). */
      actorEmail: z.string().nullable(),
      actorName: z.string().nullable(),
      actorRole: z.string().nullable(),
      action: z.string(),
      entityType: z.string(),
      entityId: z.string().nullable(),
      personalData: z.boolean(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      details: jsonObject,
      /** The object before and after a master-data change (null for a creation / a deletion, or not recorded). */
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
  /** Pass as `beforeId` for the next page; null on the last one. */
  nextBeforeId: z.number().nullable(),
});

const rows = z.array(jsonObject);

/** Everything held about a person (right of access): the rows of each kind, as stored. */
export const gdprExportSchema = z.object({
  subject: z.string(),
  generatedAt: instant,
  accounts: rows,
  sessions: rows,
  apiTokens: rows,
  clientContacts: rows,
  technician: rows,
  serviceRequests: rows,
  consents: rows,
  consentsRecordedByThem: rows,
  attachments: z.array(z.object({ providedBy: z.enum(['account', 'requester']), href: z.string() }).catchall(z.unknown())),
  stagedIntakeFiles: z.array(z.object({ retention: z.string() }).catchall(z.unknown())),
  invoices: z.array(z.object({ retention: z.string() }).catchall(z.unknown())),
  messages: rows,
  actions: rows,
  auditAboutSubject: rows,
});
