/**
 * The technician's calendar subscription in chromium against the real platform: the technician
 * creates a webcal:// link on their page, the feed answers, they revoke it and it no longer does;
 * a dispatcher manages it from the technicians page. Accessibility at 360 and 1280 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { addTechnician, createTestAccount, type TestRole } from '../../scripts/testing/fixtures.js';
import { checkPageAtWidths, launchChromium } from './axe.js';

describe('calendar subscription in chromium', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let tech: { id: string; name: string };

  async function pageAs(role: TestRole, options: { technicianId?: string } = {}): Promise<Page> {
    const account = await createTestAccount(platform.db, role, options);
    const sid = /sid=([^;]+)/.exec(account.headers.cookie ?? '')![1]!;
    const context = await browser.newContext();
    await context.addCookies([{ name: 'sid', value: sid, url: platform.url }]);
    return context.newPage();
  }

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { webRoot: await buildWeb({ minify: false }), log: () => {} } });
    tech = await addTechnician(platform.db, { firstName: 'Élodie' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('a technician creates a webcal link on their page, and revokes it', async () => {
    const page = await pageAs('technician', { technicianId: tech.id });
    await page.goto(`${platform.url}/`);
    await page.locator('header nav').getByRole('link', { name: 'Mon agenda' }).click();
    await page.getByRole('heading', { name: 'Mon agenda' }).waitFor();
    await page.getByRole('button', { name: 'Créer un lien d’abonnement' }).click();
    const link = page.getByRole('link', { name: 'S’abonner dans mon agenda (webcal)' });
    await link.waitFor();
    const webcal = (await link.getAttribute('href'))!;
    expect(webcal).toMatch(/^webcal:\/\/127\.0\.0\.1:\d+\/api\/calendar\/fscal_[\w-]+\.ics$/);
    const https = await page.getByLabel('Adresse de l’abonnement (à copier)').inputValue();
    expect(https).toBe(webcal.replace('webcal://', 'http://'));
    const feed = await fetch(https);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('X-WR-CALNAME:Interventions');
    await checkPageAtWidths(page, 'calendar-feed-technician', (p) => p.getByRole('button', { name: 'Révoquer' }).waitFor());
    await page.getByRole('button', { name: 'Révoquer' }).click();
    await page.getByText(/Révoqué le/).waitFor();
    expect((await fetch(https)).status).toBe(404);
    await page.context().close();
  });

  it('a dispatcher opens a technician’s subscription from the technicians page', async () => {
    const page = await pageAs('dispatcher');
    await page.goto(`${platform.url}/technicians`);
    const row = page.getByRole('row').filter({ hasText: tech.name });
    await row.getByText('Abonnement agenda').click();
    await row.getByRole('button', { name: 'Créer un lien d’abonnement' }).click();
    await row.getByRole('link', { name: 'S’abonner dans mon agenda (webcal)' }).waitFor();
    await checkPageAtWidths(page, 'calendar-feed-dispatcher', (p) =>
      p.getByRole('row').filter({ hasText: tech.name }).getByRole('button', { name: 'Révoquer' }).waitFor(),
    );
    await page.context().close();
  });
});
