/**
 * Importing a company's assets from a CSV file (issue 13). The whole file is read and every line
 * checked first (field rules of the asset form, the company's sites and contracts by name or
 * reference, serial numbers and hostnames against the register and against the file's other
 * lines); then the valid lines are inserted in the request's one transaction, and every line gets
 * its outcome: imported, or refused with each reason. Nothing of a refused line is imported.
 *
 * The file: a header line naming the columns (English names below, or the French ones the
 * screen shows), separated by `;` (French spreadsheets) or `,`, UTF-8 with or without BOM. Dates
 * as YYYY-MM-DD or DD/MM/YYYY. Parsed by csv-parse (quoted fields, embedded separators and line
 * breaks, doubled quotes).
 */
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { assetReferencesOf, insertAssets, type AssetValues } from '../../db/repositories/assets.repository.js';
import { ASSET_KINDS, ASSET_STATUSES } from '../../db/schema/enums.js';
import type { AuditSink } from '../audit-trail.js';
import { HttpError, notFound, type FieldError } from '../errors.js';
import { createAssetSchema } from '../schemas/assets.schema.js';
import { referenceProblems } from './registry.js';

/** Column → the asset field it fills; French names accepted as well. */
const COLUMNS: Record<string, string> = {
  type: 'kind',
  kind: 'kind',
  brand: 'brand',
  marque: 'brand',
  model: 'model',
  modele: 'model',
  serial_number: 'serialNumber',
  numero_de_serie: 'serialNumber',
  hostname: 'hostname',
  nom_d_hote: 'hostname',
  operating_system: 'operatingSystem',
  systeme: 'operatingSystem',
  purchase_date: 'purchaseDate',
  date_d_achat: 'purchaseDate',
  warranty_end: 'warrantyEndsOn',
  fin_de_garantie: 'warrantyEndsOn',
  site: 'site',
  department: 'department',
  service: 'department',
  contract: 'contract',
  contrat: 'contract',
  status: 'status',
  statut: 'status',
  notes: 'notes',
};
const REQUIRED = ['kind', 'brand', 'model'];

/** Words people write in a type or status cell, to the stored value. */
const KIND_WORDS: Record<string, string> = {
  'network device': 'network',
  network_device: 'network',
  reseau: 'network',
  'equipement reseau': 'network',
  'poste de travail': 'workstation',
  portable: 'laptop',
  serveur: 'server',
  imprimante: 'printer',
  telephone: 'phone',
  autre: 'other',
};
const STATUS_WORDS: Record<string, string> = {
  'in service': 'in_service',
  'en service': 'in_service',
  'in repair': 'in_repair',
  'en reparation': 'in_repair',
  retired: 'retired',
  retire: 'retired',
  reforme: 'retired',
};

/** Lower case, no accents, words joined by `_`: how a header or a value is matched. */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
const headerKey = (s: string) =>
  fold(s)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

function dateOf(value: string): string {
  const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  return french ? `${french[3]}-${french[2]}-${french[1]}` : value;
}

export interface ImportLine {
  line: number;
  outcome: 'imported' | 'valid' | 'refused';
  assetId: string | null;
  errors: FieldError[];
}

