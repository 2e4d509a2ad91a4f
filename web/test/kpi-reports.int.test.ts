/**
 * The scheduled-reports screen in chromium, against the real API and PostgreSQL: a client
 * company's admin subscribes a colleague, sees the subscribers, removes one, and downloads the
 * CSV of a report of its company (produced by the real report activity); the page passes axe at
 * 360 px and 1280 px (screenshots written, SCREENSHOT_DIR). An admin sees the management scope.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createKpiReportActivities } from '../../activities/reports/kpi-report.activities.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import { buildWeb } from '../../scripts/build-web.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import { kpiReportWorkflowId } from '../../workflows/reports/kpi-report.contract.js';
import { periodJustEnded } from '../../workflows/reports/report-period.contract.js';
import { checkPageAtWidths, launchChromium } from './axe.js';

describe('scheduled reports screen in chromium', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let company: TestClient;
  let colleague: Awaited<ReturnType<typeof createTestAccount>>;
  const contexts: BrowserContext[] = [];

  async function signedIn(account: { headers: Record<string, string> }): Promise<Page> {
    const sid = /sid=([^;]+)/.exec(account.headers.cookie ?? '')![1]!;
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    await context.addCookies([{ name: 'sid', value: sid, url: platform.url }]);
    return context.newPage();
  }

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { webRoot: await buildWeb({ minify: false }), log: () => {} } });
    company = await createTestClient(platform.db);
    colleague = await createTestAccount(platform.db, 'client_user', { clientId: company.clientId });
    // A stored report of the company, from the real activity (a week of 2025 nobody else reports on).
    const reports = createKpiReportActivities({ db: platform.db, mailer: createMailer({ db: platform.db, from: 'rapports@msp.test' }) });
    const scope = { kind: 'client' as const, clientId: company.clientId };
    const period = periodJustEnded('weekly', new Date('2025-03-03T05:00:00Z'));
    await reports.produceKpiReport({ scope, period, workflowId: kpiReportWorkflowId(scope, period) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await platform?.stop();
  });

  it('lets a client admin add and remove subscribers and download its company report', async () => {
    const admin = await createTestAccount(platform.db, 'client_admin', { clientId: company.clientId });
    const page = await signedIn(admin);
    await page.goto(`${platform.url}/reports/scheduled`);
    await page.getByRole('heading', { name: 'Rapports programmés', level: 1 }).waitFor();
    await page.getByText('Rapport de votre entreprise').waitFor();
    await page.getByText('Aucun abonné').waitFor();

    // Subscribe the colleague to the weekly report only.
    await page.getByLabel('Compte').selectOption({ value: colleague.userId });
    await page.getByLabel('Mensuel').uncheck();
    await page.getByRole('button', { name: 'Abonner' }).click();
    const row = page.getByTestId('subscribers').locator('tr', { hasText: colleague.email });
    await row.waitFor();
    expect(await row.locator('td').allInnerTexts()).toEqual([
      expect.any(String),
      colleague.email,
      'Oui',
      'Non',
      expect.stringContaining('Retirer'),
    ]);
    const stored = await platform.db
      .selectFrom('reportSubscriptions')
      .select(['weekly', 'monthly'])
      .where('clientId', '=', company.clientId)
      .where('userId', '=', colleague.userId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ weekly: true, monthly: false });

    // The report of the company, with its files.
    const report = page.getByTestId('reports').locator('tr', { hasText: '24/02/2025' });
    await report.waitFor();
    expect(await report.innerText()).toContain('du 24/02/2025 au 02/03/2025');
    await checkPageAtWidths(page, 'kpi-reports-client-admin', (p) => p.getByTestId('reports').waitFor());
    const download = page.waitForEvent('download');
    await report.getByRole('link', { name: /CSV/ }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    expect(csv.startsWith('\ufeffsection;indicateur;libellé;clé;valeur')).toBe(true);
    expect(csv).toContain('period;start;Période;;2025-02-24');

    // Remove the colleague.
    await row.getByRole('button', { name: /Retirer/ }).click();
    await page.getByText('Aucun abonné').waitFor();
    expect(await platform.db.selectFrom('reportSubscriptions').select('id').where('clientId', '=', company.clientId).execute()).toEqual([]);
  });

  it('shows an admin the management report’s subscribers, in English too', async () => {
    const admin = await createTestAccount(platform.db, 'admin');
    const page = await signedIn(admin);
    await page.addInitScript("localStorage.setItem('lang', 'en')");
    await page.goto(`${platform.url}/reports/scheduled`);
    await page.getByRole('heading', { name: 'Scheduled reports', level: 1 }).waitFor();
    await page.getByText('Management report (all clients)').waitFor();
    // The accounts offered are staff accounts (this admin among them), never a client's.
    const offered = await page.getByLabel('Account').locator('option').allInnerTexts();
    expect(offered.some((o) => o.includes(admin.email))).toBe(true);
    expect(offered.some((o) => o.includes(colleague.email))).toBe(false);
    await checkPageAtWidths(page, 'kpi-reports-admin-en', (p) => p.getByRole('button', { name: 'Subscribe' }).waitFor());
  });
});
