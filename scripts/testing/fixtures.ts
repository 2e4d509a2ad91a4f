/** Realistic rows for integration tests, unique per call so tests never collide. */
import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import type { Priority, ServiceType } from '../../workflows/intervention/intervention.vocabulary.js';

export interface TestClient {
  clientId: string;
  locationId: string;
  contractId: string;
  contactId: string;
  contactEmail: string;
}

export async function createTestClient(
  db: Kysely<DB>,
  options: { coverage?: 'business_hours' | '24_7'; slaMinutes?: Partial<Record<'P1' | 'P2' | 'P3' | 'P4', [number, number]>> } = {},
): Promise<TestClient> {
  const suffix = randomUUID().slice(0, 8);
  const client = await db
    .insertInto('clients')
    .values({
      companyName: `Test SAS ${suffix}`,
      legalName: `Test SAS ${suffix}`,
      siren: '552100554',
      siret: '55210055400013',
      vatNumber: 'FR40552100554',
      addressLine1: '10 rue de Rivoli',
      postalCode: '75004',
      city: 'Paris',
      preferences: { language: 'fr' },
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const location = await db
    .insertInto('clientLocations')
    .values({
      clientId: client.id,
      name: 'Siège',
      addressLine1: '10 rue de Rivoli',
      postalCode: '75004',
      city: 'Paris',
      departmentCode: '75',
      latitude: 48.8556,
      longitude: 2.3585,
      onSiteContactName: 'Accueil',
      onSiteContactPhone: '+33 1 40 00 00 00',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contract = await db
    .insertInto('contracts')
    .values({
      clientId: client.id,
      reference: `CT-${suffix}`,
      name: 'Contrat test',
      kind: 'standard',
      coverage: options.coverage ?? 'business_hours',
      startsOn: '2026-01-01',
      hourlyRateCents: 9000,
      travelFeeCents: 4500,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const defaults: Record<'P1' | 'P2' | 'P3' | 'P4', [number, number]> = {
    P1: [60, 240],
    P2: [240, 960],
    P3: [480, 2400],
    P4: [960, 4800],
  };
  await db
    .insertInto('contractSlaTargets')
    .values(
      (['P1', 'P2', 'P3', 'P4'] as const).map((priority) => {
        const [response, resolution] = options.slaMinutes?.[priority] ?? defaults[priority];
        return { contractId: contract.id, priority, responseMinutes: response, resolutionMinutes: resolution };
      }),
    )
    .execute();
  const contactEmail = `dsi-${suffix}@client.test`;
  const contact = await db
    .insertInto('clientContacts')
    .values({
      clientId: client.id,
      firstName: 'Claire',
      lastName: 'Martin',
      email: contactEmail,
      phone: '+33 6 00 00 00 00',
      preferredContactMode: 'email',
      isPrimary: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    clientId: client.id,
    locationId: location.id,
    contractId: contract.id,
    contactId: contact.id,
    contactEmail,
  };
}

/** A valid intake body for POST /api/requests. */
export function intakeBody(client: TestClient, overrides: Record<string, unknown> = {}) {
  return {
    clientId: client.clientId,
    locationId: client.locationId,
    contractId: client.contractId,
    requesterContactId: client.contactId,
    serviceType: 'hardware_repair',
    title: 'Poste comptabilité ne démarre plus',
    device: { brand: 'Dell', model: 'OptiPlex 7010', operatingSystem: 'Windows 11', purchaseDate: '2023-03-15' },
    location: { department: 'Comptabilité', onSiteContactName: 'Paul Durand', onSiteContactPhone: '+33 1 40 00 00 01' },
    contact: { name: 'Claire Martin', email: client.contactEmail, phone: '+33 6 00 00 00 00', preferredContactMode: 'email' },
    problem: {
      nature: 'Le poste ne démarre plus, écran noir, voyant orange.',
      businessImpact: 'La comptable ne peut plus saisir les factures.',
      impactLevel: 'high',
      urgency: 'medium',
      attemptedSolutions: 'Redémarrage, changement de prise.',
    },
    ...overrides,
  };
}

export type TestRole = 'client_user' | 'client_admin' | 'support_agent' | 'dispatcher' | 'technician' | 'finance' | 'admin';

/**
 * An account of the given role with a fresh session: returns the headers to call the API as it.
 * Client roles need `clientId`; a technician gets a technician row unless one is given.
 */
export async function createTestAccount(
  db: Kysely<DB>,
  role: TestRole,
  scope: { clientId?: string; technicianId?: string } = {},
): Promise<{ userId: string; email: string; technicianId: string | null; headers: Record<string, string> }> {
  const { createUser } = await import('../../db/repositories/users.repository.js');
  const { issueCredential } = await import('../../db/repositories/credentials.repository.js');
  const suffix = randomUUID().slice(0, 8);
  let technicianId = scope.technicianId ?? null;
  if (role === 'technician' && !technicianId) {
    const tech = await db
      .insertInto('technicians')
      .values({
        firstName: 'Luc',
        lastName: `Tech ${suffix}`,
        email: `tech-${suffix}@intervention.test`,
        level: 'N2',
        homeAddress: '1 place Bellecour, Lyon',
        homeLatitude: 45.7578,
        homeLongitude: 4.832,
        hourlyCostCents: 3500,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    technicianId = tech.id;
  }
  const email = `${role.replace('_', '-')}-${suffix}@intervention.test`;
  const user = await createUser(db, {
    email,
    displayName: `${role} ${suffix}`,
    role,
    clientId: role === 'client_user' || role === 'client_admin' ? (scope.clientId ?? null) : null,
    technicianId: role === 'technician' ? technicianId : null,
  });
  const session = await issueCredential(db, 'session', { userId: user.id, ttlSeconds: 3600 });
  return { userId: user.id, email, technicianId, headers: sessionHeaders(session.secret) };
}

/**
 * The headers of a signed-in browser on the app's own page: the session cookie, and the
 * `Sec-Fetch-Site: same-origin` every current browser adds, without which a write with the
 * cookie is refused as cross-site (api/csrf.ts).
 */
export function sessionHeaders(sessionSecret: string): Record<string, string> {
  return { cookie: `sid=${sessionSecret}`, 'sec-fetch-site': 'same-origin' };
}

/**
 * A request waiting for planning at a new site of the client, written straight to the read model
 * (no workflow behind it): what the daily plan and its overrides read. The workflow id is fake on
 * purpose, so tests that publish must not pick such a request.
 */
export async function addPlannableRequest(
  db: Kysely<DB>,
  options: {
    clientId: string;
    lat: number;
    lon: number;
    serviceType?: ServiceType;
    priority?: Priority;
    title?: string;
    siteName?: string;
  },
): Promise<{ id: string; ticketNumber: string }> {
  const { clientId, lat, lon, serviceType = 'network_configuration', priority = 'P3' } = options;
  const location = await db
    .insertInto('clientLocations')
    .values({
      clientId,
      name: options.siteName ?? `Site ${lat},${lon}`,
      addressLine1: 'rue',
      postalCode: '75001',
      city: 'Paris',
      latitude: lat,
      longitude: lon,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A year no real ticket uses, and a random number: never a clash with the ticket sequence.
  const ticketNumber = `INT-2099-${String(randomInt(1e9)).padStart(9, '0')}`;
  const row = await db
    .insertInto('serviceRequests')
    .values({
      ticketNumber,
      workflowId: `read-model-only-${ticketNumber}`,
      clientId,
      locationId: location.id,
      serviceType,
      title: options.title ?? `${serviceType} ${priority}`,
      description: 'test',
      businessImpact: 'test',
      impactLevel: 'high',
      urgency: 'high',
      priority,
      status: 'awaiting_planning',
      clientStatus: 'in_analysis',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, ticketNumber };
}

export interface TestTechnicianOptions {
  firstName?: string;
  /** Made unique per call unless given (dispatch tests read it back in the plan). */
  lastName?: string;
  latitude?: number;
  longitude?: number;
  /** Skill → level 1–5. */
  skills?: Record<string, number>;
  /** One weekly shift (ISO weekday, 1 = Monday) with a 45-minute lunch between 12:00 and 14:00. */
  shift?: { weekday: number; startsAt: string; endsAt: string };
  hourlyCostCents?: number;
  rating?: number;
}

/** A technician with a home base, skills and optionally a shift: the one way tests add one. */
export async function addTechnician(
  db: Kysely<DB>,
  options: TestTechnicianOptions = {},
): Promise<{ id: string; email: string; name: string }> {
  const firstName = options.firstName ?? 'Julien';
  const lastName = options.lastName ?? `Test-${randomUUID().slice(0, 6)}`;
  const email = `${firstName
    .normalize('NFD')
    .replace(/[^a-zA-Z]/g, '')
    .toLowerCase()}-${randomUUID().slice(0, 8)}@techs.test`;
  const row = await db
    .insertInto('technicians')
    .values({
      firstName,
      lastName,
      email,
      phone: '+33 6 11 22 33 44',
      level: 'N2',
      homeAddress: '1 place de la République, 75003 Paris',
      homeLatitude: options.latitude ?? 48.8674,
      homeLongitude: options.longitude ?? 2.3631,
      hourlyCostCents: options.hourlyCostCents ?? 3500,
      ...(options.rating === undefined ? {} : { rating: options.rating }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const skills = Object.entries(options.skills ?? { hardware_repair: 4, network_configuration: 3 });
  if (skills.length > 0) {
    await db
      .insertInto('technicianSkills')
      .values(skills.map(([skill, level]) => ({ technicianId: row.id, skill, level })))
      .execute();
  }
  if (options.shift) {
    await db
      .insertInto('technicianShifts')
      .values({ technicianId: row.id, ...options.shift, lunchEarliest: '12:00', lunchLatest: '14:00', lunchMinutes: 45 })
      .execute();
  }
  return { id: row.id, email, name: `${firstName} ${lastName}` };
}
