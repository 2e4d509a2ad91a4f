/**
 * The asset registry (issue 13): each company's equipment, its import from CSV, and its history
 * (requests, visits, parts replaced, reports) in time order. Every query runs on the caller's
 * scoped executor: row-level security decides whose assets are seen and who may write.
 */
import { sql, type Insertable, type Updateable } from 'kysely';
import type { AssetKind, AssetStatus } from '../schema/enums.js';
import type { AssetsTable } from '../schema/clients.table.js';
import type { Executor } from '../executor.js';

/**
 * Whether a part (`p`, of a request `sr` joined to its asset `a`) is under warranty: the
 * technician said so, or it was used on or before the asset's warranty end (the day in Paris).
 * Billing prices such a part at 0.
 */
export const partUnderWarranty = sql<boolean>`(p.under_warranty or coalesce(a.warranty_ends_on >= (p.created_at at time zone 'Europe/Paris')::date, false))`;

export interface AssetFilter {
  clientId?: string | undefined;
  kind?: AssetKind | undefined;
  status?: AssetStatus | undefined;
  locationId?: string | undefined;
  /** Brand, model, serial number or hostname containing this text (case- and accent-sensitive as typed). */
  q?: string | undefined;
  /** Warranty ending on or before this day (and not over yet when `warrantyActiveOn` is given). */
  warrantyEndsBy?: string | undefined;
  limit: number;
  offset: number;
}

const ASSET_COLUMNS = [
  'a.id',
  'a.clientId',
  'a.locationId',
  'a.kind',
  'a.brand',
  'a.model',
  'a.serialNumber',
  'a.hostname',
  'a.operatingSystem',
  'a.purchaseDate',
  'a.warrantyEndsOn',
  'a.department',
  'a.contractId',
  'a.status',
  'a.notes',
  'a.createdAt',
  'a.updatedAt',
] as const;

function assetQuery(db: Executor) {
  return db
    .selectFrom('assets as a')
    .innerJoin('clients as c', 'c.id', 'a.clientId')
    .leftJoin('clientLocations as l', 'l.id', 'a.locationId')
    .leftJoin('contracts as k', 'k.id', 'a.contractId')
    .select(ASSET_COLUMNS)
    .select(['c.companyName as clientName', 'l.name as locationName', 'k.reference as contractReference']);
}

