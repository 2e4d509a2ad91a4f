/**
 * The asset registry (issue 13): a company's admin manages their own company's assets, staff
 * every company's, a company's users read theirs; CSV import with a per-line report; each
 * asset's history. Row-level security (migration 0330) and the `assetId`/`clientId` path guards
 * keep every company to its own register.
 */
import { recordChange } from '../audit-trail.js';
import { importAssets } from '../assets/import-csv.js';
import { assetDetail, assetHistoryOf, assetList, changeAsset, createAsset } from '../assets/registry.js';
import { route, type RouteSpec } from '../routing.js';
import { clientIdParamSchema } from '../schemas/auth.schema.js';
import {
  assetIdParamSchema,
  assetImportSchema,
  assetListQuerySchema,
  createAssetSchema,
  updateAssetSchema,
} from '../schemas/assets.schema.js';
import { assetHistorySchema, assetImportReportSchema, assetListSchema, assetSchema } from '../schemas/assets.response.js';

const STAFF = ['support_agent', 'dispatcher', 'admin'] as const;
/** Who creates, changes and imports: staff, and a company's admin for their own company. */
const MANAGERS = ['client_admin', ...STAFF] as const;
/** Who reads: the company's users too. */
const READERS = ['client_user', ...MANAGERS] as const;

const INVALID = {
  400: 'Invalid field (named in `fields`)',
  409: 'Serial number or hostname already registered for the company (named)',
  422: 'A site or contract of another company, or none',
};

export function assetRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/assets',
      tag: 'assets',
      summary: 'Assets the caller may see (a client: their company’s), filtered by company, type, status, site, text, warranty end',
      access: READERS,
      query: assetListQuerySchema,
      response: { 200: assetListSchema },
      async handler({ res, db, query }) {
        res.json(await assetList(db, query));
      },
    }),
    route({
      method: 'post',
      path: '/clients/:clientId/assets',
      tag: 'assets',
      summary: 'Register an asset of a company',
      access: MANAGERS,
      params: clientIdParamSchema,
      body: createAssetSchema,
      responses: { 201: 'Created', ...INVALID },
      response: { 201: assetSchema },
      async handler({ res, db, params, body }) {
        res.status(201).json(await createAsset(db, params.clientId, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'post',
      path: '/clients/:clientId/assets/import',
      tag: 'assets',
      summary:
        'Import assets from a CSV file: every line checked first, valid lines imported, each refused line reported with its reasons (dryRun: check only)',
      access: MANAGERS,
      params: clientIdParamSchema,
      body: assetImportSchema,
      bodyLimit: '3mb',
      responses: { 200: 'The per-line report', 400: 'Not a CSV file, or unknown or missing columns' },
      response: { 200: assetImportReportSchema },
      async handler({ res, db, params, body }) {
        res.json(await importAssets(db, params.clientId, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'get',
      path: '/assets/:assetId',
      tag: 'assets',
      summary: 'One asset',
      access: READERS,
      params: assetIdParamSchema,
      response: { 200: assetSchema },
      async handler({ res, db, params }) {
        res.json(await assetDetail(db, params.assetId));
      },
    }),
    route({
      method: 'patch',
      path: '/assets/:assetId',
      tag: 'assets',
      summary: 'Change an asset (status, site, warranty…)',
      access: MANAGERS,
      params: assetIdParamSchema,
      body: updateAssetSchema,
      responses: { 200: 'Updated', ...INVALID },
      response: { 200: assetSchema },
      async handler({ res, db, params, body }) {
        res.json(await changeAsset(db, params.assetId, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'get',
      path: '/assets/:assetId/history',
      tag: 'assets',
      summary: 'An asset’s history in time order: requests, visits, parts replaced (with serial numbers), reports',
      access: READERS,
      params: assetIdParamSchema,
      response: { 200: assetHistorySchema },
      async handler({ res, db, params }) {
        res.json(await assetHistoryOf(db, params.assetId));
      },
    }),
  ];
}
