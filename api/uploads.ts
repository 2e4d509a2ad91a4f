/**
 * Upload check for files sent by users (site photos, diagnostic bundles): the type is decided
 * by the file's leading bytes, never by its name or the declared content type, and the size is
 * bounded. Exported for the lifecycle's photo upload.
 */
import { HttpError } from './errors.js';

export const UPLOAD_TYPES = {
  'image/jpeg': (b: Buffer) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'image/heic': (b: Buffer) =>
    b.subarray(4, 8).toString('latin1') === 'ftyp' && /^(heic|heix|mif1|msf1)$/.test(b.subarray(8, 12).toString('latin1')),
  'application/pdf': (b: Buffer) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'application/zip': (b: Buffer) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
  'application/gzip': (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b,
} as const;

export type UploadType = keyof typeof UPLOAD_TYPES;

export const PHOTO_TYPES: readonly UploadType[] = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'];

/** The detected type among those given, or null. */
export function sniffType(content: Buffer, allowed: readonly UploadType[] = Object.keys(UPLOAD_TYPES) as UploadType[]): UploadType | null {
  return allowed.find((type) => UPLOAD_TYPES[type](content)) ?? null;
}

/**
 * Checks an upload; returns its real content type or throws 413 (too large), 400 (empty) or
 * 415 (not one of the allowed types, whatever its name or declared type says).
 */
export function checkUpload(
  content: Buffer,
  options: { allowed: readonly UploadType[]; maxBytes: number; field?: string; declaredType?: string },
): UploadType {
  const field = options.field ?? 'file';
  if (content.length === 0) throw new HttpError(400, 'validation_failed', `${field}: empty file`, [{ field, message: 'empty file' }]);
  if (content.length > options.maxBytes) {
    throw new HttpError(413, 'payload_too_large', `${field}: ${content.length} bytes, at most ${options.maxBytes} allowed`, [
      { field, message: `at most ${options.maxBytes} bytes` },
    ]);
  }
  const detected = sniffType(content, options.allowed);
  if (!detected) {
    throw new HttpError(415, 'unsupported_media_type', `${field}: content is not one of ${options.allowed.join(', ')}`, [
      { field, message: `expected ${options.allowed.join(', ')}` },
    ]);
  }
  if (
    options.declaredType &&
    options.declaredType.toLowerCase() !== detected &&
    !(detected === 'image/jpeg' && options.declaredType === 'image/jpg')
  ) {
    throw new HttpError(415, 'unsupported_media_type', `${field}: declared ${options.declaredType} but the content is ${detected}`, [
      { field, message: `content is ${detected}` },
    ]);
  }
  return detected;
}
