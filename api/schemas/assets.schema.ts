/**
 * Bodies and queries of the asset registry (issue 13). The same field rules check a form's body
 * and each line of a CSV import, so a line is refused for exactly what a form would be.
 */
import { z } from 'zod';
import { ASSET_KINDS, ASSET_STATUSES } from '../../db/schema/enums.js';

const text = (max: number) => z.string().trim().min(1).max(max);
/** Optional free text: absent keeps, null or blank clears. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v === '' ? null : v));
const isoDate = z.iso.date();
/** A host name as monitoring names it: letters, digits, dots, hyphens, underscores. */
const hostname = z
  .string()
  .trim()
  .max(253)
  .regex(/^$|^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, 'expected a host name (letters, digits, dots, hyphens)')
  .nullish()
  .transform((v) => (v ? v.toLowerCase() : v === '' ? null : v));

const assetFields = {
  kind: z.enum(ASSET_KINDS),
  brand: text(100),
  model: text(100),
  serialNumber: optionalText(100),
  hostname,
  operatingSystem: optionalText(100),
  purchaseDate: isoDate.nullish(),
  warrantyEndsOn: isoDate.nullish(),
  locationId: z.uuid().nullish(),
  department: optionalText(120),
  contractId: z.uuid().nullish(),
  status: z.enum(ASSET_STATUSES),
  notes: optionalText(2000),
};

const datesInOrder = (a: { purchaseDate?: string | null | undefined; warrantyEndsOn?: string | null | undefined }) =>
  !a.purchaseDate || !a.warrantyEndsOn || a.warrantyEndsOn >= a.purchaseDate;
const DATES_ORDER = { path: ['warrantyEndsOn'], message: 'warranty ends before the purchase date' };

export const createAssetSchema = z
  .object({ ...assetFields, status: assetFields.status.default('in_service') })
  .strict()
  .refine(datesInOrder, DATES_ORDER);
export type CreateAssetBody = z.output<typeof createAssetSchema>;

export const updateAssetSchema = z
  .object(
    Object.fromEntries(Object.entries(assetFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof assetFields]: z.ZodOptional<(typeof assetFields)[K]>;
    },
  )
  .strict()
  .refine(datesInOrder, DATES_ORDER);
export type UpdateAssetBody = z.output<typeof updateAssetSchema>;

export const assetIdParamSchema = z.object({ assetId: z.uuid() });

export const assetListQuerySchema = z
  .object({
    clientId: z.uuid().optional(),
    kind: z.enum(ASSET_KINDS).optional(),
    status: z.enum(ASSET_STATUSES).optional(),
    locationId: z.uuid().optional(),
    q: z.string().trim().max(100).optional(),
    warrantyEndsBy: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();

/** Largest CSV accepted (about 10,000 lines of a typical register). */
export const MAX_CSV_CHARS = 2_000_000;

export const assetImportSchema = z
  .object({
    csv: z.string().min(1).max(MAX_CSV_CHARS),
    /** Check every line and report, import nothing. */
    dryRun: z.boolean().default(false),
  })
  .strict();
