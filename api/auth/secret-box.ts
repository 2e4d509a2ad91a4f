/**
 * Secrets the platform must use again later (OIDC client secrets), sealed before they reach the
 * database so that a dump alone does not reveal them: AES-256-GCM (node:crypto, authenticated)
 * with a 32-byte key from OIDC_SECRET_KEY, a random 12-byte IV per secret, and the owning row's
 * identity as additional data, so a sealed value copied onto another company's row does not open.
 *
 * Without a key (development, tests), secrets are stored as `plain.…` and a production process
 * refuses to store one at all (see requireKey).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { HttpError } from '../errors.js';

const VERSION = 'v1';
const PLAIN = 'plain';

export interface SecretBox {
  /** True when secrets are encrypted (a key is configured). */
  readonly encrypts: boolean;
  seal(secret: string, context: string): string;
  open(sealed: string, context: string): string;
}

/** Decodes OIDC_SECRET_KEY: 32 bytes, base64 or hex. Null when the value is not such a key. */
export function decodeSecretKey(value: string): Buffer | null {
  const hex = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : null;
  const key =
    hex ??
    (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)
      ? Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64')
      : null);
  return key && key.length === 32 ? key : null;
}

export function createSecretBox(options: { key?: string | undefined; requireKey?: boolean } = {}): SecretBox {
  const key = options.key ? decodeSecretKey(options.key) : null;
  if (options.key && !key) throw new Error('OIDC_SECRET_KEY must be 32 bytes, base64 or hex encoded');
  return {
    encrypts: key !== null,
    seal(secret, context) {
      if (!key) {
        if (options.requireKey) {
          throw new HttpError(
            503,
            'service_unavailable',
            'OIDC_SECRET_KEY is not configured: client secrets are never stored in clear in production',
          );
        }
        return `${PLAIN}.${Buffer.from(secret, 'utf8').toString('base64url')}`;
      }
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [version, ...parts] = sealed.split('.');
      if (version === PLAIN && parts.length === 1) return Buffer.from(parts[0]!, 'base64url').toString('utf8');
      if (version !== VERSION || parts.length !== 3) throw new Error('unknown sealed secret format');
      if (!key) throw new Error('this secret is encrypted but OIDC_SECRET_KEY is not configured');
      const [iv, tag, body] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
  };
}
