/** The directory the back office browses: client companies (sites, contracts) and technicians (skills). */
import type { Executor } from '../executor.js';

/** Client companies by name, each with its sites and contracts. */
export async function listClientsWithSitesAndContracts(db: Executor) {
  const clients = await db
    .selectFrom('clients')
    .select(['id', 'companyName', 'siren', 'city', 'industry'])
    .orderBy('companyName')
    .execute();
  const locations = await db
    .selectFrom('clientLocations')
    .select(['id', 'clientId', 'name', 'addressLine1', 'postalCode', 'city', 'departmentCode', 'latitude', 'longitude'])
    .orderBy('name')
    .execute();
  const contracts = await db.selectFrom('contracts').select(['id', 'clientId', 'reference', 'name', 'kind', 'coverage']).execute();
  return clients.map((c) => ({
    ...c,
    locations: locations.filter((l) => l.clientId === c.id),
    contracts: contracts.filter((k) => k.clientId === c.id),
  }));
}

/** Technicians by last name, each with their skills. */
export async function listTechniciansWithSkills(db: Executor) {
  const technicians = await db
    .selectFrom('technicians')
    .select(['id', 'firstName', 'lastName', 'level', 'homeAddress', 'homeLatitude', 'homeLongitude', 'rating', 'active'])
    .orderBy('lastName')
    .execute();
  const skills = await db.selectFrom('technicianSkills').selectAll().execute();
  return technicians.map((t) => ({
    ...t,
    skills: skills.filter((s) => s.technicianId === t.id).map((s) => ({ skill: s.skill, level: s.level })),
  }));
}
