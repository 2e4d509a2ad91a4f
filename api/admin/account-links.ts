/**
 * One-time links by email: the invitation of a new account and the password reset an admin
 * sends. The secret is in the link's fragment (`/set-password#token=…`), so it never reaches a
 * server log or a Referer header; only its SHA-256 is stored. Following it sets the password,
 * uses the link up and ends the account's sessions and tokens.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { consumeAccountLink, findUsableAccountLink, issueAccountLink } from '../../db/repositories/account-links.repository.js';
import { findUser } from '../../db/repositories/users.repository.js';
import type { AuditSink } from '../audit-trail.js';
import { assertPasswordPolicy } from '../auth/password-policy.js';
import { HttpError, notFound } from '../errors.js';

/** How the API sends email (the platform's mailer: SMTP, or the outbox table without SMTP_URL). */
export interface AccountMailer {
  send(message: { idempotencyKey: string; to: string[]; subject: string; text: string }): Promise<unknown>;
}

/** How long a link works: an invitation a week, a reset a day. */
export const LINK_TTL_SECONDS = { invite: 7 * 24 * 3600, reset: 24 * 3600 } as const;

const TEXTS = {
  fr: {
    invite: {
      subject: 'Votre accès à la plateforme d’intervention',
      body: (name: string, link: string) =>
        `Bonjour ${name},\n\nUn compte a été créé pour vous. Choisissez votre mot de passe en suivant ce lien (valable 7 jours, une seule fois) :\n\n${link}\n\nSi vous n’attendiez pas ce message, ignorez-le.`,
    },
    reset: {
      subject: 'Réinitialisation de votre mot de passe',
      body: (name: string, link: string) =>
        `Bonjour ${name},\n\nUn administrateur a demandé la réinitialisation de votre mot de passe. Choisissez-en un nouveau en suivant ce lien (valable 24 heures, une seule fois) :\n\n${link}\n\nVos sessions ouvertes seront fermées.`,
    },
  },
  en: {
    invite: {
      subject: 'Your access to the intervention platform',
      body: (name: string, link: string) =>
        `Hello ${name},\n\nAn account was created for you. Choose your password by following this link (valid 7 days, once):\n\n${link}\n\nIf you did not expect this message, ignore it.`,
    },
    reset: {
      subject: 'Your password reset',
      body: (name: string, link: string) =>
        `Hello ${name},\n\nAn administrator asked for your password to be reset. Choose a new one by following this link (valid 24 hours, once):\n\n${link}\n\nYour open sessions will be closed.`,
    },
  },
} as const;

export async function sendAccountLink(
  db: Kysely<DB>,
  input: { userId: string; purpose: 'invite' | 'reset'; baseUrl: string },
  mailer: AccountMailer | undefined,
  audit: AuditSink,
) {
  if (!mailer) throw new HttpError(503, 'service_unavailable', 'email is not configured on this server');
  const user = await findUser(db, input.userId);
  if (!user) throw notFound(`user ${input.userId}`);
  if (!user.active) {
    throw new HttpError(409, 'conflict', 'userId: the account is disabled', [{ field: 'userId', message: 'the account is disabled' }]);
  }
  const link = await issueAccountLink(db, { userId: user.id, purpose: input.purpose, ttlSeconds: LINK_TTL_SECONDS[input.purpose] });
  const url = `${input.baseUrl}/set-password#token=${encodeURIComponent(link.secret)}`;
  const text = TEXTS[user.locale][input.purpose];
  await mailer.send({
    idempotencyKey: `account-link:${link.id}`,
    to: [user.email],
    subject: text.subject,
    text: text.body(user.displayName, url),
  });
  audit({
    entityType: 'account',
    entityId: user.id,
    before: null,
    after: { link: input.purpose, sentTo: user.email, expiresAt: link.expiresAt },
  });
  return { userId: user.id, purpose: input.purpose, sentTo: user.email, expiresAt: link.expiresAt };
}

/** Sets the password of the link's account (owner connection: the caller is not signed in). */
export async function acceptAccountLink(ownerDb: Kysely<DB>, input: { token: string; password: string }) {
  const invalid = () =>
    new HttpError(400, 'validation_failed', 'token: this link is invalid, expired or already used', [
      { field: 'token', message: 'this link is invalid, expired or already used' },
    ]);
  const link = await findUsableAccountLink(ownerDb, input.token);
  if (!link) throw invalid();
  assertPasswordPolicy('password', input.password, link);
  const done = await consumeAccountLink(ownerDb, input.token, input.password);
  if (!done) throw invalid();
  return { email: done.email, userId: done.userId, purpose: done.purpose };
}