function parseFile(csv: string): { header: string[]; rows: { line: number; cells: string[] }[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, {
      bom: true,
      delimiter: [';', ','],
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const message = `the file is not valid CSV: ${(err as Error).message}`;
    throw new HttpError(400, 'validation_failed', `csv: ${message}`, [{ field: 'csv', message }]);
  }
  const [first, ...rest] = records;
  if (!first) throw new HttpError(400, 'validation_failed', 'csv: the file is empty', [{ field: 'csv', message: 'the file is empty' }]);
  return { header: first.record, rows: rest.map((r) => ({ line: r.info.lines, cells: r.record })) };
}

function headerProblems(header: string[]): { fields: (string | null)[]; problems: FieldError[] } {
  const fields = header.map((h) => COLUMNS[headerKey(h)] ?? null);
  const problems: FieldError[] = [];
  header.forEach((h, i) => {
    if (!fields[i])
      problems.push({ field: 'csv', message: `unknown column "${h}" (expected: ${[...new Set(Object.keys(COLUMNS))].join(', ')})` });
  });
  for (const required of REQUIRED) {
    if (!fields.includes(required)) problems.push({ field: 'csv', message: `missing column for ${required}` });
  }
  const seen = new Set<string>();
  for (const f of fields) {
    if (f && seen.has(f)) problems.push({ field: 'csv', message: `two columns fill ${f}` });
    if (f) seen.add(f);
  }
  return { fields, problems };
}

export async function importAssets(
  db: Kysely<DB>,
  clientId: string,
  input: { csv: string; dryRun: boolean },
  audit: AuditSink,
): Promise<{ dryRun: boolean; imported: number; refused: number; lines: ImportLine[] }> {
  const refs = await assetReferencesOf(db, clientId);
  if (!refs.client) throw notFound(`client ${clientId}`);
  const { header, rows } = parseFile(input.csv);
  const { fields, problems } = headerProblems(header);
  if (problems.length > 0) throw new HttpError(400, 'validation_failed', problems.map((p) => p.message).join('; '), problems);
  if (rows.length > 10_000) {
    throw new HttpError(400, 'validation_failed', 'csv: more than 10000 lines', [{ field: 'csv', message: 'more than 10000 lines' }]);
  }

  const siteByName = new Map(refs.sites.map((s) => [fold(s.name), s.id]));
  const contractByRef = new Map(refs.contracts.map((c) => [fold(c.reference), c.id]));
  const serialsInFile = new Map<string, number>();
  const hostsInFile = new Map<string, number>();
  const checked = rows.map(({ line, cells }): { line: number; values: AssetValues | null; errors: FieldError[] } => {
    const errors: FieldError[] = [];
    if (cells.length !== header.length) {
      errors.push({ field: 'line', message: `${cells.length} fields, the header has ${header.length}` });
      return { line, values: null, errors };
    }
    const raw: Record<string, string> = {};
    fields.forEach((f, i) => {
      if (f && cells[i] !== '') raw[f] = cells[i]!;
    });
    const candidate: Record<string, unknown> = {
      kind: raw.kind === undefined ? undefined : (KIND_WORDS[fold(raw.kind)] ?? fold(raw.kind)),
      brand: raw.brand,
      model: raw.model,
      serialNumber: raw.serialNumber,
      hostname: raw.hostname,
      operatingSystem: raw.operatingSystem,
      purchaseDate: raw.purchaseDate === undefined ? undefined : dateOf(raw.purchaseDate),
      warrantyEndsOn: raw.warrantyEndsOn === undefined ? undefined : dateOf(raw.warrantyEndsOn),
      department: raw.department,
      status: raw.status === undefined ? undefined : (STATUS_WORDS[fold(raw.status)] ?? fold(raw.status).replace(/ /g, '_')),
      notes: raw.notes,
    };
    if (raw.site !== undefined) {
      const id = siteByName.get(fold(raw.site));
      if (id) candidate.locationId = id;
      else errors.push({ field: 'site', message: `no site named "${raw.site}" for this client` });
    }
    if (raw.contract !== undefined) {
      const id = contractByRef.get(fold(raw.contract));
      if (id) candidate.contractId = id;
      else errors.push({ field: 'contract', message: `no contract with reference "${raw.contract}" for this client` });
    }
    const parsed = createAssetSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.') || 'line';
        const message =
          field === 'kind'
            ? `expected one of ${ASSET_KINDS.join(', ')}`
            : field === 'status'
              ? `expected one of ${ASSET_STATUSES.join(', ')}`
              : issue.message;
        errors.push({ field, message });
      }
    }
    // Serial numbers and hostnames are checked whatever else is wrong, against the register and
    // the file's earlier lines, so one report lists every reason.
    const serialNumber = raw.serialNumber;
    const host = raw.hostname?.toLowerCase();
    errors.push(...referenceProblems(refs, { serialNumber, hostname: host }).taken);
    if (serialNumber) {
      const earlier = serialsInFile.get(serialNumber);
      if (earlier !== undefined) errors.push({ field: 'serialNumber', message: `same serial number as line ${earlier}` });
      else serialsInFile.set(serialNumber, line);
    }
    if (host) {
      const earlier = hostsInFile.get(host);
      if (earlier !== undefined) errors.push({ field: 'hostname', message: `same hostname as line ${earlier}` });
      else hostsInFile.set(host, line);
    }
    if (!parsed.success || errors.length > 0) return { line, values: null, errors };
    const body = parsed.data;
    return { line, values: { ...body, clientId }, errors };
  });

  const valid = checked.filter((c) => c.values !== null);
  const ids = input.dryRun
    ? []
    : await insertAssets(
        db,
        valid.map((c) => c.values!),
      );
  const idOfLine = new Map(valid.map((c, i) => [c.line, ids[i] ?? null]));
  const lines: ImportLine[] = checked.map((c) => ({
    line: c.line,
    outcome: c.values === null ? 'refused' : input.dryRun ? 'valid' : 'imported',
    assetId: c.values === null ? null : (idOfLine.get(c.line) ?? null),
    errors: c.errors,
  }));
  if (!input.dryRun && ids.length > 0) {
    audit({ entityType: 'asset_import', entityId: clientId, before: null, after: { imported: ids.length, assetIds: ids } });
  }
  return {
    dryRun: input.dryRun,
    imported: input.dryRun ? 0 : ids.length,
    refused: checked.length - valid.length,
    lines,
  };
}
