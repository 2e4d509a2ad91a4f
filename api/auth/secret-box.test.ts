/** Sealed OIDC client secrets: what a database dump holds, and what it takes to open it. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { createSecretBox, decodeSecretKey } from './secret-box.js';

const key = randomBytes(32).toString('base64');

describe('secret box (AES-256-GCM)', () => {
  it('seals a secret so that the stored value does not contain it, and opens it again', () => {
    const box = createSecretBox({ key });
    const sealed = box.seal('s3cret-of-acme', 'oidc_providers:c-1');
    expect(box.encrypts).toBe(true);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('s3cret');
    expect(Buffer.from(sealed.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('s3cret');
    expect(box.open(sealed, 'oidc_providers:c-1')).toBe('s3cret-of-acme');
    // A fresh IV each time: the same secret never seals to the same value.
    expect(box.seal('s3cret-of-acme', 'oidc_providers:c-1')).not.toBe(sealed);
  });

  it('refuses to open with another key, another row context, or a tampered value', () => {
    const sealed = createSecretBox({ key }).seal('s3cret', 'oidc_providers:c-1');
    expect(() => createSecretBox({ key: randomBytes(32).toString('hex') }).open(sealed, 'oidc_providers:c-1')).toThrow();
    expect(() => createSecretBox({ key }).open(sealed, 'oidc_providers:c-2')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => createSecretBox({ key }).open(parts.join('.'), 'oidc_providers:c-1')).toThrow();
    expect(() => createSecretBox().open(sealed, 'oidc_providers:c-1')).toThrow(/OIDC_SECRET_KEY/);
  });

  it('without a key: clear (development), or refused when a key is required (production)', () => {
    const dev = createSecretBox();
    expect(dev.encrypts).toBe(false);
    expect(dev.open(dev.seal('dev-secret', 'x'), 'x')).toBe('dev-secret');
    expect(() => createSecretBox({ requireKey: true }).seal('prod-secret', 'x')).toThrow(HttpError);
  });

  it('accepts 32-byte keys in base64, base64url or hex only', () => {
    const raw = randomBytes(32);
    for (const encoded of [raw.toString('base64'), raw.toString('base64url'), raw.toString('hex')])
      expect(decodeSecretKey(encoded)).toEqual(raw);
    expect(decodeSecretKey(randomBytes(16).toString('base64'))).toBeNull();
    expect(decodeSecretKey('not a key')).toBeNull();
    expect(() => createSecretBox({ key: 'short' })).toThrow(/32 bytes/);
  });
});
