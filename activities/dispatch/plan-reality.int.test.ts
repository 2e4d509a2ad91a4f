/**
 * A generated week on the real database: sites with opening hours (split, continuous, Saturday
 * only) and closures, a contract requiring a client's security vetting, technicians whose
 * certifications expire mid-week. Each day is planned the way the daily-plan activity does it
 * (loaders, the day's problem with its windows, travel, the optimizer), then checked by the
 * independent checker against the raw rows: no visit outside its site's opening hours or on a
 * closure day, no technician without a certification valid that day; 0 violations every day.
 * The week includes the spring-forward Sunday (30 March 2031).
 */
import { DateTime } from 'luxon';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { maxIterations, maxRuntime, anyOf, solve } from '../../optimizer/index.js';
import { checkPlan, checkReality, type HeldCertification } from '../../optimizer/testing/dispatch-check.js';
import { testDb } from '../../scripts/testing/env.js';
import { addPlannableRequest, addTechnician, createTestClient } from '../../scripts/testing/fixtures.js';
import type { ServiceType } from '../../workflows/intervention/intervention.vocabulary.js';
import { loadDay } from './day-loaders.js';
import { buildDayProblem, PLAN_TIMEZONE } from './day-problem.js';
import { dayTravel } from './day-travel.js';
import { describePlan } from './plan-presenter.js';

const WEEK = ['2031-03-24', '2031-03-25', '2031-03-26', '2031-03-27', '2031-03-28', '2031-03-29', '2031-03-30'];

/** Small seeded generator (mulberry32): the same week every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The checker's own reading of the raw rows: minutes after Paris midnight of `date`, DST included. */
function minutesOf(date: string, time: string): number {
  const midnight = DateTime.fromISO(date, { zone: PLAN_TIMEZONE }).startOf('day');
  const at = DateTime.fromISO(`${date}T${time.slice(0, 5)}`, { zone: PLAN_TIMEZONE });
  return at.diff(midnight, 'minutes').minutes;
}

async function rawFacts(db: Kysely<DB>, date: string, visitIds: string[], technicianIds: string[]) {
  const requests = visitIds.length
    ? await db.selectFrom('serviceRequests').select(['id', 'locationId', 'contractId', 'serviceType']).where('id', 'in', visitIds).execute()
    : [];
  const locationIds = [...new Set(requests.map((r) => r.locationId))];
  const contractIds = [...new Set(requests.flatMap((r) => (r.contractId ? [r.contractId] : [])))];
  const [hours, closures, contracts, serviceTypes, held] = await Promise.all([
    locationIds.length ? db.selectFrom('siteOpeningHours').selectAll().where('locationId', 'in', locationIds).execute() : [],
    locationIds.length ? db.selectFrom('siteClosures').selectAll().where('locationId', 'in', locationIds).execute() : [],
    contractIds.length ? db.selectFrom('contracts').select(['id', 'requiredCertifications']).where('id', 'in', contractIds).execute() : [],
    db.selectFrom('serviceTypeRequirements').selectAll().execute(),
    technicianIds.length ? db.selectFrom('technicianCertifications').selectAll().where('technicianId', 'in', technicianIds).execute() : [],
  ]);
  const weekday = DateTime.fromISO(date).weekday;
  const openRanges = new Map<string, { start: number; end: number }[]>();
  const requiredCertifications = new Map<string, string[]>();
  for (const r of requests) {
    const siteHours = hours.filter((h) => h.locationId === r.locationId);
    const closed = closures.some((c) => c.locationId === r.locationId && c.startsOn <= date && date <= c.endsOn);
    if (closed) openRanges.set(r.id, []);
    else if (siteHours.length > 0)
      openRanges.set(
        r.id,
        siteHours
          .filter((h) => h.weekday === weekday)
          .map((h) => ({ start: minutesOf(date, h.opensAt), end: minutesOf(date, h.closesAt) })),
      );
    const needs = [
      ...(serviceTypes.find((s) => s.serviceType === r.serviceType)?.requiredCertifications ?? []),
      ...(contracts.find((c) => c.id === r.contractId)?.requiredCertifications ?? []),
    ];
    if (needs.length) requiredCertifications.set(r.id, needs);
  }
  const heldCertifications = new Map<string, HeldCertification[]>();
  for (const c of held) heldCertifications.set(c.technicianId, [...(heldCertifications.get(c.technicianId) ?? []), c]);
  return { day: date, openRanges, requiredCertifications, heldCertifications };
}