export async function listAssets(db: Executor, filter: AssetFilter) {
  let query = assetQuery(db);
  if (filter.clientId) query = query.where('a.clientId', '=', filter.clientId);
  if (filter.kind) query = query.where('a.kind', '=', filter.kind);
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.locationId) query = query.where('a.locationId', '=', filter.locationId);
  if (filter.warrantyEndsBy) query = query.where('a.warrantyEndsOn', '<=', filter.warrantyEndsBy);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('a.brand', 'ilike', like),
        eb('a.model', 'ilike', like),
        eb('a.serialNumber', 'ilike', like),
        eb('a.hostname', 'ilike', like),
      ]),
    );
  }
  const [rows, total] = await Promise.all([
    query
      .orderBy('c.companyName')
      .orderBy('a.brand')
      .orderBy('a.model')
      .orderBy('a.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { assets: rows, total: Number(total.n) };
}

export async function findAsset(db: Executor, id: string) {
  return assetQuery(db).where('a.id', '=', id).executeTakeFirst();
}

export type AssetValues = Omit<Insertable<AssetsTable>, 'id' | 'createdAt' | 'updatedAt'>;

export async function insertAssets(db: Executor, values: AssetValues[]): Promise<string[]> {
  if (values.length === 0) return [];
  const rows = await db.insertInto('assets').values(values).returning('id').execute();
  return rows.map((r) => r.id);
}

export async function updateAsset(db: Executor, id: string, values: Omit<Updateable<AssetsTable>, 'id' | 'clientId'>): Promise<boolean> {
  const result = await db
    .updateTable('assets')
    .set({ ...values, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The company's sites, contracts, serial numbers and hostnames: what an asset's fields are checked against. */
export async function assetReferencesOf(db: Executor, clientId: string) {
  const [client, sites, contracts, existing] = await Promise.all([
    db.selectFrom('clients').select('id').where('id', '=', clientId).executeTakeFirst(),
    db.selectFrom('clientLocations').select(['id', 'name']).where('clientId', '=', clientId).execute(),
    db.selectFrom('contracts').select(['id', 'reference']).where('clientId', '=', clientId).execute(),
    db.selectFrom('assets').select(['id', 'serialNumber', 'hostname']).where('clientId', '=', clientId).execute(),
  ]);
  return { client, sites, contracts, existing };
}

/** The asset of a company whose hostname is `hostname` (case-insensitive). */
export async function findAssetByHostname(db: Executor, clientId: string, hostname: string) {
  return db
    .selectFrom('assets')
    .select(['id', 'locationId', 'kind'])
    .where('clientId', '=', clientId)
    .where(sql<string>`lower(hostname)`, '=', hostname.toLowerCase())
    .executeTakeFirst();
}

export type AssetHistoryEntry =
  | { kind: 'request'; at: Date; ticketNumber: string; title: string; status: string; priority: string }
  | { kind: 'visit'; at: Date; ticketNumber: string; endedAt: Date | null; mode: string; technicianName: string | null }
  | {
      kind: 'part';
      at: Date;
      ticketNumber: string;
      sku: string;
      label: string;
      quantity: number;
      serialNumbers: string[];
      underWarranty: boolean;
    }
  | { kind: 'report'; at: Date; ticketNumber: string; summary: string; recommendations: string[] };

/** Everything that happened to an asset, oldest first (ties: request, visit, part, report). */
export async function assetHistory(db: Executor, assetId: string): Promise<AssetHistoryEntry[]> {
  const requests = await db
    .selectFrom('serviceRequests')
    .select(['id', 'ticketNumber', 'title', 'status', 'priority', 'createdAt'])
    .where('assetId', '=', assetId)
    .execute();
  if (requests.length === 0) return [];
  const ids = requests.map((r) => r.id);
  const ticketOf = new Map(requests.map((r) => [r.id, r.ticketNumber]));
  const [visits, parts, reports] = await Promise.all([
    db
      .selectFrom('siteVisits as v')
      .leftJoin('technicians as t', 't.id', 'v.technicianId')
      .select(['v.requestId', 'v.checkedInAt', 'v.checkedOutAt', 'v.mode', 't.firstName', 't.lastName'])
      .where('v.requestId', 'in', ids)
      .execute(),
    db
      .selectFrom('partsUsed as p')
      .innerJoin('partsCatalogue as cat', 'cat.sku', 'p.sku')
      .innerJoin('serviceRequests as sr', 'sr.id', 'p.requestId')
      .leftJoin('assets as a', 'a.id', 'sr.assetId')
      .select(['p.requestId', 'p.createdAt', 'p.sku', 'cat.label', 'p.quantity', 'p.serialNumbers'])
      .select(partUnderWarranty.as('underWarranty'))
      .where('p.requestId', 'in', ids)
      .execute(),
    db
      .selectFrom('interventionReports')
      .select(['requestId', 'createdAt', 'summary', 'recommendations'])
      .where('requestId', 'in', ids)
      .execute(),
  ]);
  const entries: AssetHistoryEntry[] = [
    ...requests.map((r) => ({
      kind: 'request' as const,
      at: r.createdAt,
      ticketNumber: r.ticketNumber,
      title: r.title,
      status: r.status,
      priority: r.priority,
    })),
    ...visits.map((v) => ({
      kind: 'visit' as const,
      at: v.checkedInAt,
      ticketNumber: ticketOf.get(v.requestId)!,
      endedAt: v.checkedOutAt,
      mode: v.mode,
      technicianName: v.firstName ? `${v.firstName} ${v.lastName}` : null,
    })),
    ...parts.map((p) => ({
      kind: 'part' as const,
      at: p.createdAt,
      ticketNumber: ticketOf.get(p.requestId)!,
      sku: p.sku,
      label: p.label,
      quantity: p.quantity,
      serialNumbers: p.serialNumbers,
      underWarranty: p.underWarranty,
    })),
    ...reports.map((r) => ({
      kind: 'report' as const,
      at: r.createdAt,
      ticketNumber: ticketOf.get(r.requestId)!,
      summary: r.summary,
      recommendations: r.recommendations,
    })),
  ];
  const order = { request: 0, visit: 1, part: 2, report: 3 };
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime() || order[a.kind] - order[b.kind]);
}
