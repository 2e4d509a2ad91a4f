/** Answers of the asset registry routes. */
import { z } from 'zod';
import { ASSET_KINDS, ASSET_STATUSES } from '../../db/schema/enums.js';

const timestamp = z.string();

export const assetSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  kind: z.enum(ASSET_KINDS),
  brand: z.string(),
  model: z.string(),
  serialNumber: z.string().nullable(),
  hostname: z.string().nullable(),
  operatingSystem: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  warrantyEndsOn: z.string().nullable(),
  locationId: z.string().nullable(),
  locationName: z.string().nullable(),
  department: z.string().nullable(),
  contractId: z.string().nullable(),
  contractReference: z.string().nullable(),
  status: z.enum(ASSET_STATUSES),
  notes: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const assetListSchema = z.object({ items: z.array(assetSchema), total: z.number().int() });

const fieldError = z.object({ field: z.string(), message: z.string() });

export const assetImportReportSchema = z.object({
  dryRun: z.boolean(),
  imported: z.number().int(),
  refused: z.number().int(),
  /** One entry per data line of the file, in order; `line` is the line number in the file (the header is line 1). */
  lines: z.array(
    z.object({
      line: z.number().int(),
      outcome: z.enum(['imported', 'valid', 'refused']),
      assetId: z.string().nullable(),
      errors: z.array(fieldError),
    }),
  ),
});

const historyBase = { at: timestamp, ticketNumber: z.string() };
export const assetHistorySchema = z.object({
  asset: assetSchema,
  entries: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('request'), ...historyBase, title: z.string(), status: z.string(), priority: z.string() }),
      z.object({
        kind: z.literal('visit'),
        ...historyBase,
        endedAt: timestamp.nullable(),
        mode: z.string(),
        technicianName: z.string().nullable(),
      }),
      z.object({
        kind: z.literal('part'),
        ...historyBase,
        sku: z.string(),
        label: z.string(),
        quantity: z.number().int(),
        serialNumbers: z.array(z.string()),
        underWarranty: z.boolean(),
      }),
      z.object({ kind: z.literal('report'), ...historyBase, summary: z.string(), recommendations: z.array(z.string()) }),
    ]),
  ),
});
