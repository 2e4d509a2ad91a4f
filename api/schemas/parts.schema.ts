import { z } from 'zod';

/** GET /parts: a search over the catalogue, one page at a time. */
export const searchPartsQuerySchema = z
  .object({
    q: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
