/** The parts catalogue: reference (SKU), label, unit price, VAT rate, active or not. */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/index.js';
import { findCatalogueEntry, insertCatalogueEntry, updateCatalogueEntry } from '../../db/repositories/parts.repository.js';
import type { AuditSink } from '../audit-trail.js';
import { notFound } from '../errors.js';
import type { createPartSchema, updatePartSchema } from '../schemas/admin.schema.js';

export async function createPart(db: Kysely<DB>, body: z.output<typeof createPartSchema>, audit: AuditSink) {
  const created = await insertCatalogueEntry(db, body);
  audit({ entityType: 'part', entityId: created.sku, before: null, after: created });
  return created;
}

/** A part used on past interventions keeps its invoiced price: invoices hold their own lines. */
export async function changePart(db: Kysely<DB>, sku: string, body: z.output<typeof updatePartSchema>, audit: AuditSink) {
  const before = await findCatalogueEntry(db, sku);
  if (!before) throw notFound(`part ${sku}`);
  const after = (await updateCatalogueEntry(db, sku, body))!;
  audit({ entityType: 'part', entityId: sku, before, after });
  return after;
}
