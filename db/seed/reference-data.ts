/**
 * Writes the demo reference data (scripts/seed.ts holds the values): client companies with
 * their contacts, sites, contract, SLA targets and assets; technicians with skills,
 * certifications and shifts; the demo accounts; the parts catalogue. Rows are inserted in that
 * order, each child with the id its parent was given.
 */
import type { Insertable } from 'kysely';
import type {
  AssetsTable,
  ClientContactsTable,
  ClientLocationsTable,
  ClientsTable,
  ContractSlaTargetsTable,
  ContractsTable,
  PartsCatalogueTable,
  TechnicianCertificationsTable,
  TechnicianShiftsTable,
  TechnicianSkillsTable,
  TechniciansTable,
} from '../schema/index.js';
import type { Executor } from '../executor.js';
import { createUser, type NewUser } from '../repositories/users.repository.js';
import { upsertSubscription } from '../repositories/kpi-reports.repository.js';

export interface SeedClient {
  client: Insertable<ClientsTable>;
  contacts: Array<Omit<Insertable<ClientContactsTable>, 'clientId'>>;
  sites: Array<Omit<Insertable<ClientLocationsTable>, 'clientId'>>;
  /** Opening hours of every site of the client, as the plan reads them (ISO weekday, 'HH:MM'). */
  siteHours?: Array<{ weekday: number; opensAt: string; closesAt: string }>;
  contract: Omit<Insertable<ContractsTable>, 'clientId'>;
  slaTargets: Array<Omit<Insertable<ContractSlaTargetsTable>, 'contractId'>>;
  /** `siteIndex`: the site (in `sites`) the asset is at; none when out of range. */
  assets: Array<Omit<Insertable<AssetsTable>, 'clientId' | 'locationId'> & { siteIndex: number }>;
}

export interface SeedTechnician {
  technician: Insertable<TechniciansTable>;
  skills: Array<Omit<Insertable<TechnicianSkillsTable>, 'technicianId'>>;
  certifications: Array<Omit<Insertable<TechnicianCertificationsTable>, 'technicianId'>>;
  shifts: Array<Omit<Insertable<TechnicianShiftsTable>, 'technicianId'>>;
}

/**
 * An account, attached by name to a seeded client company or technician; `reports`: subscribed
 * to the scheduled KPI report of its scope (its company's, or management for staff).
 */
export type SeedAccount = Omit<NewUser, 'clientId' | 'technicianId'> & {
  clientCompanyName?: string;
  technicianLastName?: string;
  reports?: { weekly: boolean; monthly: boolean };
};

export interface ReferenceData {
  clients: SeedClient[];
  technicians: SeedTechnician[];
  accounts: SeedAccount[];
  parts: Array<Insertable<PartsCatalogueTable>>;
}

/** True when any client company exists: the reference data is then left as it is. */
export async function hasReferenceData(db: Executor): Promise<boolean> {
  const existing = await db.selectFrom('clients').select('id').limit(1).executeTakeFirst();
  return existing !== undefined;
}

/** Inserts all of `data`; run it in a transaction so that a failure leaves nothing behind. */
export async function insertReferenceData(db: Executor, data: ReferenceData): Promise<void> {
  for (const c of data.clients) await insertClient(db, c);
  for (const t of data.technicians) await insertTechnician(db, t);
  for (const { clientCompanyName, technicianLastName, reports, ...account } of data.accounts) {
    const client =
      clientCompanyName === undefined
        ? undefined
        : await db.selectFrom('clients').select('id').where('companyName', '=', clientCompanyName).executeTakeFirstOrThrow();
    const technician =
      technicianLastName === undefined
        ? undefined
        : await db.selectFrom('technicians').select('id').where('lastName', '=', technicianLastName).executeTakeFirstOrThrow();
    const user = await createUser(db, {
      ...account,
      ...(client ? { clientId: client.id } : {}),
      ...(technician ? { technicianId: technician.id } : {}),
    });
    if (reports) await upsertSubscription(db, { clientId: client?.id ?? null, userId: user.id, ...reports, createdBy: null });
  }
  if (data.parts.length) await db.insertInto('partsCatalogue').values(data.parts).execute();
}

async function insertClient(db: Executor, c: SeedClient): Promise<void> {
  const client = await db.insertInto('clients').values(c.client).returning('id').executeTakeFirstOrThrow();
  for (const contact of c.contacts) {
    await db
      .insertInto('clientContacts')
      .values({ ...contact, clientId: client.id })
      .execute();
  }
  const siteIds: string[] = [];
  for (const s of c.sites) {
    const site = await db
      .insertInto('clientLocations')
      .values({ ...s, clientId: client.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    siteIds.push(site.id);
    if (c.siteHours?.length)
      await db
        .insertInto('siteOpeningHours')
        .values(c.siteHours.map((h) => ({ ...h, locationId: site.id })))
        .execute();
  }
  const contract = await db
    .insertInto('contracts')
    .values({ ...c.contract, clientId: client.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (c.slaTargets.length) {
    await db
      .insertInto('contractSlaTargets')
      .values(c.slaTargets.map((target) => ({ ...target, contractId: contract.id })))
      .execute();
  }
  for (const { siteIndex, ...asset } of c.assets) {
    await db
      .insertInto('assets')
      .values({ ...asset, clientId: client.id, locationId: siteIds[siteIndex] ?? null })
      .execute();
  }
}

async function insertTechnician(db: Executor, t: SeedTechnician): Promise<void> {
  const technician = await db.insertInto('technicians').values(t.technician).returning('id').executeTakeFirstOrThrow();
  if (t.skills.length) {
    await db
      .insertInto('technicianSkills')
      .values(t.skills.map((skill) => ({ ...skill, technicianId: technician.id })))
      .execute();
  }
  for (const certification of t.certifications) {
    await db
      .insertInto('technicianCertifications')
      .values({ ...certification, technicianId: technician.id })
      .execute();
  }
  if (t.shifts.length) {
    await db
      .insertInto('technicianShifts')
      .values(t.shifts.map((shift) => ({ ...shift, technicianId: technician.id })))
      .execute();
  }
}
