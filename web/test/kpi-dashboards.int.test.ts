/**
 * The three dashboards in chromium, against the real API and PostgreSQL: a client company of
 * this file's own with four past requests of September 2025 (written to the read model, their
 * facts refreshed by the activity's code) and an invoice of that month, then
 * - management (admin) filtered to that company: figures equal to /api/kpis/summary, the volume
 *   table view equal to /api/kpis/series, its CSV downloaded, a figure drilled down to its
 *   requests, the technicians, finance and 8-week forecast panels;
 * - the company's admin: its own figures (no client filter), its invoices as CSV, its recurring
 *   problem;
 * - the technician: their own visits and hours, as a table and a CSV.
 * Every screen passes axe at 360 and 1280 px and is written as a screenshot (SCREENSHOT_DIR).
 */
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingActivities } from '../../activities/billing/billing.activities.js';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import { refreshKpiFacts } from '../../activities/reports/kpi-refresh.js';
import type { DB } from '../../db/index.js';
import { insertHistoricalRequests, type HistoricalRequest, type HistoricalTransition } from '../../db/repositories/history.repository.js';
import { buildWeb } from '../../scripts/build-web.js';
import { startTestPlatform, testFinanceEmail, testSeller, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestClient, type TestRole } from '../../scripts/testing/fixtures.js';
import { checkPageAtWidths, launchChromium } from './axe.js';

/** This file's period: a month no other browser test writes requests in, and long enough ago for the 30-day recurrence to be settled. */
const FROM = '2025-09-01';
const TO = '2025-09-30';
const PERIOD = `from=${FROM}&to=${TO}`;
const MIN = 60_000;

/** A request of September 2025, resolved (validated by the client), surveyed and closed. */
function pastRequest(
  client: TestClient,
  o: {
    created: string;
    respondedAfterMin: number;
    resolvedAfterMin: number;
    technicianId: string;
    visits: number;
    rating?: number;
    escalated?: boolean;
    responseDueAfterMin: number;
    resolutionDueAfterMin: number;
  },
): HistoricalRequest {
  const created = new Date(o.created);
  const plus = (min: number) => new Date(created.getTime() + min * MIN);
  const resolved = plus(o.resolvedAfterMin);
  const transitions: HistoricalTransition[] = [{ at: created, from: 'new', to: 'analysis' }];
  if (o.escalated) transitions.push({ at: plus(o.respondedAfterMin), from: 'analysis', to: 'specialist_review' });
  transitions.push(
    { at: new Date(resolved.getTime() - 2 * MIN), from: 'in_progress', to: 'awaiting_validation' },
    { at: resolved, from: 'awaiting_validation', to: 'validated' },
    { at: plus(o.resolvedAfterMin + 1), from: 'validated', to: 'survey' },
    { at: plus(o.resolvedAfterMin + 60), from: 'survey', to: 'closed' },
  );
  return {
    ticketNumber: `INT-2025-${String(randomInt(1e9)).padStart(9, '0')}`,
    clientId: client.clientId,
    locationId: client.locationId,
    contractId: client.contractId,
    assetId: null,
    serviceType: 'hardware_repair',
    priority: 'P2',
    title: 'Imprimante du 2e étage en panne',
    createdAt: created,
    firstResponseAt: plus(o.respondedAfterMin),
    resolvedAt: resolved,
    closedAt: plus(o.resolvedAfterMin + 60),
    cancelledAt: null,
    responseDueAt: plus(o.responseDueAfterMin),
    resolutionDueAt: plus(o.resolutionDueAfterMin),
    transitions,
    visits: Array.from({ length: o.visits }, (_, i) => ({
      technicianId: o.technicianId,
      checkedInAt: new Date(resolved.getTime() - (i + 1) * 240 * MIN),
      checkedOutAt: new Date(resolved.getTime() - (i + 1) * 240 * MIN + 90 * MIN),
      travelMinutes: 25,
    })),
    survey: o.rating ? { rating: o.rating, comment: null, at: plus(o.resolvedAfterMin + 60) } : null,
  };
}

