/**
 * The parts catalogue, as technicians pick from it. Reference data of the platform, not of a
 * tenant: the table has no row-level security (docs/access-control.md).
 */
import type { Executor } from '../executor.js';

export interface PartSearch {
  /** Words that must all appear in the reference or the label, in any case. */
  text?: string;
  limit: number;
  offset: number;
}

/** `%`, `_` and `\` typed by a user are letters, not patterns. */
const literal = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Active parts matching every word of the search, by label then reference, one page and the total. */
export async function searchParts(db: Executor, search: PartSearch) {
  const words = (search.text ?? '').trim().split(/\s+/).filter(Boolean);
  const filtered = db
    .selectFrom('partsCatalogue')
    .where('active', '=', true)
    .where((eb) => eb.and(words.map((w) => eb.or([eb('sku', 'ilike', `%${literal(w)}%`), eb('label', 'ilike', `%${literal(w)}%`)]))));
  // One after the other: inside a request's transaction both share one connection.
  const items = await filtered.select(['sku', 'label']).orderBy('label').orderBy('sku').limit(search.limit).offset(search.offset).execute();
  const count = await filtered.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  return { items, total: Number(count.total) };
}

/** One catalogue entry by SKU (active or not), or undefined. */
export async function findPart(db: Executor, sku: string) {
  return db.selectFrom('partsCatalogue').select(['sku', 'label', 'active']).where('sku', '=', sku).executeTakeFirst();
}

export interface CatalogueEntry {
  sku: string;
  label: string;
  unitPriceCents: number;
  vatRateBasisPoints: number;
  active: boolean;
}

const CATALOGUE_COLUMNS = ['sku', 'label', 'unitPriceCents', 'vatRateBasisPoints', 'active'] as const;

/** The whole catalogue (active or not), by reference: the administration's list. */
export async function listCatalogue(db: Executor) {
  return db.selectFrom('partsCatalogue').select(CATALOGUE_COLUMNS).orderBy('sku').execute();
}

export async function findCatalogueEntry(db: Executor, sku: string) {
  return db.selectFrom('partsCatalogue').select(CATALOGUE_COLUMNS).where('sku', '=', sku).executeTakeFirst();
}

export async function insertCatalogueEntry(db: Executor, entry: CatalogueEntry) {
  return db.insertInto('partsCatalogue').values(entry).returning(CATALOGUE_COLUMNS).executeTakeFirstOrThrow();
}

export async function updateCatalogueEntry(db: Executor, sku: string, change: Partial<Omit<CatalogueEntry, 'sku'>>) {
  return db.updateTable('partsCatalogue').set(change).where('sku', '=', sku).returning(CATALOGUE_COLUMNS).executeTakeFirst();
}
