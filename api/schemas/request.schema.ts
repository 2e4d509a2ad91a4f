import { z } from 'zod';
import { CONTACT_MODES, LEVELS, SERVICE_TYPES } from '../../workflows/intervention/intervention.contract.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.iso.date();

/** An appointment window: two instants with their offset, `to` after `from`, at most 12 hours apart (one working day). */
export const appointmentWindowSchema = z
  .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .strict()
  .refine((w) => Date.parse(w.to) > Date.parse(w.from), { message: 'expected `to` after `from`', path: ['to'] })
  .refine((w) => Date.parse(w.to) - Date.parse(w.from) <= 12 * 3600_000, {
    message: 'expected a window of at most 12 hours',
    path: ['to'],
  });

export const MAX_PHOTOS = 5;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

const photoSchema = z
  .object({
    filename: text(200),
    contentType: z.enum(PHOTO_TYPES),
    dataBase64: z
      .string()
      .min(1)
      .max(Math.ceil(MAX_PHOTO_BYTES / 3) * 4 + 4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  })
  .strict()
  .refine((p) => Buffer.byteLength(p.dataBase64, 'base64') <= MAX_PHOTO_BYTES, { path: ['dataBase64'], message: 'photo larger than 5 MB' });

/** The diagnostic bundle the client may attach; sensitive data needs an explicit consent. */
export const diagnosticsSchema = z
  .object({
    systemInfo: z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean()])).default({}),
    errorLog: z.string().max(200_000).optional(),
    level: z.enum(['essential', 'complete']).default('essential'),
    includeSensitive: z.boolean().default(false),
    sensitiveDataConsent: z.boolean().optional(),
  })
  .strict()
  .refine((d) => !d.includeSensitive || d.sensitiveDataConsent === true, {
    path: ['sensitiveDataConsent'],
    message: 'must be true to include sensitive data',
  });

/** The intake form of seed 001: service type, device, location, contact, problem. */
export const createRequestSchema = z
  .object({
    clientId: z.uuid(),
    locationId: z.uuid(),
    contractId: z.uuid().optional(),
    assetId: z.uuid().optional(),
    requesterContactId: z.uuid().optional(),
    serviceType: z.enum(SERVICE_TYPES),
    title: text(200),
    device: z
      .object({
        brand: text(100),
        model: text(100),
        operatingSystem: text(100).optional(),
        purchaseDate: isoDate.optional(),
        serialNumber: text(100).optional(),
      })
      .strict()
      .optional(),
    location: z
      .object({
        department: text(120).optional(),
        onSiteContactName: text(120).optional(),
        onSiteContactPhone: text(40).optional(),
      })
      .strict()
      .optional(),
    contact: z
      .object({
        name: text(120),
        email: z.email(),
        phone: text(40).optional(),
        preferredContactMode: z.enum(CONTACT_MODES).default('email'),
      })
      .strict(),
    /** Photos of the device or the error, base64 in JSON. */
    photos: z.array(photoSchema).max(MAX_PHOTOS, `at most ${MAX_PHOTOS} photos`).optional(),
    diagnostics: diagnosticsSchema.optional(),
    /** The appointment window the client asked for or accepted: the visit is planned inside it, on its day. */
    appointmentWindow: appointmentWindowSchema.optional(),
    problem: z
      .object({
        nature: text(5000),
        businessImpact: text(2000),
        impactLevel: z.enum(LEVELS),
        urgency: z.enum(LEVELS),
        attemptedSolutions: text(5000).optional(),
      })
      .strict(),
  })
  .strict();

export type CreateRequestBody = z.infer<typeof createRequestSchema>;

export const listRequestsQuerySchema = z
  .object({
    clientId: z.uuid().optional(),
    status: z.string().optional(),
    priority: z.enum(['P1', 'P2', 'P3', 'P4']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const cancelSchema = z.object({ reason: text(1000) }).strict();

export const ticketParamSchema = z.object({
  ticket: z.string().regex(/^INT-\d{4}-\d{6,}$/, 'expected a ticket number like INT-2026-000123'),
});
export const attachmentParamSchema = ticketParamSchema.extend({ attachmentId: z.uuid() });
