/**
 * The daily sums (kpi_daily, migration 0290) answer the dashboards exactly as the facts do: the
 * summary and the series of a company computed both ways agree (counts, rates, medians and p90s
 * read by rank equal; means up to the order of the additions), whatever the period's edges, and
 * they stay so when facts change or go. The visits' facts follow site_visits.
 */
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { insertHistoricalRequests, type HistoricalRequest, type HistoricalTransition } from '../../db/repositories/history.repository.js';
import {
  kpiDailyCreated,
  kpiSeriesFromDays,
  kpiSeriesFromFacts,
  kpiSummaryFromDays,
  kpiSummaryFromFacts,
  kpiTechnicians,
  rebuildKpiDaily,
  type KpiFilters,
} from '../../db/repositories/kpis.repository.js';
import { testDb } from '../../scripts/testing/env.js';
import { addTechnician, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import { refreshKpiFacts } from './kpi-refresh.js';

const MIN = 60_000;
const SERVICE_TYPES = ['hardware_repair', 'network_configuration', 'software_troubleshooting'] as const;
const PRIORITIES = ['P1', 'P2', 'P3'] as const;

/** A small deterministic generator (the same requests on every run). */
function generator(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
}

/** Requests of 2035 (a year no other test writes) for one company, many created or resolved near midnight. */
function history(client: TestClient, technicianId: string, count: number): HistoricalRequest[] {
  const next = generator(42);
  return Array.from({ length: count }, (_, i) => {
    const day = Date.UTC(2035, 2, 1) + next(60) * 86_400_000;
    // Hours 21:00–02:59 UTC half of the time: a UTC day that is the next Paris day.
    const created = new Date(day + (i % 2 ? 21 * 60 + next(360) : 7 * 60 + next(600)) * MIN);
    const plus = (min: number) => new Date(created.getTime() + min * MIN);
    const responded = 5 + next(600);
    const resolvedAfter = responded + 60 + next(4000);
    const cancelled = next(15) === 0;
    const t: HistoricalTransition[] = [{ at: created, from: 'new', to: 'analysis' }];
    if (next(4) === 0) {
      t.push(
        { at: plus(2), from: 'analysis', to: 'awaiting_client_info' },
        { at: plus(2 + next(300)), from: 'awaiting_client_info', to: 'analysis' },
      );
    }
    if (next(5) === 0) t.push({ at: plus(responded), from: 'analysis', to: 'specialist_review' });
    if (cancelled) t.push({ at: plus(responded + 1), from: 'analysis', to: 'cancelled' });
    else {
      t.push({ at: plus(resolvedAfter - 2), from: 'in_progress', to: 'awaiting_validation' });
      if (next(6) === 0) t.push({ at: plus(resolvedAfter - 1), from: 'awaiting_validation', to: 'awaiting_planning' });
      t.push({ at: plus(resolvedAfter), from: 'awaiting_validation', to: 'validated' });
      if (next(3)) t.push({ at: plus(resolvedAfter + 1), from: 'validated', to: 'survey' });
      t.push({ at: plus(resolvedAfter + 90), from: 'survey', to: 'closed' });
    }
    const visits = cancelled
      ? []
      : Array.from({ length: next(3) }, (_, v) => ({
          technicianId,
          checkedInAt: plus(resolvedAfter - 300 * (v + 1)),
          checkedOutAt: plus(resolvedAfter - 300 * (v + 1) + 30 + next(120)),
          travelMinutes: 10 + next(40),
        }));
    return {
      ticketNumber: `INT-2035-${String(randomInt(1e9)).padStart(9, '0')}`,
      clientId: client.clientId,
      locationId: client.locationId,
      contractId: client.contractId,
      assetId: null,
      serviceType: SERVICE_TYPES[next(3)]!,
      priority: PRIORITIES[next(3)]!,
      title: 'Panne',
      createdAt: created,
      firstResponseAt: plus(responded),
      resolvedAt: cancelled ? null : plus(resolvedAfter),
      closedAt: cancelled ? null : plus(resolvedAfter + 90),
      cancelledAt: cancelled ? plus(responded + 1) : null,
      responseDueAt: next(4) ? plus(30 + next(300)) : null,
      resolutionDueAt: next(4) ? plus(600 + next(3000)) : null,
      transitions: t,
      visits,
      survey: !cancelled && next(2) ? { rating: 1 + next(5), comment: null, at: plus(resolvedAfter + 60) } : null,
    };
  });
}

/** The summary without its means, and the means apart (sums added in another order). */
function split(summary: Awaited<ReturnType<typeof kpiSummaryFromFacts>>) {
  const means: number[] = [];
  const strip = (value: unknown, key = ''): unknown => {
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v, k)]));
    if (key === 'mean' && typeof value === 'number') {
      means.push(value);
      return 'mean';
    }
    return value;
  };
  return { exact: strip(summary), means };
}

