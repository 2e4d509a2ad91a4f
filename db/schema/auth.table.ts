import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, T | string | undefined, T | string>;

export type UserRole = 'client_user' | 'client_admin' | 'support_agent' | 'dispatcher' | 'technician' | 'finance' | 'admin';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  displayName: string;
  role: UserRole;
  clientId: string | null;
  technicianId: string | null;
  /** `scrypt$N$r$p$salt$hash`, null for SSO-only accounts. */
  passwordHash: string | null;
  locale: ColumnType<'fr' | 'en', 'fr' | 'en' | undefined, 'fr' | 'en'>;
  active: Generated<boolean>;
  createdAt: CreatedAt;
  disabledAt: NullableTimestamp;
}

/** Sessions (cookie `sid`) and API tokens (bearer) share one shape. */
export interface CredentialTable {
  id: Generated<string>;
  userId: string;
  tokenHash: string;
  name: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: CreatedAt;
  expiresAt: NullableTimestamp;
  lastUsedAt: NullableTimestamp;
  revokedAt: NullableTimestamp;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  lastFailureAt: ColumnType<Date, Date | string | undefined, Date | string>;
  lockedUntil: NullableTimestamp;
}

export interface OidcProvidersTable {
  id: Generated<string>;
  clientId: string;
  slug: string;
  issuer: string;
  oidcClientId: string;
  /** Legacy: the NAME of an environment variable holding the secret (owner connection only). */
  clientSecretEnv: ColumnType<string | null, string | null | undefined, string | null>;
  /** The secret sealed by api/auth/secret-box.ts; requests may write it, never read it. */
  clientSecretSealed: ColumnType<string | null, string | null | undefined, string | null>;
  hasClientSecret: ColumnType<boolean, never, never>;
  allowedEmailDomains: string[];
  defaultRole: ColumnType<'client_user' | 'client_admin', 'client_user' | 'client_admin' | undefined>;
  enabled: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  updatedByUserId: string | null;
}

export interface OidcLoginsTable {
  state: string;
  providerId: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  createdAt: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  personalData: ColumnType<boolean, boolean | undefined, never>;
  ip: string | null;
  userAgent: string | null;
  details: Json<Record<string, unknown>>;
  /** The changed object as it was (null for a creation) and as it became (null for a deletion): migration 0200. */
  before: ColumnType<unknown, unknown, never>;
  after: ColumnType<unknown, unknown, never>;
}

/** One-time links by email: an invitation or a password reset (migration 0200). */
export interface AccountLinksTable {
  id: Generated<string>;
  userId: string;
  purpose: 'invite' | 'reset';
  tokenHash: string;
  createdByUserId: ColumnType<string | null, string | null | undefined, never>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  expiresAt: ColumnType<Date, Date | string, Date | string>;
  usedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ConsentsTable {
  id: Generated<string>;
  requestId: string;
  subjectEmail: string;
  purpose: 'diagnostic_data';
  granted: boolean;
  recordedByUserId: string | null;
  ip: string | null;
  recordedAt: CreatedAt;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
