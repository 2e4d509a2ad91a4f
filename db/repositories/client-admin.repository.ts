/**
 * Master data of client companies, as the administration workspace writes it: the company, its
 * sites (with opening hours and closure dates), contacts and contracts (SLA targets, billing
 * terms). Plain functions over the caller's executor: row-level security decides what it reaches.
 */
import type { Insertable, Updateable } from 'kysely';
import type { ClientContactsTable, ClientLocationsTable, ClientsTable, ContractsTable } from '../schema/clients.table.js';
import type { ContractBillingTermsTable } from '../schema/billing.table.js';
import type { Priority } from '../schema/enums.js';
import type { Executor } from '../executor.js';

export async function insertClient(db: Executor, values: Insertable<ClientsTable>) {
  return db.insertInto('clients').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findClient(db: Executor, id: string) {
  return db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateClient(db: Executor, id: string, values: Updateable<ClientsTable>) {
  return db
    .updateTable('clients')
    .set({ ...values, updatedAt: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Every client company (the admin's list), by name. */
export async function listClientCompanies(db: Executor) {
  return db.selectFrom('clients').selectAll().orderBy('companyName').execute();
}

// --- Sites ---

export interface OpeningRange {
  weekday: number;
  opensAt: string;
  closesAt: string;
}
export interface Closure {
  startsOn: string;
  endsOn: string;
  reason: string | null;
}

export async function insertSite(db: Executor, values: Insertable<ClientLocationsTable>) {
  return db.insertInto('clientLocations').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateSite(db: Executor, id: string, values: Updateable<ClientLocationsTable>) {
  if (Object.keys(values).length === 0) return db.selectFrom('clientLocations').selectAll().where('id', '=', id).executeTakeFirst();
  return db.updateTable('clientLocations').set(values).where('id', '=', id).returningAll().executeTakeFirst();
}

/** The site with its opening hours (by weekday, then time) and closures (by date). */
export async function findSite(db: Executor, id: string) {
  const site = await db.selectFrom('clientLocations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!site) return undefined;
  const [hours, closures] = await Promise.all([
    db
      .selectFrom('siteOpeningHours')
      .select(['weekday', 'opensAt', 'closesAt'])
      .where('locationId', '=', id)
      .orderBy('weekday')
      .orderBy('opensAt')
      .execute(),
    db.selectFrom('siteClosures').select(['id', 'startsOn', 'endsOn', 'reason']).where('locationId', '=', id).orderBy('startsOn').execute(),
  ]);
  return { ...site, hours, closures };
}

/** Replaces the site's opening hours (the whole week). */
export async function replaceOpeningHours(db: Executor, locationId: string, hours: readonly OpeningRange[]) {
  await db.deleteFrom('siteOpeningHours').where('locationId', '=', locationId).execute();
  if (hours.length > 0) {
    await db
      .insertInto('siteOpeningHours')
      .values(hours.map((h) => ({ locationId, ...h })))
      .execute();
  }
}

/** Replaces the site's closure dates. */
export async function replaceClosures(db: Executor, locationId: string, closures: readonly Closure[]) {
  await db.deleteFrom('siteClosures').where('locationId', '=', locationId).execute();
  if (closures.length > 0) {
    await db
      .insertInto('siteClosures')
      .values(closures.map((c) => ({ locationId, ...c })))
      .execute();
  }
}

// --- Contacts ---

export async function insertContact(db: Executor, values: Insertable<ClientContactsTable>) {
  return db.insertInto('clientContacts').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findContact(db: Executor, id: string) {
  return db.selectFrom('clientContacts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateContact(db: Executor, id: string, values: Updateable<ClientContactsTable>) {
  return db.updateTable('clientContacts').set(values).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteContact(db: Executor, id: string) {
  return db.deleteFrom('clientContacts').where('id', '=', id).returningAll().executeTakeFirst();
}

/** Only one primary contact per company: the others lose the flag. */
export async function clearPrimaryContacts(db: Executor, clientId: string, exceptId: string) {
  await db.updateTable('clientContacts').set({ isPrimary: false }).where('clientId', '=', clientId).where('id', '<>', exceptId).execute();
}

// --- Contracts ---

export interface SlaTarget {
  priority: Priority;
  responseMinutes: number;
  resolutionMinutes: number;
}
export type BillingTerms = Omit<Insertable<ContractBillingTermsTable>, 'contractId'>;

export async function insertContract(db: Executor, values: Insertable<ContractsTable>) {
  return db.insertInto('contracts').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateContract(db: Executor, id: string, values: Updateable<ContractsTable>) {
  if (Object.keys(values).length === 0) return db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
  return db.updateTable('contracts').set(values).where('id', '=', id).returningAll().executeTakeFirst();
}

/** The contract with its SLA targets (P1 first) and billing terms (null when it has none). */
export async function findContract(db: Executor, id: string) {
  const contract = await db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!contract) return undefined;
  const [slaTargets, billingTerms] = await Promise.all([
    db
      .selectFrom('contractSlaTargets')
      .select(['priority', 'responseMinutes', 'resolutionMinutes'])
      .where('contractId', '=', id)
      .orderBy('priority')
      .execute(),
    db.selectFrom('contractBillingTerms').selectAll().where('contractId', '=', id).executeTakeFirst(),
  ]);
  return { ...contract, slaTargets, billingTerms: billingTerms ?? null };
}

export async function replaceSlaTargets(db: Executor, contractId: string, targets: readonly SlaTarget[]) {
  await db.deleteFrom('contractSlaTargets').where('contractId', '=', contractId).execute();
  if (targets.length > 0) {
    await db
      .insertInto('contractSlaTargets')
      .values(targets.map((t) => ({ contractId, ...t })))
      .execute();
  }
}

export async function upsertBillingTerms(db: Executor, contractId: string, terms: BillingTerms) {
  await db
    .insertInto('contractBillingTerms')
    .values({ contractId, ...terms })
    .onConflict((oc) => oc.column('contractId').doUpdateSet(terms))
    .execute();
}

/**
 * The contract a request is filed under when the form names none: the client's contract in
 * force on `day` (started, not ended), the most recently started one if several are.
 */
export async function findContractInForce(db: Executor, clientId: string, day: string) {
  return db
    .selectFrom('contracts')
    .select(['id', 'kind'])
    .where('clientId', '=', clientId)
    .where('startsOn', '<=', day)
    .where((eb) => eb.or([eb('endsOn', 'is', null), eb('endsOn', '>=', day)]))
    .orderBy('startsOn', 'desc')
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The company's sites, contacts and contracts (each with its details), for the admin's page. */
export async function clientDetail(db: Executor, clientId: string) {
  const client = await findClient(db, clientId);
  if (!client) return undefined;
  const [siteIds, contacts, contractIds] = await Promise.all([
    db.selectFrom('clientLocations').select('id').where('clientId', '=', clientId).orderBy('name').execute(),
    db.selectFrom('clientContacts').selectAll().where('clientId', '=', clientId).orderBy('lastName').orderBy('firstName').execute(),
    db.selectFrom('contracts').select('id').where('clientId', '=', clientId).orderBy('startsOn', 'desc').execute(),
  ]);
  const sites = [];
  for (const { id } of siteIds) sites.push((await findSite(db, id))!);
  const contracts = [];
  for (const { id } of contractIds) contracts.push((await findContract(db, id))!);
  return { ...client, sites, contacts, contracts };
}
