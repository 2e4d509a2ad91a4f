/**
 * The asset registry's use cases (issue 13): list, read, create, change an asset, and its
 * history. A company's admin works on their own company's assets, staff on every company's;
 * row-level security enforces it, the path guards answer 404 for another company's asset, and
 * each reference (site, contract) is checked against the asset's own company here.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  assetHistory,
  assetReferencesOf,
  findAsset,
  insertAssets,
  listAssets,
  updateAsset,
  type AssetFilter,
} from '../../db/repositories/assets.repository.js';
import type { AuditSink } from '../audit-trail.js';
import { HttpError, notFound, type FieldError } from '../errors.js';
import type { CreateAssetBody, UpdateAssetBody } from '../schemas/assets.schema.js';

type Db = Kysely<DB>;
type References = Awaited<ReturnType<typeof assetReferencesOf>>;

/** What an asset's fields break against its company's objects: unknown site or contract, a serial number or hostname already registered. */
export function referenceProblems(
  refs: References,
  fields: Partial<Pick<CreateAssetBody, 'locationId' | 'contractId' | 'serialNumber' | 'hostname'>>,
  exceptAssetId?: string,
): { unknown: FieldError[]; taken: FieldError[] } {
  const unknown: FieldError[] = [];
  const taken: FieldError[] = [];
  if (fields.locationId && !refs.sites.some((s) => s.id === fields.locationId)) {
    unknown.push({ field: 'locationId', message: 'no such site for this client' });
  }
  if (fields.contractId && !refs.contracts.some((c) => c.id === fields.contractId)) {
    unknown.push({ field: 'contractId', message: 'no such contract for this client' });
  }
  const others = refs.existing.filter((a) => a.id !== exceptAssetId);
  if (fields.serialNumber && others.some((a) => a.serialNumber === fields.serialNumber)) {
    taken.push({ field: 'serialNumber', message: 'already registered for this client' });
  }
  if (fields.hostname && others.some((a) => a.hostname?.toLowerCase() === fields.hostname!.toLowerCase())) {
    taken.push({ field: 'hostname', message: 'already registered for this client' });
  }
  return { unknown, taken };
}

function refuse({ unknown, taken }: { unknown: FieldError[]; taken: FieldError[] }): void {
  if (taken.length > 0) throw new HttpError(409, 'conflict', taken.map((f) => `${f.field}: ${f.message}`).join('; '), taken);
  if (unknown.length > 0) throw new HttpError(422, 'validation_failed', unknown.map((f) => `${f.field}: ${f.message}`).join('; '), unknown);
}

export async function assetList(db: Db, filter: AssetFilter) {
  const { assets, total } = await listAssets(db, filter);
  return { items: assets, total };
}

export async function assetDetail(db: Db, assetId: string) {
  const asset = await findAsset(db, assetId);
  if (!asset) throw notFound(`asset ${assetId}`);
  return asset;
}

export async function createAsset(db: Db, clientId: string, body: CreateAssetBody, audit: AuditSink) {
  const refs = await assetReferencesOf(db, clientId);
  if (!refs.client) throw notFound(`client ${clientId}`);
  refuse(referenceProblems(refs, body));
  const [id] = await insertAssets(db, [{ ...body, clientId }]);
  const after = (await findAsset(db, id!))!;
  audit({ entityType: 'asset', entityId: id!, before: null, after });
  return after;
}

export async function changeAsset(db: Db, assetId: string, body: UpdateAssetBody, audit: AuditSink) {
  const before = await findAsset(db, assetId);
  if (!before) throw notFound(`asset ${assetId}`);
  const merged = { ...before, ...body };
  if (merged.purchaseDate && merged.warrantyEndsOn && merged.warrantyEndsOn < merged.purchaseDate) {
    const field = { field: 'warrantyEndsOn', message: 'warranty ends before the purchase date' };
    throw new HttpError(400, 'validation_failed', `${field.field}: ${field.message}`, [field]);
  }
  refuse(referenceProblems(await assetReferencesOf(db, before.clientId), body, assetId));
  await updateAsset(db, assetId, body);
  const after = (await findAsset(db, assetId))!;
  audit({ entityType: 'asset', entityId: assetId, before, after });
  return after;
}

/** The asset and everything that happened to it, oldest first. */
export async function assetHistoryOf(db: Db, assetId: string) {
  const asset = await assetDetail(db, assetId);
  return { asset, entries: await assetHistory(db, assetId) };
}
