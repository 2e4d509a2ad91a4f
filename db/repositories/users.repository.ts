import { hashPassword } from '../../platform/crypto/password.js';
import type { UserRole, UserRow } from '../schema/auth.table.js';
import type { Executor } from '../executor.js';

export interface NewUser {
  email: string;
  displayName: string;
  role: UserRole;
  /** Required for client_user / client_admin. */
  clientId?: string | null;
  /** Required for technician. */
  technicianId?: string | null;
  /** Omitted for SSO-only accounts. */
  password?: string;
  locale?: 'fr' | 'en';
}

/** Public view of an account: never the password hash. */
export type User = Omit<UserRow, 'passwordHash'>;

const PUBLIC_COLUMNS = [
  'id',
  'email',
  'displayName',
  'role',
  'clientId',
  'technicianId',
  'locale',
  'active',
  'createdAt',
  'disabledAt',
] as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Creates an account (the password is hashed with scrypt here). */
export async function createUser(db: Executor, user: NewUser): Promise<User> {
  return db
    .insertInto('users')
    .values({
      email: normaliseEmail(user.email),
      displayName: user.displayName,
      role: user.role,
      clientId: user.clientId ?? null,
      technicianId: user.technicianId ?? null,
      passwordHash: user.password === undefined ? null : await hashPassword(user.password),
      locale: user.locale ?? 'fr',
    })
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

/** The account `id` with its password hash, for checking a password; throws when there is none. */
export async function getUserWithPasswordHash(db: Executor, id: string): Promise<UserRow> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Replaces an account's password (hashed with scrypt here). */
export async function setUserPassword(db: Executor, id: string, password: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ passwordHash: await hashPassword(password) })
    .where('id', '=', id)
    .execute();
}

export async function findUser(db: Executor, id: string): Promise<User | undefined> {
  return db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Executor, filter: { clientId?: string; role?: UserRole } = {}): Promise<User[]> {
  return db
    .selectFrom('users')
    .select(PUBLIC_COLUMNS)
    .$if(filter.clientId !== undefined, (q) => q.where('clientId', '=', filter.clientId!))
    .$if(filter.role !== undefined, (q) => q.where('role', '=', filter.role!))
    .orderBy('email')
    .execute();
}

export async function updateUser(
  db: Executor,
  id: string,
  change: { role?: UserRole; clientId?: string | null; technicianId?: string | null; active?: boolean; displayName?: string },
): Promise<User | undefined> {
  return db
    .updateTable('users')
    .set({
      ...(change.role !== undefined ? { role: change.role } : {}),
      ...(change.clientId !== undefined ? { clientId: change.clientId } : {}),
      ...(change.technicianId !== undefined ? { technicianId: change.technicianId } : {}),
      ...(change.displayName !== undefined ? { displayName: change.displayName } : {}),
      ...(change.active !== undefined ? { active: change.active, disabledAt: change.active ? null : new Date() } : {}),
    })
    .where('id', '=', id)
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirst();
}
