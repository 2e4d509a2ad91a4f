/**
 * The indicator routes on the real app and PostgreSQL: past interventions of two companies
 * written to the read model, the facts refreshed by the activity's code, then every /api/kpis
 * route called as management, as each company's client_admin (row-level security: its company
 * only, for every route) and as a technician (own figures). The SQL summary must equal the pure
 * `summarize` of docs/kpis.md on the same facts.
 */
import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import type { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingActivities } from '../../activities/billing/billing.activities.js';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { sellerProfileFromConfig } from '../../activities/billing/seller-profile.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import { summarize, type FactRow } from '../../activities/reports/kpi.js';
import { refreshKpiFacts } from '../../activities/reports/kpi-refresh.js';
import type { DB } from '../../db/index.js';
import { insertHistoricalRequests, type HistoricalRequest, type HistoricalTransition } from '../../db/repositories/history.repository.js';
import { loadConfig } from '../../platform/config.js';
import { listen, TEST_RATE_LIMITS, testClient, testDb } from '../../scripts/testing/env.js';
import { addTechnician, createTestAccount, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import { enforceResponseSchemas } from '../../scripts/testing/response-check.js';
import { createApp } from '../app.js';

type Headers = Record<string, string>;
const at = (iso: string) => new Date(iso);
const MIN = 60_000;
const PERIOD = 'from=2033-03-01&to=2033-03-31';

/** A closed request of March 2033 (a year no other test writes), built from a few facts. */
function closed(
  client: TestClient,
  o: {
    created: string;
    respondedAfterMin: number;
    resolvedAfterMin: number;
    technicianId?: string;
    visits?: number;
    rejected?: boolean;
    escalated?: boolean;
    pauseMin?: number;
    rating?: number;
    responseDueAfterMin?: number;
    resolutionDueAfterMin?: number;
  },
): HistoricalRequest {
  const created = at(o.created);
  const plus = (min: number) => new Date(created.getTime() + min * MIN);
  const resolved = plus(o.resolvedAfterMin);
  const t: HistoricalTransition[] = [{ at: created, from: 'new', to: 'analysis' }];
  if (o.pauseMin) {
    t.push(
      { at: plus(1), from: 'analysis', to: 'awaiting_client_info' },
      { at: plus(1 + o.pauseMin), from: 'awaiting_client_info', to: 'analysis' },
    );
  }
  if (o.escalated) t.push({ at: plus(o.respondedAfterMin), from: 'analysis', to: 'specialist_review' });
  t.push({ at: new Date(resolved.getTime() - 2 * MIN), from: 'in_progress', to: 'awaiting_validation' });
  if (o.rejected) t.push({ at: new Date(resolved.getTime() - MIN), from: 'awaiting_validation', to: 'awaiting_planning' });
  t.push(
    { at: resolved, from: 'awaiting_validation', to: 'validated' },
    { at: plus(o.resolvedAfterMin + 1), from: 'validated', to: 'survey' },
  );
  t.push({ at: plus(o.resolvedAfterMin + 60), from: 'survey', to: 'closed' });
  const visits = Array.from({ length: o.visits ?? 0 }, (_, i) => ({
    technicianId: o.technicianId!,
    checkedInAt: new Date(resolved.getTime() - (i + 1) * 240 * MIN),
    checkedOutAt: new Date(resolved.getTime() - (i + 1) * 240 * MIN + 90 * MIN),
    travelMinutes: 25,
  }));
  return {
    ticketNumber: `INT-2033-${String(randomInt(1e9)).padStart(9, '0')}`,
    clientId: client.clientId,
    locationId: client.locationId,
    contractId: client.contractId,
    assetId: null,
    serviceType: 'hardware_repair',
    priority: 'P2',
    title: 'Poste en panne',
    createdAt: created,
    firstResponseAt: plus(o.respondedAfterMin),
    resolvedAt: resolved,
    closedAt: plus(o.resolvedAfterMin + 60),
    cancelledAt: null,
    responseDueAt: o.responseDueAfterMin === undefined ? null : plus(o.responseDueAfterMin),
    resolutionDueAt: o.resolutionDueAfterMin === undefined ? null : plus(o.resolutionDueAfterMin),
    transitions: t,
    visits,
    survey: o.rating ? { rating: o.rating, comment: null, at: plus(o.resolvedAfterMin + 60) } : null,
  };
}

describe('indicator routes', () => {
  let db: Kysely<DB>;
  let temporal: { client: Client; connection: Connection };
  let server: Server;
  let url: string;
  let alpha: TestClient;
  let beta: TestClient;
  let admin: Headers;
  let alphaAdmin: Headers;
  let betaAdmin: Headers;
  let technician: { headers: Headers; technicianId: string };
  let otherTechnicianId: string;
  const tickets: Record<'alpha' | 'beta', string[]> = { alpha: [], beta: [] };

  beforeAll(async () => {
    db = testDb();
    alpha = await createTestClient(db);
    beta = await createTestClient(db, { coverage: '24_7' });
    const account = await createTestAccount(db, 'technician');
    technician = { headers: account.headers, technicianId: account.technicianId! };
    otherTechnicianId = (await addTechnician(db, { shift: { weekday: 1, startsAt: '08:00', endsAt: '17:00' } })).id;
    const mine = technician.technicianId;
    const alphaRequests = [
      // Friday 4 March 2033 16:00Z → answered Monday, a one-hour pause, one visit, rated 5.
      closed(alpha, {
        created: '2033-03-04T16:00:00Z',
        respondedAfterMin: 3870,
        resolvedAfterMin: 5760,
        pauseMin: 60,
        visits: 1,
        technicianId: mine,
        rating: 5,
        responseDueAfterMin: 4000,
        resolutionDueAfterMin: 5000,
      }),
      // Reopened: rejected at validation, two visits, rated 2.
      closed(alpha, {
        created: '2033-03-08T08:00:00Z',
        respondedAfterMin: 30,
        resolvedAfterMin: 3120,
        visits: 2,
        technicianId: mine,
        rejected: true,
        rating: 2,
        responseDueAfterMin: 15,
        resolutionDueAfterMin: 4000,
      }),
      // Escalated, solved remotely, survey unanswered.
      closed(alpha, { created: '2033-03-10T09:00:00Z', respondedAfterMin: 60, resolvedAfterMin: 600, escalated: true }),
    ];
    const betaRequests = [
      closed(beta, {
        created: '2033-03-15T09:00:00Z',
        respondedAfterMin: 10,
        resolvedAfterMin: 200,
        visits: 1,
        technicianId: otherTechnicianId,
        rating: 4,
      }),
      closed(beta, { created: '2033-03-16T09:00:00Z', respondedAfterMin: 20, resolvedAfterMin: 300, rating: 1 }),
    ];
    await insertHistoricalRequests(db, [...alphaRequests, ...betaRequests]);
    tickets.alpha = alphaRequests.map((r) => r.ticketNumber);
    tickets.beta = betaRequests.map((r) => r.ticketNumber);
    await refreshKpiFacts(db, { now: at('2033-06-01T00:00:00Z') });

    // One invoice per company in March 2033, for the finance route.
    const mailer = createMailer({ db, from: 'facturation@msp.test' });
    const billing = createBillingActivities({
      db,
      mailer,
      seller: sellerProfileFromConfig(loadConfig({})),
      financeEmail: 'compta@msp.test',
      now: () => at('2033-03-20T10:00:00Z'),
    });
    await billing.issueInvoice(await createClosedIntervention(db, alpha, { visits: [{ minutes: 60 }] }));
    await billing.issueInvoice(await createClosedIntervention(db, beta, { visits: [{ minutes: 30 }] }));

    admin = (await createTestAccount(db, 'admin')).headers;
    alphaAdmin = (await createTestAccount(db, 'client_admin', { clientId: alpha.clientId })).headers;
    betaAdmin = (await createTestAccount(db, 'client_admin', { clientId: beta.clientId })).headers;
    temporal = await testClient();
    ({ server, url } = await listen(
      createApp({ db, temporal: temporal.client, log: () => {}, rateLimit: TEST_RATE_LIMITS, checkResponses: enforceResponseSchemas }),
    ));
  });

  afterAll(async () => {
    server?.close();
    await temporal?.connection.close();
    await db?.destroy();
  });

  const get = async <T = any>(path: string, as: Headers): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${url}${path}`, { headers: as });
    return { status: response.status, body: (await response.json()) as T };
  };

  it('computes in SQL exactly the pure summary of docs/kpis.md', async () => {
    const { body } = await get(`/api/kpis/summary?${PERIOD}&clientId=${alpha.clientId}`, admin);
    const facts = await db.selectFrom('kpiRequestFacts').selectAll().where('clientId', '=', alpha.clientId).execute();
    const rows: FactRow[] = facts.map((f) => ({ ...f, rating: f.rating === null ? null : Number(f.rating) }));
    const pure = summarize(rows, { from: at('2033-03-01T00:00:00Z'), to: at('2033-04-01T00:00:00Z') });
    const { period: _period, backlog: _backlog, ...sqlSummary } = body;
    expect(sqlSummary).toEqual(JSON.parse(JSON.stringify(pure)));
    // Spot checks against the requests as built: 3 created, 1 escalated, one first-time fix, ratings 5 and 2.
    expect(body.created).toBe(3);
    expect(body.escalation.numerator).toBe(1);
    expect(body.firstTimeFix).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
    expect(body.satisfaction.mean).toBe(3.5);
    expect(body.slaResponse).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(body.slaResolution).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    // 3870 min of wall clock from Friday 17:00 Paris is 90 business minutes.
    expect(body.firstResponse.business.count).toBe(3);
  });

  it('shows management both companies, and drills down to the requests behind a figure', async () => {
    const all = await get(`/api/kpis/summary?${PERIOD}`, admin);
    expect(all.body.created).toBeGreaterThanOrEqual(5);
    const low = await get(`/api/kpis/requests?${PERIOD}&measure=low_rating`, admin);
    expect(low.status).toBe(200);
    const lowTickets = low.body.items.map((i: { ticketNumber: string }) => i.ticketNumber);
    expect(lowTickets).toEqual(expect.arrayContaining([tickets.alpha[1], tickets.beta[1]]));
    const notFtf = await get(`/api/kpis/requests?${PERIOD}&measure=not_first_time_fix&clientId=${alpha.clientId}`, admin);
    expect(notFtf.body.items.map((i: { ticketNumber: string }) => i.ticketNumber)).toEqual([tickets.alpha[1]]);
  });

  const CLIENT_ROUTES = ['summary', 'series', 'requests', 'recurring', 'finance'] as const;
  const path = (r: (typeof CLIENT_ROUTES)[number], extra = '') =>
    `/api/kpis/${r}?${PERIOD}${r === 'requests' ? '&measure=created' : ''}${extra}`;

  it.each(CLIENT_ROUTES)('holds a client_admin to its own company on /api/kpis/%s (row-level security)', async (r) => {
    for (const [as, own, other] of [
      [alphaAdmin, alpha, beta],
      [betaAdmin, beta, alpha],
    ] as const) {
      const mine = await get(path(r), as);
      expect(mine.status).toBe(200);
      const text = JSON.stringify(mine.body);
      expect(text).not.toContain(other.clientId);
      for (const ticket of own === alpha ? tickets.beta : tickets.alpha) expect(text).not.toContain(ticket);
      const forbidden = await get(path(r, `&clientId=${other.clientId}`), as);
      expect(forbidden.status).toBe(403);
    }
    // What each sees is its own company's figures, as management sees them filtered.
    const scoped = await get(path(r), alphaAdmin);
    const managed = await get(path(r, `&clientId=${alpha.clientId}`), admin);
    expect(scoped.body).toEqual(managed.body);
  });

  it('gives the client_admin its own numbers (alpha: 3 requests, beta: 2) and no technicians route', async () => {
    expect((await get(`/api/kpis/summary?${PERIOD}`, alphaAdmin)).body.created).toBe(3);
    expect((await get(`/api/kpis/summary?${PERIOD}`, betaAdmin)).body.created).toBe(2);
    expect((await get(`/api/kpis/requests?${PERIOD}&measure=created`, betaAdmin)).body.items).toHaveLength(2);
    expect((await get(`/api/kpis/finance?${PERIOD}`, alphaAdmin)).body.items).toHaveLength(1);
    expect((await get(`/api/kpis/technicians?${PERIOD}`, alphaAdmin)).status).toBe(403);
  });

  it('gives a technician their own figures only', async () => {
    const { body } = await get(`/api/kpis/technicians?${PERIOD}`, technician.headers);
    expect(body.items).toHaveLength(1);
    // Three visits of 90 min with 25 min of travel each; two requests resolved, the first a first-time fix.
    expect(body.items[0]).toMatchObject({
      technicianId: technician.technicianId,
      visits: 3,
      onSiteHours: 4.5,
      travelHours: 1.25,
      resolved: 2,
    });
    expect(body.items[0].firstTimeFixRate).toBe(0.5);
    expect(body.items[0].meanRating).toBe(3.5);
    expect((await get(`/api/kpis/technicians?${PERIOD}&technicianId=${otherTechnicianId}`, technician.headers)).status).toBe(403);
    const summary = await get(`/api/kpis/summary?${PERIOD}`, technician.headers);
    expect(summary.body.created).toBe(2);
    const managed = await get(`/api/kpis/technicians?${PERIOD}`, admin);
    expect(managed.body.items.map((i: { technicianId: string }) => i.technicianId)).toEqual(
      expect.arrayContaining([technician.technicianId, otherTechnicianId]),
    );
  });

  it('forecasts 8 weeks per service type with an 80 % interval and the technicians capacity', async () => {
    const { status, body } = await get('/api/kpis/forecast', admin);
    expect(status).toBe(200);
    expect(body.weeks).toHaveLength(8);
    expect(body.byServiceType).toHaveLength(6);
    for (const w of body.weeks) expect(w.low <= w.expected && w.expected <= w.high).toBe(true);
    expect(body.weeks[0].capacityHours).toBeGreaterThan(0);
    expect((await get('/api/kpis/forecast', alphaAdmin)).status).toBe(403);
  });

  it('counts the backlog live: requests opened since the last refresh are in it at once, per company and technician', async () => {
    const gamma = await createTestClient(db);
    const gammaAdmin = (await createTestAccount(db, 'client_admin', { clientId: gamma.clientId })).headers;
    const now = Date.now();
    const open = (createdAgoMin: number, to: HistoricalTransition['to'], extra: Partial<HistoricalRequest> = {}): HistoricalRequest => ({
      ticketNumber: `INT-2026-${String(randomInt(1e9)).padStart(9, '0')}`,
      clientId: gamma.clientId,
      locationId: gamma.locationId,
      contractId: gamma.contractId,
      assetId: null,
      serviceType: 'network_configuration',
      priority: 'P2',
      title: 'Réseau coupé',
      createdAt: new Date(now - createdAgoMin * MIN),
      firstResponseAt: null,
      resolvedAt: null,
      closedAt: null,
      cancelledAt: null,
      responseDueAt: null,
      resolutionDueAt: null,
      transitions: [{ at: new Date(now - createdAgoMin * MIN), from: 'new', to }],
      visits: [],
      survey: null,
      ...extra,
    });
    // Opened an hour ago; opened two days ago, visited by the technician, resolution due yesterday.
    await insertHistoricalRequests(db, [
      open(60, 'analysis'),
      open(2 * 1440, 'awaiting_planning', {
        firstResponseAt: new Date(now - 2 * 1440 * MIN + 30 * MIN),
        resolutionDueAt: new Date(now - 1440 * MIN),
        visits: [
          {
            technicianId: technician.technicianId,
            checkedInAt: new Date(now - 1440 * MIN - 120 * MIN),
            checkedOutAt: new Date(now - 1440 * MIN - 30 * MIN),
            travelMinutes: 20,
          },
        ],
      }),
    ]);
    // No refresh: the facts do not know these requests yet.
    const expected = [
      { status: 'analysis', age: 'lt_1d', count: 1, breached: 0, atRisk: 0 },
      { status: 'awaiting_planning', age: '1_3d', count: 1, breached: 1, atRisk: 0 },
    ];
    expect((await get(`/api/kpis/summary?clientId=${gamma.clientId}`, admin)).body.backlog).toEqual(expected);
    expect((await get('/api/kpis/summary', gammaAdmin)).body.backlog).toEqual(expected);
    // Beta's admin sees beta's open requests only (its invoiced-to-be intervention), none of gamma's.
    const betaBacklog = (await get('/api/kpis/summary', betaAdmin)).body.backlog;
    expect(betaBacklog).toEqual((await get(`/api/kpis/summary?clientId=${beta.clientId}`, admin)).body.backlog);
    expect(betaBacklog).not.toContainEqual(expected[0]);
    expect(betaBacklog).not.toContainEqual(expected[1]);
    expect((await get(`/api/kpis/summary?clientId=${gamma.clientId}&serviceType=hardware_repair`, admin)).body.backlog).toEqual([]);
    expect((await get('/api/kpis/summary', technician.headers)).body.backlog).toEqual([expected[1]]);
  });

  it('refuses a bad filter naming the field', async () => {
    const response = await get(`/api/kpis/summary?from=2033-13-01`, admin);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('query.from');
    const measure = await get(`/api/kpis/requests?${PERIOD}&measure=everything`, admin);
    expect(measure.status).toBe(400);
    expect(JSON.stringify(measure.body)).toContain('measure');
  });

  it('leaves unchanged requests alone on the next refresh (other tests may add requests meanwhile)', async () => {
    const stamps = () =>
      db
        .selectFrom('kpiRequestFacts')
        .select(['requestId', 'refreshedAt'])
        .where('clientId', 'in', [alpha.clientId, beta.clientId])
        .execute();
    await refreshKpiFacts(db, { now: at('2033-06-02T00:00:00Z') });
    const before = await stamps();
    await refreshKpiFacts(db, { now: at('2033-06-03T00:00:00Z') });
    expect(await stamps()).toEqual(before);
    expect(before.every((r) => r.refreshedAt < at('2033-06-03T00:00:00Z'))).toBe(true);
  });
});
