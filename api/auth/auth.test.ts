/** Pure pieces of access control: password hashing, OIDC claims mapping, upload checks. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HttpError } from '../errors.js';
import { checkUpload, PHOTO_TYPES, sniffType } from '../uploads.js';
import { identityFromClaims } from './oidc.js';
import { hashPassword, verifyPassword } from '../../platform/crypto/password.js';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('stores the parameters and a per-user salt: the same password hashes differently and still verifies', async () => {
    const a = await hashPassword('correct horse battery staple', FAST);
    const b = await hashPassword('correct horse battery staple', FAST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', a)).toBe(false);
  });

  it('uses 2^15 × 8 (32 MiB) by default', async () => {
    expect(await hashPassword('x')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('never matches a malformed stored hash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (stored) => {
        expect(await verifyPassword('password', stored)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('OIDC claims → account', () => {
  const provider = { allowedEmailDomains: ['acme.fr', 'acme-group.com'], defaultRole: 'client_user' as const, clientId: 'c-1' };

  it('maps a verified email of the allowed domain to a client account with the default role', () => {
    expect(
      identityFromClaims(
        { sub: '1', email: 'Claire.Martin@ACME.fr', email_verified: true, given_name: 'Claire', family_name: 'Martin' },
        provider,
      ),
    ).toEqual({
      email: 'claire.martin@acme.fr',
      displayName: 'Claire Martin',
      role: 'client_user',
      clientId: 'c-1',
    });
  });

  it('accepts every allowed domain of the company', () => {
    expect(identityFromClaims({ sub: '2', email: 'paul@acme-group.com' }, provider).email).toBe('paul@acme-group.com');
  });

  it.each([
    ['no email', { sub: '1' }, 401],
    ['an unverified email', { sub: '1', email: 'a@acme.fr', email_verified: false }, 401],
    ['another domain', { sub: '1', email: 'a@evil.fr' }, 403],
    ['a look-alike subdomain', { sub: '1', email: 'a@acme.fr.evil.com' }, 403],
    ['a domain that merely ends the same', { sub: '1', email: 'a@notacme.fr' }, 403],
  ])('refuses %s', (_what, claims, status) => {
    try {
      identityFromClaims(claims, provider);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HttpError);
      expect((err as HttpError).status).toBe(status);
    }
  });
});

describe('upload check', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const pdf = Buffer.from('%PDF-1.7\n');

  it('detects the type from the leading bytes', () => {
    expect(sniffType(jpeg)).toBe('image/jpeg');
    expect(sniffType(png)).toBe('image/png');
    expect(sniffType(pdf)).toBe('application/pdf');
    expect(checkUpload(png, { allowed: PHOTO_TYPES, maxBytes: 100 })).toBe('image/png');
  });

  it('refuses a PDF or script sent as a photo (415), whatever its declared type', () => {
    expect(() => checkUpload(pdf, { allowed: PHOTO_TYPES, maxBytes: 100 })).toThrow(expect.objectContaining({ status: 415 }));
    expect(() =>
      checkUpload(Buffer.from('<script>alert(1)</script>'), { allowed: PHOTO_TYPES, maxBytes: 100, declaredType: 'image/jpeg' }),
    ).toThrow(expect.objectContaining({ status: 415 }));
    expect(() => checkUpload(png, { allowed: PHOTO_TYPES, maxBytes: 100, declaredType: 'image/jpeg' })).toThrow(
      expect.objectContaining({ status: 415 }),
    );
  });

  it('refuses an empty file (400) and one over the limit (413)', () => {
    expect(() => checkUpload(Buffer.alloc(0), { allowed: PHOTO_TYPES, maxBytes: 100 })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => checkUpload(Buffer.concat([jpeg, Buffer.alloc(100)]), { allowed: PHOTO_TYPES, maxBytes: 100 })).toThrow(
      expect.objectContaining({ status: 413 }),
    );
  });

  it('never accepts random bytes as a photo unless they start like one', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const content = Buffer.from(bytes);
        const detected = sniffType(content, PHOTO_TYPES);
        if (detected === 'image/jpeg') expect([...content.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
        else if (detected === 'image/png') expect(content[0]).toBe(0x89);
        else if (detected) expect(['image/webp', 'image/heic']).toContain(detected);
      }),
    );
  });
});
