/** Opaque secrets for sessions and API tokens: random, shown once, stored as SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

/** API tokens carry a recognisable prefix so secret scanners can find leaked ones. */
export const API_TOKEN_PREFIX = 'fsp_';

export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