describe('daily sums of the indicators (kpi_daily)', () => {
  let db: Kysely<DB>;
  let client: TestClient;
  let technicianId: string;
  const periods = [
    ['2035-03-01', '2035-05-01'],
    ['2035-03-10', '2035-03-24'],
    ['2035-04-02', '2035-04-03'],
  ] as const;
  const filtersOf = (from: string, to: string, extra: Partial<KpiFilters> = {}): KpiFilters => ({
    from: new Date(`${from}T00:00:00Z`),
    to: new Date(`${to}T00:00:00Z`),
    clientId: client.clientId,
    ...extra,
  });

  async function expectBothWaysEqual() {
    for (const [from, to] of periods) {
      for (const extra of [{}, { priority: 'P2' }, { serviceType: 'network_configuration', locationId: client.locationId }]) {
        const f = filtersOf(from, to, extra);
        const days = split(await kpiSummaryFromDays(db, f));
        const facts = split(await kpiSummaryFromFacts(db, f));
        expect(days.exact).toEqual(facts.exact);
        days.means.forEach((m, i) => expect(m).toBeCloseTo(facts.means[i]!, 9));
        for (const bucket of ['week', 'month'] as const) {
          expect(await kpiSeriesFromDays(db, f, bucket)).toEqual(await kpiSeriesFromFacts(db, f, bucket));
        }
      }
    }
  }

  beforeAll(async () => {
    db = testDb();
    client = await createTestClient(db);
    technicianId = (await addTechnician(db, { shift: { weekday: 2, startsAt: '08:00', endsAt: '17:00' } })).id;
    await insertHistoricalRequests(db, history(client, technicianId, 160));
    await refreshKpiFacts(db, { now: new Date('2035-09-01T00:00:00Z') });
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('gives the summary and the series of the facts, periods cut at any day', async () => {
    const all = await kpiSummaryFromDays(db, filtersOf('2035-01-01', '2036-01-01'));
    expect(all.created).toBe(160);
    expect(all.cancelled).toBeGreaterThan(0);
    await expectBothWaysEqual();
  });

  it('counts the requests created per Paris day as the facts do (the forecast)', async () => {
    const f = filtersOf('2035-03-01', '2035-05-01');
    const fromFacts = await sql<{ day: string; serviceType: string; count: number }>`
      select to_char(created_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as day, service_type, count(*)::int as count
        from kpi_request_facts where client_id = ${client.clientId} and created_at >= ${f.from} and created_at < ${f.to}
       group by 1, 2`.execute(db);
    const sort = (rows: Array<{ day: string; serviceType: string }>) =>
      [...rows].sort((a, b) => `${a.day}${a.serviceType}`.localeCompare(`${b.day}${b.serviceType}`));
    expect(sort(await kpiDailyCreated(db, f))).toEqual(sort(fromFacts.rows));
  });

  it('follows the facts when they change or go, and a rebuild finds the same sums', async () => {
    const ids = await db
      .selectFrom('kpiRequestFacts')
      .select('requestId')
      .where('clientId', '=', client.clientId)
      .orderBy('requestId')
      .execute();
    // A resolution moved to another day, a rating changed, a request's facts deleted.
    await sql`update kpi_request_facts set resolved_at = resolved_at + interval '3 days', rating = 1
               where request_id = ${ids[0]!.requestId} and resolved_at is not null`.execute(db);
    await db.deleteFrom('kpiRequestFacts').where('requestId', '=', ids[1]!.requestId).execute();
    await expectBothWaysEqual();
    const before = await sql`select * from kpi_daily where client_id = ${client.clientId} order by 1, 2, 3, 4, 5, 6`.execute(db);
    await rebuildKpiDaily(db);
    const after = await sql`select * from kpi_daily where client_id = ${client.clientId} order by 1, 2, 3, 4, 5, 6`.execute(db);
    expect(after.rows).toEqual(before.rows);
  });

  it("gives a technician's figures per day as per visit and request (kpi_daily_technicians)", async () => {
    for (const [from, to] of periods) {
      // This technician works for this company only: filtered by it, the figures come from each visit and request.
      const byDays = await kpiTechnicians(db, { ...filtersOf(from, to), clientId: undefined, technicianId });
      const byRows = await kpiTechnicians(db, { ...filtersOf(from, to), technicianId });
      expect(byDays).toEqual(byRows);
    }
    const year = await kpiTechnicians(db, { ...filtersOf('2035-01-01', '2036-01-01'), clientId: undefined, technicianId });
    expect(year[0]!.visits).toBeGreaterThan(10);
    expect(year[0]!.resolved).toBeGreaterThan(10);
  });

  it('keeps one row per on-site visit with its request, as site_visits has them', async () => {
    const visits = await sql<{ n: number; travel: number }>`
      select count(*)::int as n, coalesce(sum(a.travel_minutes), 0)::int as travel
        from site_visits v join service_requests r on r.id = v.request_id left join assignments a on a.id = v.assignment_id
       where r.client_id = ${client.clientId} and v.mode = 'on_site'`.execute(db);
    const facts = await sql<{ n: number; travel: number }>`
      select count(*)::int as n, coalesce(sum(travel_minutes), 0)::int as travel from kpi_visit_facts where client_id = ${client.clientId}`.execute(
      db,
    );
    expect(visits.rows[0]!.n).toBeGreaterThan(0);
    expect(facts.rows[0]).toEqual(visits.rows[0]);
  });
});