describe('plans that respect reality over a generated week', () => {
  let db: Kysely<DB>;
  const suffix = Math.random().toString(36).slice(2, 8);
  const VETTING = `Habilitation sécurité ${suffix}`;
  const mine = new Map<string, { ticket: string; kind: string; vetted: boolean }>();
  let closedOnWednesday = '';

  beforeAll(async () => {
    db = testDb();
    const r = rng(14);
    const vetted = await createTestClient(db);
    const plain = await createTestClient(db);
    const contract = await db
      .insertInto('contracts')
      .values({
        clientId: vetted.clientId,
        reference: `VET-${suffix}`,
        name: 'Contrat sécurisé',
        kind: 'standard',
        coverage: 'business_hours',
        startsOn: '2030-01-01',
        hourlyRateCents: 9000,
        includedHoursPerMonth: 0,
        requiredCertifications: [VETTING],
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // Eight technicians working Monday to Saturday, around Paris.
    const skills = { hardware_repair: 4, network_configuration: 3, software_troubleshooting: 3, hardware_upgrade: 3 };
    const techs: string[] = [];
    for (let i = 0; i < 8; i++) {
      const t = await addTechnician(db, {
        firstName: `Semaine${i}`,
        latitude: 48.82 + r() * 0.1,
        longitude: 2.25 + r() * 0.2,
        skills,
        shift: { weekday: 1, startsAt: '08:00', endsAt: '17:30' },
      });
      await db
        .insertInto('technicianShifts')
        .values(
          [2, 3, 4, 5, 6].map((weekday) => ({
            technicianId: t.id,
            weekday,
            startsAt: '08:00',
            endsAt: '17:30',
            lunchEarliest: '12:00',
            lunchLatest: '14:00',
            lunchMinutes: 45,
          })),
        )
        .execute();
      techs.push(t.id);
    }
    // The client's vetting: one technician for good, one whose vetting lapses on Thursday 27 March.
    await db
      .insertInto('technicianCertifications')
      .values([
        { technicianId: techs[2]!, name: VETTING, issuer: 'Client', obtainedOn: '2030-09-01', expiresOn: null },
        { technicianId: techs[3]!, name: VETTING, issuer: 'Client', obtainedOn: '2030-09-01', expiresOn: '2031-03-27' },
      ])
      .execute();

    // Sites: office hours with a lunch closure, continuous hours, Saturday mornings only, none recorded.
    const calendars: Array<{ kind: string; hours: Array<[number, string, string]> }> = [
      {
        kind: 'split',
        hours: [1, 2, 3, 4, 5].flatMap((d): Array<[number, string, string]> => [
          [d, '08:30', '12:00'],
          [d, '14:00', '18:00'],
        ]),
      },
      { kind: 'continuous', hours: [1, 2, 3, 4, 5, 6].map((d): [number, string, string] => [d, '09:00', '17:00']) },
      { kind: 'saturday', hours: [[6, '08:00', '12:30']] },
      { kind: 'none', hours: [] },
    ];
    const types: ServiceType[] = ['hardware_repair', 'network_configuration', 'software_troubleshooting', 'hardware_upgrade'];
    for (let i = 0; i < 24; i++) {
      const isVetted = i % 4 === 0;
      const calendar = calendars[i % calendars.length]!;
      const request = await addPlannableRequest(db, {
        clientId: isVetted ? vetted.clientId : plain.clientId,
        serviceType: types[Math.floor(r() * types.length)]!,
        priority: i % 8 === 1 ? 'P1' : (['P2', 'P3', 'P4'] as const)[Math.floor(r() * 3)]!,
        lat: 48.8 + r() * 0.15,
        lon: 2.22 + r() * 0.25,
        siteName: `Site ${calendar.kind} ${i} ${suffix}`,
      });
      const { locationId } = await db
        .selectFrom('serviceRequests')
        .select('locationId')
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow();
      if (isVetted) await db.updateTable('serviceRequests').set({ contractId: contract.id }).where('id', '=', request.id).execute();
      if (calendar.hours.length)
        await db
          .insertInto('siteOpeningHours')
          .values(calendar.hours.map(([weekday, opensAt, closesAt]) => ({ locationId, weekday, opensAt, closesAt })))
          .execute();
      if (i === 4) {
        await db
          .insertInto('siteClosures')
          .values({ locationId, startsOn: '2031-03-26', endsOn: '2031-03-26', reason: 'Inventaire' })
          .execute();
        closedOnWednesday = request.id;
      }
      mine.set(request.id, { ticket: request.ticketNumber, kind: calendar.kind, vetted: isVetted });
    }
  });

  afterAll(async () => {
    // The week's requests leave planning, so that no other test's day plans them.
    if (mine.size)
      await db
        .updateTable('serviceRequests')
        .set({ status: 'cancelled' })
        .where('id', 'in', [...mine.keys()])
        .execute();
    await db.destroy();
  });

  it('plans each day with 0 violations of opening hours, closures and valid certifications', async () => {
    let plannedOfMine = 0;
    let vettedPlanned = 0;
    for (const date of WEEK) {
      const { technicians, requests } = await loadDay(db, date);
      const day = buildDayProblem(date, technicians, requests);
      const { travel } = await dayTravel(day.problem);
      const result = await solve(day.problem, { seed: 3, travel, stop: anyOf(maxIterations(30_000), maxRuntime(2_000)) });
      const facts = await rawFacts(
        db,
        date,
        day.problem.visits.map((v) => v.id),
        day.problem.technicians.map((t) => t.id),
      );
      const violations = [...checkPlan(day.problem, result, travel), ...checkReality(result, facts)];
      expect({ date, violations }).toEqual({ date, violations: [] });

      const plan = describePlan(date, technicians, requests, result, new Set(), day.closed);
      const planned = new Map(plan.routes.flatMap((route) => route.stops.map((s) => [s.requestId, { route, stop: s }] as const)));
      const unassigned = new Map(plan.unassigned.map((u) => [u.requestId, u]));
      plannedOfMine += [...mine.keys()].filter((id) => planned.has(id)).length;
      vettedPlanned += [...mine].filter(([id, m]) => m.vetted && planned.has(id)).length;
      const weekday = DateTime.fromISO(date).weekday;
      for (const [id, m] of mine) {
        const closedThatDay =
          m.kind !== 'none' &&
          (weekday === 7 ||
            (m.kind === 'split' && weekday === 6) ||
            (m.kind === 'saturday' && weekday !== 6) ||
            (id === closedOnWednesday && date === '2031-03-26'));
        if (closedThatDay) {
          // Never planned on a day its site is closed, and the dispatcher reads why.
          expect(planned.has(id)).toBe(false);
          expect(['SITE_CLOSED', 'CLOSED_THAT_WEEKDAY']).toContain(unassigned.get(id)?.reason);
        }
        if (m.vetted && planned.has(id)) {
          const holder = planned.get(id)!.route.technicianId;
          const held = facts.heldCertifications.get(holder) ?? [];
          expect(held.some((c) => c.name === VETTING && (c.expiresOn === null || c.expiresOn > date))).toBe(true);
        }
      }
      if (date === '2031-03-26')
        expect(unassigned.get(closedOnWednesday)?.message.fr).toBe('Le site est fermé le mercredi 26 mars 2031 (Inventaire).');
    }
    // The check is not vacuous: the week plans most of the visits, the vetted ones included.
    expect(plannedOfMine).toBeGreaterThan(WEEK.length * 5);
    expect(vettedPlanned).toBeGreaterThan(0);
  }, 120_000);

  it('adds a service type’s requirements to the contract’s (seen inside a transaction rolled back: the table is platform-wide)', async () => {
    const NEED = `Habilitation électrique BR ${suffix}`;
    const rollback = new Error('rollback');
    await expect(
      db.transaction().execute(async (trx) => {
        for (const serviceType of ['hardware_repair', 'network_configuration', 'software_troubleshooting', 'hardware_upgrade'])
          await trx
            .insertInto('serviceTypeRequirements')
            .values({ serviceType, requiredCertifications: [NEED] })
            .onConflict((oc) => oc.column('serviceType').doUpdateSet({ requiredCertifications: [NEED] }))
            .execute();
        const { requests } = await loadDay(trx, WEEK[0]!);
        for (const [id, m] of mine) {
          const r = requests.find((x) => x.requestId === id)!;
          expect([...(r.requiredCertifications ?? [])].sort()).toEqual(m.vetted ? [NEED, VETTING].sort() : [NEED]);
        }
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    const left = await db.selectFrom('serviceTypeRequirements').select('requiredCertifications').execute();
    expect(left.flatMap((r) => r.requiredCertifications)).not.toContain(NEED);
  });
});
