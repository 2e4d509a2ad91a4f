/**
 * The administration workspace's master data on the real app, PostgreSQL (row-level security)
 * and Temporal: the rules a refusal names (SIRET Luhn key, overlapping shifts and opening hours,
 * an end before a start, a value already used), nothing half-written, the audit entries with
 * before/after, a client admin's reach, the invitation link, and a request filed without a
 * contract getting the client's contract's SLA.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { enterScope } from '../auth/access.js';
import { startTestPlatform, eventually, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';
import { createBillingActivities } from '../../activities/billing/billing.activities.js';
import { sellerProfileFromConfig } from '../../activities/billing/seller-profile.js';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import { loadConfig } from '../../platform/config.js';

type Headers = Record<string, string>;

describe('administration: master data', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let admin: { userId: string; headers: Headers };
  let other: TestClient;
  const suffix = Math.random().toString(36).slice(2, 8);

  async function call(method: string, path: string, headers: Headers, body?: unknown) {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
  const fieldsOf = (body: { error?: { fields?: { field: string }[] } }) => (body.error?.fields ?? []).map((f) => f.field);
  const countOf = async (table: 'clients' | 'clientLocations' | 'technicians' | 'contracts') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const company = () => ({
    companyName: `Boulangeries Martin ${suffix}`,
    siren: '552032534',
    siret: '55203253400646',
    vatNumber: 'FR27552032534',
    addressLine1: '12 rue Oberkampf',
    postalCode: '75011',
    city: 'Paris',
    preferences: { language: 'fr', notificationChannels: ['email', 'phone'] },
  });
  const site = {
    name: 'Atelier Oberkampf',
    addressLine1: '12 rue Oberkampf',
    postalCode: '75011',
    city: 'Paris',
    departmentCode: '75',
    latitude: 48.8649,
    longitude: 2.3752,
    accessInstructions: 'Code 4512B, 2e étage',
    openingHours: [
      { weekday: 1, opensAt: '08:30', closesAt: '12:00' },
      { weekday: 1, opensAt: '14:00', closesAt: '18:00' },
      { weekday: 2, opensAt: '08:30', closesAt: '18:00' },
    ],
    closures: [{ startsOn: '2026-08-03', endsOn: '2026-08-21', reason: 'Congés d’été' }],
  };
  const contract = (reference: string) => ({
    reference,
    name: 'Contrat premium',
    kind: 'premium',
    coverage: '24_7',
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    dataRetentionMonths: 24,
    slaTargets: [
      { priority: 'P1', responseMinutes: 30, resolutionMinutes: 240 },
      { priority: 'P2', responseMinutes: 60, resolutionMinutes: 480 },
      { priority: 'P3', responseMinutes: 120, resolutionMinutes: 960 },
      { priority: 'P4', responseMinutes: 480, resolutionMinutes: 2880 },
    ],
    billing: { hourlyRateCents: 9500, travelFeeCents: 3500, includedHoursPerMonth: 10, roundingIncrementMinutes: 15 },
  });

  beforeAll(async () => {
    platform = await startTestPlatform();
    ({ db, url } = platform);
    admin = await createTestAccount(db, 'admin');
    other = await createTestClient(db);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  let clientId = '';
  let locationId = '';
  let contractId = '';

  it('refuses a SIRET with a bad Luhn key, naming the field, and writes nothing', async () => {
    const before = await countOf('clients');
    const bad = await call('POST', '/admin/clients', admin.headers, { ...company(), siret: '55203253400647' });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['siret']);
    const badVat = await call('POST', '/admin/clients', admin.headers, { ...company(), vatNumber: 'FR12552032534' });
    expect(fieldsOf(badVat.body)).toEqual(['vatNumber']);
    expect(await countOf('clients')).toBe(before);
  });

  it('creates a company, refuses its name twice (409 naming it), and audits the creation with its state after', async () => {
    const created = await call('POST', '/admin/clients', admin.headers, company());
    expect(created.status).toBe(201);
    clientId = created.body.id;
    const again = await call('POST', '/admin/clients', admin.headers, company());
    expect(again.status).toBe(409);
    expect(fieldsOf(again.body)).toEqual(['companyName']);
    const audit = await call('GET', `/audit?entityType=client&entityId=${clientId}`, admin.headers);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ before: null, after: { siret: '55203253400646' }, actorUserId: admin.userId });
    // A change of SIRET that no longer matches the stored SIREN is refused.
    const mismatch = await call('PATCH', `/clients/${clientId}`, admin.headers, { siret: '73282932000074' });
    expect(mismatch.status).toBe(400);
    expect(fieldsOf(mismatch.body)).toEqual(['siret']);
  });

  it('adds a site with opening hours per weekday and closure dates; overlapping hours and an end before a start are refused', async () => {
    const overlapping = await call('POST', `/clients/${clientId}/sites`, admin.headers, {
      ...site,
      openingHours: [...site.openingHours, { weekday: 1, opensAt: '11:00', closesAt: '15:00' }],
    });
    expect(overlapping.status).toBe(400);
    expect(fieldsOf(overlapping.body)).toEqual(['openingHours.3.opensAt']);
    const backwards = await call('POST', `/clients/${clientId}/sites`, admin.headers, {
      ...site,
      closures: [{ startsOn: '2026-08-21', endsOn: '2026-08-03' }],
    });
    expect(fieldsOf(backwards.body)).toEqual(['closures.0.endsOn']);
    expect(await db.selectFrom('clientLocations').select('id').where('clientId', '=', clientId).execute()).toHaveLength(0);

    const created = await call('POST', `/clients/${clientId}/sites`, admin.headers, site);
    expect(created.status).toBe(201);
    locationId = created.body.id;
    expect(created.body.hours).toEqual([
      { weekday: 1, opensAt: '08:30:00', closesAt: '12:00:00' },
      { weekday: 1, opensAt: '14:00:00', closesAt: '18:00:00' },
      { weekday: 2, opensAt: '08:30:00', closesAt: '18:00:00' },
    ]);
    const changed = await call('PATCH', `/sites/${locationId}`, admin.headers, {
      openingHours: [{ weekday: 3, opensAt: '09:00', closesAt: '17:00' }],
      closures: [],
    });
    expect(changed.body).toMatchObject({ hours: [{ weekday: 3 }], closures: [], accessInstructions: site.accessInstructions });
    const audit = await call('GET', `/audit?entityType=site&entityId=${locationId}`, admin.headers);
    expect(audit.body.items[0].before.hours).toHaveLength(3);
    expect(audit.body.items[0].after.hours).toHaveLength(1);
  });

  it('creates a contract with SLA targets and billing terms; refuses an end before its start, on creation and on change', async () => {
    const backwards = await call('POST', `/clients/${clientId}/contracts`, admin.headers, {
      ...contract(`CT-${suffix}`),
      endsOn: '2025-12-31',
    });
    expect(backwards.status).toBe(400);
    expect(fieldsOf(backwards.body)).toEqual(['endsOn']);
    const created = await call('POST', `/clients/${clientId}/contracts`, admin.headers, contract(`CT-${suffix}`));
    expect(created.status).toBe(201);
    contractId = created.body.id;
    expect(created.body.slaTargets).toHaveLength(4);
    expect(created.body.billingTerms).toMatchObject({ roundingIncrementMinutes: 15, travelMode: 'flat' });
    const change = await call('PATCH', `/contracts/${contractId}`, admin.headers, { endsOn: '2025-06-30' });
    expect(change.status).toBe(400);
    expect(fieldsOf(change.body)).toEqual(['endsOn']);
    const twice = await call('POST', `/clients/${clientId}/contracts`, admin.headers, contract(`CT-${suffix}`));
    expect(twice.status).toBe(409);
    expect(fieldsOf(twice.body)).toEqual(['reference']);
  });

  it("never changes an issued invoice when its contract's rates change", async () => {
    const billing = createBillingActivities({
      db,
      mailer: createMailer({ db, from: 'facturation@msp.test' }),
      seller: sellerProfileFromConfig(loadConfig({})),
      financeEmail: 'compta@msp.test',
    });
    const invoice = await billing.issueInvoice(await createClosedIntervention(db, other, { visits: [{ minutes: 90 }] }));
    const before = await db.selectFrom('invoices').selectAll().where('id', '=', invoice.invoiceId).executeTakeFirstOrThrow();
    const changed = await call('PATCH', `/contracts/${other.contractId}`, admin.headers, {
      billing: { hourlyRateCents: 99_900, travelFeeCents: 50_000, roundingIncrementMinutes: 60 },
    });
    expect(changed.status).toBe(200);
    const after = await db.selectFrom('invoices').selectAll().where('id', '=', invoice.invoiceId).executeTakeFirstOrThrow();
    expect(after.totalInclVatCents).toBe(before.totalInclVatCents);
    expect(after.lines).toEqual(before.lines);
    expect(after.pdf.equals(before.pdf)).toBe(true);
  });

  it('creates a technician; overlapping shifts, two shifts a day and overlapping absences are refused; an expired certification stops counting', async () => {
    const base = {
      firstName: 'Inès',
      lastName: `Benali ${suffix}`,
      email: `ines.benali.${suffix}@msp.test`,
      level: 'N2',
      homeAddress: '8 rue de la Roquette, 75011 Paris',
      homeLatitude: 48.8546,
      homeLongitude: 2.3722,
      hourlyCostCents: 3800,
      skills: [
        { skill: 'network', level: 4 },
        { skill: 'printers', level: 2 },
      ],
      certifications: [
        { name: 'CCNA', issuer: 'Cisco', obtainedOn: '2024-03-01', expiresOn: '2027-03-01' },
        { name: 'Habilitation électrique B1V', issuer: 'APAVE', obtainedOn: '2021-01-10', expiresOn: '2024-01-10' },
      ],
      shifts: [
        { weekday: 1, startsAt: '08:00', endsAt: '17:00' },
        { weekday: 2, startsAt: '08:00', endsAt: '17:00' },
      ],
      absences: [{ startsAt: '2026-12-21T00:00:00+01:00', endsAt: '2026-12-26T00:00:00+01:00', reason: 'leave' }],
    };
    const before = await countOf('technicians');
    const overlap = await call('POST', '/technicians', admin.headers, {
      ...base,
      shifts: [...base.shifts, { weekday: 2, startsAt: '16:00', endsAt: '20:00' }],
    });
    expect(overlap.status).toBe(400);
    expect(fieldsOf(overlap.body)).toEqual(['shifts.2.startsAt']);
    const second = await call('POST', '/technicians', admin.headers, {
      ...base,
      shifts: [...base.shifts, { weekday: 2, startsAt: '18:00', endsAt: '20:00' }],
    });
    expect(fieldsOf(second.body)).toEqual(['shifts.2.weekday']);
    const absences = await call('POST', '/technicians', admin.headers, {
      ...base,
      absences: [...base.absences, { startsAt: '2026-12-24T00:00:00+01:00', endsAt: '2026-12-28T00:00:00+01:00', reason: 'sickness' }],
    });
    expect(fieldsOf(absences.body)).toEqual(['absences.1.startsAt']);
    expect(await countOf('technicians')).toBe(before);

    const created = await call('POST', '/technicians', admin.headers, base);
    expect(created.status).toBe(201);
    expect(created.body.certifications.map((c: { name: string; current: boolean }) => [c.name, c.current])).toEqual([
      ['CCNA', true],
      ['Habilitation électrique B1V', false],
    ]);
    // Nothing half-written: new skills with an email already used are refused whole.
    const taken = await createTestAccount(db, 'technician');
    const takenEmail = (await db.selectFrom('technicians').select('email').where('id', '=', taken.technicianId!).executeTakeFirstOrThrow())
      .email;
    const clash = await call('PATCH', `/technicians/${created.body.id}`, admin.headers, {
      skills: [{ skill: 'servers', level: 5 }],
      email: takenEmail,
    });
    expect(clash.status).toBe(409);
    expect(fieldsOf(clash.body)).toEqual(['email']);
    const detail = await call('GET', `/technicians/${created.body.id}`, admin.headers);
    expect(detail.body.skills.map((s: { skill: string }) => s.skill)).toEqual(['network', 'printers']);
  });

  it("lets a client admin manage their own company's sites and contacts, and nothing of another company", async () => {
    const clientAdmin = await createTestAccount(db, 'client_admin', { clientId });
    const clientUser = await createTestAccount(db, 'client_user', { clientId });
    expect(
      (
        await call('POST', `/clients/${clientId}/contacts`, clientAdmin.headers, {
          firstName: 'Léa',
          lastName: 'Roux',
          email: `lea.${suffix}@martin.test`,
        })
      ).status,
    ).toBe(201);
    expect((await call('POST', `/clients/${other.clientId}/sites`, clientAdmin.headers, site)).status).toBe(404);
    expect((await call('PATCH', `/sites/${other.locationId}`, clientAdmin.headers, { name: 'Pris' })).status).toBe(404);
    expect((await call('PATCH', `/contacts/${other.contactId}`, clientAdmin.headers, { firstName: 'Pris' })).status).toBe(404);
    expect((await call('GET', `/clients/${other.clientId}`, clientAdmin.headers)).status).toBe(404);
    expect((await call('PATCH', `/clients/${clientId}`, clientAdmin.headers, { city: 'Lyon' })).status).toBe(403);
    expect((await call('POST', `/clients/${clientId}/sites`, clientUser.headers, site)).status).toBe(403);
    const own = await call('GET', `/clients/${clientId}`, clientAdmin.headers);
    expect(own.body.sites[0].hours).toHaveLength(1);

    // Row-level security itself: the client admin's scope does not see another company's hours.
    await db
      .insertInto('siteOpeningHours')
      .values({ locationId: other.locationId, weekday: 5, opensAt: '09:00', closesAt: '12:00' })
      .execute();
    const seen = await db.transaction().execute(async (trx) => {
      await enterScope(trx, { userId: clientAdmin.userId, role: 'client_admin', clientId, technicianId: null });
      return trx.selectFrom('siteOpeningHours').select('locationId').distinct().execute();
    });
    expect(seen.map((r) => r.locationId)).toEqual([locationId]);
    const write = db.transaction().execute(async (trx) => {
      await enterScope(trx, { userId: clientAdmin.userId, role: 'client_admin', clientId, technicianId: null });
      await trx.insertInto('siteClosures').values({ locationId: other.locationId, startsOn: '2026-01-01', endsOn: '2026-01-02' }).execute();
    });
    await expect(write).rejects.toThrow(/row-level security/);
  });

  it('invites a user by a one-time link; the link sets the password once; the user files a request that gets the new contract by default', async () => {
    const email = `paul.${suffix}@martin.test`;
    const created = await call('POST', '/users', admin.headers, {
      email,
      displayName: 'Paul Martin',
      role: 'client_user',
      clientId,
      sendInvitation: true,
    });
    expect(created.status).toBe(201);
    const messages = await db
      .selectFrom('outboundMessages')
      .select(['toAddresses', 'textBody'])
      .orderBy('createdAt', 'desc')
      .limit(50)
      .execute();
    const message = messages.find((m) => m.toAddresses.includes(email))!;
    const token = decodeURIComponent(/#token=([^\s]+)/.exec(message.textBody)![1]!);
    const weak = await call('POST', '/auth/account-link', {}, { token, password: 'short' });
    expect(weak.status).toBe(400);
    expect(fieldsOf(weak.body)).toEqual(['password']);
    const accepted = await call('POST', '/auth/account-link', {}, { token, password: 'pain-au-levain-2026' });
    expect(accepted).toEqual({ status: 200, body: { email } });
    expect((await call('POST', '/auth/account-link', {}, { token, password: 'pain-au-levain-2027' })).status).toBe(400);

    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'pain-au-levain-2026' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const user = { cookie, 'sec-fetch-site': 'same-origin' };
    const {
      contractId: _none,
      requesterContactId: _contact,
      ...body
    } = intakeBody({
      clientId,
      locationId,
      contractId: '',
      contactId: '',
      contactEmail: email,
    });
    const filed = await call('POST', '/requests', user, body);
    expect(filed.status).toBe(201);
    const request = await eventually(
      () => db.selectFrom('serviceRequests').selectAll().where('ticketNumber', '=', filed.body.ticketNumber).executeTakeFirst(),
      'the request row',
    );
    expect(request.contractId).toBe(contractId);
    // The new contract's targets for the request's priority, around the clock (24/7 coverage).
    const target = contract('').slaTargets.find((t) => t.priority === request.priority)!;
    const minutesTo = (due: Date | null) => (due!.getTime() - request.createdAt.getTime()) / 60_000;
    expect(minutesTo(request.responseDueAt)).toBeCloseTo(target.responseMinutes, -1);
    expect(minutesTo(request.resolutionDueAt)).toBeCloseTo(target.resolutionMinutes, -1);
    expect(new Date(filed.body.responseDueAt).getTime()).toBe(request.responseDueAt!.getTime());
  });

  it('lists the audit log by person, object and date', async () => {
    const byPerson = await call('GET', `/audit?actorUserId=${admin.userId}&limit=500`, admin.headers);
    expect(new Set(byPerson.body.items.map((e: { actorUserId: string }) => e.actorUserId))).toEqual(new Set([admin.userId]));
    const byObject = await call('GET', `/audit?entityType=contract&entityId=${contractId}`, admin.headers);
    expect(byObject.body.items).toHaveLength(1);
    expect(byObject.body.items[0].after.slaTargets).toHaveLength(4);
    const future = await call('GET', `/audit?from=${encodeURIComponent('2099-01-01T00:00:00Z')}`, admin.headers);
    expect(future.body.items).toEqual([]);
  });
});
