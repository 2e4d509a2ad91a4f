/**
 * The asset registry in chromium against the real platform: a company's admin filters the list,
 * imports a CSV with good and bad lines and reads the per-line report, then opens an asset's
 * history (a past intervention with a visit, a part with its serial number and a report), in
 * French and at 360 and 1280 px with axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { buildWeb } from '../../scripts/build-web.js';
import { screenshotPath, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import { checkPage, checkPageAtWidths, launchChromium } from './axe.js';

describe('asset registry in chromium', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let tenant: TestClient;
  let page: Page;
  let serverId: string;
  let ticket: string;

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { webRoot: await buildWeb({ minify: false }), log: () => {} } });
    const db = platform.db;
    tenant = await createTestClient(db);
    serverId = (
      await db
        .insertInto('assets')
        .values({
          clientId: tenant.clientId,
          kind: 'server',
          brand: 'Dell',
          model: 'PowerEdge R650',
          serialNumber: 'UI-SRV-1',
          hostname: 'srv-ui-1',
          locationId: tenant.locationId,
          warrantyEndsOn: '2099-01-01',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto('assets')
      .values({ clientId: tenant.clientId, kind: 'printer', brand: 'HP', model: 'M479', status: 'in_repair' })
      .execute();
    const past = await createClosedIntervention(db, tenant, {
      visits: [{ minutes: 60, at: '2026-04-02T08:00:00Z' }],
      parts: [{ unitPriceCents: 9000, label: 'Disque SAS 1,2 To' }],
    });
    ticket = past.ticketNumber;
    await db
      .updateTable('serviceRequests')
      .set({ assetId: serverId, createdAt: new Date('2026-04-01T09:00:00Z') } as never)
      .where('id', '=', past.requestId)
      .execute();
    await db
      .updateTable('partsUsed')
      .set({ serialNumbers: ['SAS-4411'], createdAt: new Date('2026-04-02T08:30:00Z') } as never)
      .where('requestId', '=', past.requestId)
      .execute();
    await db
      .insertInto('interventionReports')
      .values({
        requestId: past.requestId,
        summary: 'Disque remplacé, grappe RAID reconstruite.',
        recommendations: JSON.stringify([]),
        idempotencyKey: `${past.workflowId}:report`,
        createdAt: new Date('2026-04-02T10:00:00Z'),
      })
      .execute();
    browser = await launchChromium();
    const account = await createTestAccount(db, 'client_admin', { clientId: tenant.clientId });
    const sid = /sid=([^;]+)/.exec(account.headers.cookie ?? '')![1]!;
    const context = await browser.newContext();
    await context.addCookies([{ name: 'sid', value: sid, url: platform.url }]);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('lists the company’s assets and filters them', async () => {
    await page.goto(`${platform.url}/assets`);
    const list = page.getByTestId('asset-list');
    await list.getByRole('link', { name: 'Dell PowerEdge R650' }).waitFor();
    expect(await list.locator('tbody tr').count()).toBe(2);
    await page.getByRole('search').getByLabel('Statut', { exact: true }).selectOption('in_repair');
    await page.getByText('1 équipement', { exact: true }).waitFor();
    expect(await list.locator('tbody tr').innerText()).toContain('En réparation');
    await page.getByRole('search').getByLabel('Statut', { exact: true }).selectOption('');
    await checkPageAtWidths(page, 'assets-list', (p) => p.getByText('2 équipements', { exact: true }).waitFor());
  });

  it('imports a CSV with good and bad lines and shows the report line by line', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const csv = [
      'type;brand;model;serial_number;hostname;site;status',
      'laptop;Lenovo;ThinkPad T14;UI-LNV-1;pc-ui-1;Siège;en service',
      'grille-pain;Moulinex;X;;;;',
      'workstation;HP;Z2;UI-SRV-1;;;',
      'nas;Synology;DS923+;UI-NAS-1;nas-ui-1;Entrepôt;',
    ].join('\n');
    await page
      .getByLabel('Fichier CSV', { exact: true })
      .setInputFiles({ name: 'parc.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Vérifier sans importer' }).click();
    const report = page.getByTestId('import-report');
    await report.getByText('0 importé(s), 1 valide(s), 3 refusé(s)').waitFor();
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await report.getByText('1 importé(s), 0 valide(s), 3 refusé(s)').waitFor();
    const rows = await report.locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').slice(0, 2).join(' '))).toEqual(['2 Importée', '3 Refusée', '4 Refusée', '5 Refusée']);
    expect(rows[1]).toContain('kind');
    expect(rows[2]).toContain('serialNumber');
    expect(rows[3]).toContain('Entrepôt');
    await page.getByTestId('asset-list').getByRole('link', { name: 'Lenovo ThinkPad T14' }).waitFor();
    await checkPage(page, 'assets-import-report-1280');
    await page.setViewportSize({ width: 360, height: 800 });
    await checkPage(page, 'assets-import-report-360');
    const stored = await platform.db.selectFrom('assets').select('serialNumber').where('clientId', '=', tenant.clientId).execute();
    expect(stored.map((a) => a.serialNumber).sort()).toEqual(['UI-LNV-1', 'UI-SRV-1', null]);
  });

  it('creates a monitoring integration (token shown once) and revokes it', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${platform.url}/assets`);
    const section = page.getByTestId('integrations');
    await section.getByLabel('Nom de l’intégration').fill('Prometheus UI');
    await section.getByRole('button', { name: 'Créer un jeton' }).click();
    const token = (await section.getByTestId('integration-token').locator('code').innerText()).trim();
    expect(token).toMatch(/^fsi_/);
    await section.getByRole('cell', { name: 'Prometheus UI', exact: true }).waitFor();
    await checkPage(page, 'assets-integrations-1280');
    await section.getByRole('button', { name: 'Révoquer Prometheus UI' }).click();
    await section.getByRole('cell', { name: 'Révoquée' }).waitFor();
    const refused = await fetch(`${platform.url}/api/integrations/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        version: '4',
        groupKey: 'ui',
        status: 'firing',
        receiver: 'ui',
        alerts: [{ status: 'firing', labels: { alertname: 'UI' }, startsAt: new Date().toISOString() }],
      }),
    });
    expect(refused.status).toBe(401);
  });

  it('the intake form offers the company’s assets', async () => {
    await page.goto(`${platform.url}/new`);
    const select = page.getByLabel('Équipement du parc');
    await select.locator('option', { hasText: 'Dell PowerEdge R650' }).waitFor({ state: 'attached' });
    expect(await select.locator('option').allInnerTexts()).toContain('Dell PowerEdge R650 · UI-SRV-1 · srv-ui-1 · Siège');
  });

  it('opens an asset’s history: request, visit, part with its serial number, report, in time order', async () => {
    await page.goto(`${platform.url}/assets`);
    await page.getByTestId('asset-list').getByRole('link', { name: 'Dell PowerEdge R650' }).click();
    const history = page.getByTestId('asset-history');
    await history.waitFor();
    expect(page.url()).toContain(`/assets/${serverId}`);
    const kinds = await history.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(kinds).toEqual(['request', 'visit', 'part', 'report']);
    const text = await history.innerText();
    expect(text).toContain(ticket);
    expect(text).toContain('SAS-4411');
    expect(text).toContain('sous garantie');
    await checkPageAtWidths(page, 'asset-history', (p) => p.getByTestId('asset-history').waitFor());
    // English is complete.
    await page.evaluate("localStorage.setItem('lang', 'en')");
    await page.reload();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    expect(await page.getByTestId('asset-history').innerText()).toContain('Part replaced');
    await page.screenshot({ path: screenshotPath('asset-history-en.png'), fullPage: true });
  });
});