describe('KPI dashboards in chromium', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let browser: Browser;
  let mine: TestClient;
  let technicianId: string;
  let technicianName: string;
  let requests: HistoricalRequest[];
  const contexts: BrowserContext[] = [];

  async function signedInAs(role: TestRole, scope: { clientId?: string; technicianId?: string } = {}): Promise<Page> {
    const account = await createTestAccount(db, role, scope);
    const sid = /sid=([^;]+)/.exec(account.headers.cookie ?? '')![1]!;
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'sid', value: sid, url }]);
    contexts.push(context);
    return context.newPage();
  }

  /** The API's answer to the page's own session (same cookie, so the same row-level scope). */
  async function api<T>(page: Page, path: string): Promise<T> {
    const response = await page.context().request.get(`${url}${path}`);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as T;
  }

  /** Downloads a panel's CSV; returns its file name and lines (BOM removed). */
  async function downloadCsv(page: Page, testId: string): Promise<{ name: string; lines: string[] }> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
    const text = await readFile(await download.path(), 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    return { name: download.suggestedFilename(), lines: text.slice(1).split('\r\n').filter(Boolean) };
  }

  const figure = async (page: Page, id: string) => page.getByTestId(`figure-${id}`).getAttribute('data-value');
  const asValue = (x: number | null) => (x === null ? '' : String(x));

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { webRoot: await buildWeb({ minify: false }), log: () => {} }, worker: false });
    ({ db, url } = platform);
    mine = await createTestClient(db);
    const technician = await createTestAccount(db, 'technician');
    technicianId = technician.technicianId!;
    const row = await db
      .selectFrom('technicians')
      .select(['firstName', 'lastName'])
      .where('id', '=', technicianId)
      .executeTakeFirstOrThrow();
    technicianName = `${row.firstName} ${row.lastName}`;
    requests = [
      // Answered in time, one visit, rated 5.
      pastRequest(mine, {
        created: '2025-09-02T08:00:00Z',
        respondedAfterMin: 30,
        resolvedAfterMin: 1440,
        technicianId,
        visits: 1,
        rating: 5,
        responseDueAfterMin: 60,
        resolutionDueAfterMin: 2880,
      }),
      // The same site and service type again within 30 days: a recurrence of the first. Late, two visits, rated 2.
      pastRequest(mine, {
        created: '2025-09-09T08:00:00Z',
        respondedAfterMin: 120,
        resolvedAfterMin: 4320,
        technicianId,
        visits: 2,
        rating: 2,
        responseDueAfterMin: 60,
        resolutionDueAfterMin: 2880,
      }),
      // Escalated, one visit, rated 4.
      pastRequest(mine, {
        created: '2025-09-16T09:00:00Z',
        respondedAfterMin: 20,
        resolvedAfterMin: 2000,
        technicianId,
        visits: 1,
        rating: 4,
        escalated: true,
        responseDueAfterMin: 60,
        resolutionDueAfterMin: 2880,
      }),
    ];
    await insertHistoricalRequests(db, requests);
    await refreshKpiFacts(db);
    const billing = createBillingActivities({
      db,
      mailer: createMailer({ db, from: 'facturation@msp.test' }),
      seller: testSeller(),
      financeEmail: testFinanceEmail(),
      now: () => new Date('2025-09-20T10:00:00Z'),
    });
    await billing.issueInvoice(await createClosedIntervention(db, mine, { visits: [{ minutes: 60, at: '2025-09-18T08:30:00Z' }] }));
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await platform?.stop();
  });

  type Summary = {
    created: number;
    closed: number;
    slaResponse: { rate: number | null };
    slaResolution: { rate: number | null };
    firstTimeFix: { rate: number | null };
    recurrence: { rate: number | null };
    satisfaction: { mean: number | null };
    resolution: { business: { median: number | null } };
  };
  type Series = { items: Array<{ period: string; created: number; resolved: number }> };

  /** The figures on the page are the API's (same filters, same session). */
  async function expectFiguresOf(page: Page, query: string) {
    const s = await api<Summary>(page, `/api/kpis/summary?${query}`);
    expect(s.created).toBe(3);
    expect(await figure(page, 'created')).toBe(String(s.created));
    expect(await figure(page, 'closed')).toBe(String(s.closed));
    expect(await figure(page, 'sla-resolution')).toBe(asValue(s.slaResolution.rate));
    expect(await figure(page, 'first-time-fix')).toBe(asValue(s.firstTimeFix.rate));
    expect(await figure(page, 'recurrence')).toBe(asValue(s.recurrence.rate));
    expect(await figure(page, 'satisfaction')).toBe(asValue(s.satisfaction.mean));
    expect(await figure(page, 'resolution')).toBe(asValue(s.resolution.business.median));
    // As the reader sees them: "3", "66,7 %" (2 of 3 within the resolution SLA), "3,67 / 5".
    expect(await page.getByTestId('figure-created').innerText()).toBe('3');
    expect(await page.getByTestId('figure-sla-resolution').innerText()).toMatch(/^66,7\s%$/);
    expect(await page.getByTestId('figure-satisfaction').innerText()).toMatch(/^3,67 \/ 5$/);
    return s;
  }

  it('shows management the figures of its filters, a table view and CSV equal to the API, and drills down to the requests', async () => {
    const page = await signedInAs('admin');
    await page.goto(`${url}/requests`);
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await page.getByTestId('kpi-figures').waitFor();
    // The filters, labelled, applied from the form: the client and the period.
    const filters = page.getByTestId('kpi-filters');
    await filters.getByLabel('Du', { exact: true }).fill(FROM);
    await filters.getByLabel('Au', { exact: true }).fill(TO);
    await filters.getByLabel('Client').selectOption(mine.clientId);
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.waitForURL(/clientId=/);
    const query = `${PERIOD}&clientId=${mine.clientId}`;
    await expect.poll(() => figure(page, 'created'), { timeout: 15_000 }).toBe('3');
    await expectFiguresOf(page, query);

    // The volume chart's table view: one row per week of the API's series, the same counts.
    const series = await api<Series>(page, `/api/kpis/series?${query}`);
    const volume = page.getByTestId('panel-volume');
    await volume.locator('canvas').waitFor();
    await volume.getByText('Voir le tableau').click();
    const rows = page.getByTestId('table-volume').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(series.items.length);
    const first = series.items.find((i) => i.created > 0)!;
    const firstRow = (await rows.allInnerTexts()).find((r) => r.startsWith(first.period.split('-').reverse().join('/')))!;
    expect(firstRow.split('\t').slice(1)).toEqual([String(first.created), String(first.resolved)]);
    const csv = await downloadCsv(page, 'csv-volume');
    expect(csv.name).toBe(`kpis-volume-${FROM}-${TO}.csv`);
    expect(csv.lines[0]).toBe('Période;Créées;Résolues');
    expect(csv.lines).toContain(`${first.period};${first.created};${first.resolved}`);
    expect(csv.lines).toHaveLength(series.items.length + 1);

    // Drill-down: the request rated 2, linking to its page.
    await page.getByTestId('drill-low_rating').click();
    const drill = page.getByTestId('drill-table');
    await drill.waitFor();
    const low = await api<{ items: Array<{ ticketNumber: string }> }>(page, `/api/kpis/requests?${query}&measure=low_rating`);
    expect(low.items.map((i) => i.ticketNumber)).toEqual([requests[1]!.ticketNumber]);
    expect(await drill.locator('tbody tr').count()).toBe(1);
    expect(await drill.getByRole('link', { name: requests[1]!.ticketNumber }).getAttribute('href')).toBe(
      `/requests/${requests[1]!.ticketNumber}`,
    );

    // Technicians, finance (admin) and the forecast beside the capacity.
    await page.getByTestId('table-technicians').locator('tr', { hasText: technicianName }).waitFor();
    expect(await page.getByTestId('table-technicians').locator('tr', { hasText: technicianName }).innerText()).toMatch(
      /^[^\t]+\t4\t6 h\t1,7 h\t/,
    );
    await page.getByTestId('panel-finance').getByText('Voir le tableau').click();
    expect(await page.getByTestId('table-finance').innerText()).toMatch(/septembre 2025\t1\t/);
    await page.getByTestId('panel-forecast').getByText('Voir le tableau').click();
    expect(await page.getByTestId('table-forecast').locator('tbody tr').count()).toBe(8);
    // Per service type, the table shows "expected (low–high)": the CSV has the three figures per week.
    type Forecast = {
      byServiceType: Array<{ serviceType: string; weeks: Array<{ weekStart: string; expected: number; low: number; high: number }> }>;
    };
    const forecast = await api<Forecast>(page, '/api/kpis/forecast');
    const types = await downloadCsv(page, 'csv-forecast-types');
    const firstWeek = forecast.byServiceType[0]!.weeks[0]!;
    expect(types.lines[0]!.split(';').slice(0, 4)).toEqual([
      'Type de service',
      `Semaine du ${firstWeek.weekStart}`,
      `Semaine du ${firstWeek.weekStart} — bas (80 %)`,
      `Semaine du ${firstWeek.weekStart} — haut (80 %)`,
    ]);
    expect(types.lines[0]!.split(';')).toHaveLength(1 + 8 * 3);
    const one = (x: number) => String(Math.round(x * 10) / 10).replace('.', ',');
    expect(types.lines[1]!.split(';').slice(1, 4)).toEqual([one(firstWeek.expected), one(firstWeek.low), one(firstWeek.high)]);
    await checkPageAtWidths(page, 'kpi-management', (p) => p.getByTestId('table-forecast').waitFor());
  });

  it('shows the client company’s admin its own figures, invoices and recurring problem, with a CSV', async () => {
    const page = await signedInAs('client_admin', { clientId: mine.clientId });
    await page.goto(`${url}/requests`);
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await page.waitForURL(/\/dashboard\/company/);
    await page.goto(`${url}/dashboard/company?${PERIOD}`);
    await page.getByTestId('kpi-figures').waitFor();
    expect(await page.getByTestId('kpi-filters').getByLabel('Client').count()).toBe(0);
    expect(await page.getByTestId('kpi-filters').getByLabel('Site').count()).toBe(1);
    await expectFiguresOf(page, PERIOD);
    // Its recurring problem: the site's printer, called about again within 30 days (twice).
    const recurring = await api<{ items: Array<{ requests: number; recurrences: number }> }>(page, `/api/kpis/recurring?${PERIOD}`);
    expect(recurring.items).toEqual([expect.objectContaining({ requests: 3, recurrences: 2 })]);
    expect(await page.getByTestId('table-recurring').locator('tbody tr').allInnerTexts()).toEqual([
      'Sans équipement\tSiège\tRéparation matérielle\t3\t2',
    ]);
    const finance = await api<{ items: Array<{ month: string; invoices: number; totalExclVatCents: number }> }>(
      page,
      `/api/kpis/finance?${PERIOD}`,
    );
    expect(finance.items).toHaveLength(1);
    const csv = await downloadCsv(page, 'csv-finance');
    expect(csv.name).toBe(`kpis-finance-${FROM}-${TO}.csv`);
    expect(csv.lines[0]).toBe('Mois;Factures;Montant HT;Heures incluses consommées');
    expect(csv.lines[1]).toMatch(new RegExp(`^2025-09;1;${String(finance.items[0]!.totalExclVatCents / 100).replace('.', ',')};`));
    // Grouped by month: September's one row.
    await page.getByTestId('kpi-filters').getByLabel('Regrouper par').selectOption('month');
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.waitForURL(/bucket=month/);
    await page.getByTestId('panel-volume').getByText('Voir le tableau').click();
    await expect
      .poll(() => page.getByTestId('table-volume').locator('tbody tr').allInnerTexts(), { timeout: 15_000 })
      .toEqual(['septembre 2025\t3\t3']);
    await checkPageAtWidths(page, 'kpi-company', (p) => p.getByTestId('table-recurring').waitFor());
  });

  it('shows the technician their own visits and hours, as a table and a CSV', async () => {
    const page = await signedInAs('technician', { technicianId });
    await page.goto(`${url}/requests`);
    await page.getByRole('link', { name: 'Mes indicateurs' }).click();
    await page.waitForURL(/\/dashboard\/me/);
    await page.goto(`${url}/dashboard/me?${PERIOD}`);
    await page.getByTestId('panel-technicians').waitFor();
    const figures = await api<{ items: Array<{ technicianId: string; visits: number; onSiteHours: number; resolved: number }> }>(
      page,
      `/api/kpis/technicians?${PERIOD}`,
    );
    expect(figures.items).toEqual([expect.objectContaining({ technicianId, visits: 4, onSiteHours: 6, resolved: 3 })]);
    await page.getByTestId('panel-technicians').getByText('Voir le tableau').click();
    const row = page.getByTestId('table-technicians').locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect((await row.innerText()).split('\t').slice(0, 4)).toEqual([technicianName, '4', '6 h', '1,7 h']);
    const csv = await downloadCsv(page, 'csv-technicians');
    expect(csv.lines[0]).toBe(
      'Technicien;Visites;Sur site;Trajet;Part du trajet;Occupation;Résolues;Premier coup;Note moyenne;Note retenue',
    );
    expect(csv.lines[1]).toMatch(new RegExp(`^${technicianName};4;6;1,7;`));
    expect(await figure(page, 'created')).toBe('3');
    // From the keyboard: a figure opens its requests, and the focus moves to their list.
    await page.getByTestId('drill-created').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('drill-table').waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('drill-title');
    expect((await page.getByTestId('drill-table').locator('tbody tr').allInnerTexts()).length).toBe(3);
    await checkPageAtWidths(page, 'kpi-technician', (p) => p.getByTestId('table-technicians').waitFor());
  });
});
