/**
 * Live updates in two browser contexts (issue 17): support triages a request from its own browser
 * (through the API, same origin, its session); the client's request page, open in another
 * context, shows the new timeline entry and the bell a new notification, without a reload and
 * without polling (the page's 30 s fallback poll only runs while the stream is down).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.js';
import { eventually, screenshotPath, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody } from '../../scripts/testing/fixtures.js';
import { checkPageAtWidths } from './axe.js';

describe('live updates in chromium', () => {
  let platform: TestPlatform;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let ticket: string;
  const accounts: Record<'client' | 'support', { headers: Record<string, string>; email: string }> = {} as never;

  async function pageFor(who: keyof typeof accounts, path: string, width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    contexts.push(context);
    await context.addCookies([{ name: 'sid', value: accounts[who].headers.cookie!.replace(/^sid=/, ''), url: platform.url }]);
    const page = await context.newPage();
    await page.goto(`${platform.url}${path}`);
    return page;
  }

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { webRoot: await buildWeb({ minify: false }), log: () => {} } });
    const tenant = await createTestClient(platform.db);
    accounts.client = await createTestAccount(platform.db, 'client_user', { clientId: tenant.clientId });
    accounts.support = await createTestAccount(platform.db, 'support_agent');
    // The client's own address on the form: its emails reach this account's notification centre.
    const body = intakeBody(tenant);
    const filed = await fetch(`${platform.url}/api/requests`, {
      method: 'POST',
      headers: { ...accounts.client.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, contact: { ...body.contact, email: accounts.client.email } }),
    });
    expect(filed.status).toBe(201);
    ticket = ((await filed.json()) as { ticketNumber: string }).ticketNumber;
    await eventually(
      async () =>
        (await platform.db.selectFrom('serviceRequests').select('status').where('ticketNumber', '=', ticket).executeTakeFirst())?.status ===
        'analysis',
      'the request to reach analysis',
    );
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await platform?.stop();
  });

  it('shows support’s triage on the client’s open page and in its bell, without reload', async () => {
    const client = await pageFor('client', `/requests/${ticket}`);
    const timeline = client.getByTestId('timeline');
    await timeline.waitFor();
    // The confirmation email of the intake made the first notification.
    await expect.poll(() => client.getByTestId('notification-count').innerText(), { timeout: 10_000 }).toBe('1');
    const entriesBefore = await timeline.locator('li').count();
    await client.evaluate('window.notReloaded = true');

    const support = await pageFor('support', '/requests');
    await support.getByTestId('requests-table').waitFor();
    const triaged = await support.evaluate(
      async ({ ticket }) =>
        (
          await fetch(`/api/requests/${ticket}/triage`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ decision: 'request_info', question: 'Quel est le numéro de série du poste ?' }),
          })
        ).status,
      { ticket },
    );
    expect(triaged).toBe(200);

    await expect.poll(() => timeline.locator('li').count(), { timeout: 10_000 }).toBeGreaterThan(entriesBefore);
    await expect.poll(() => client.getByTestId('notification-count').innerText(), { timeout: 10_000 }).toBe('2');
    expect(await client.evaluate('window.notReloaded === true')).toBe(true);

    // The bell: the list, by keyboard; mark one read, then all.
    const bell = client.getByTestId('notification-bell');
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 2 non lues');
    await bell.focus();
    await client.keyboard.press('Enter');
    const list = client.getByTestId('notification-list');
    await list.waitFor();
    expect(await list.locator('li').count()).toBe(2);
    expect(await list.locator('li').first().innerText()).toContain(ticket);
    await client.screenshot({ path: screenshotPath('live-bell-1280.png') });
    await list
      .getByRole('button', { name: /Marquer comme lue/ })
      .first()
      .click();
    await expect.poll(() => client.getByTestId('notification-count').innerText()).toBe('1');
    await client.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await expect.poll(() => client.getByTestId('notification-count').count()).toBe(0);
    await client.keyboard.press('Escape');
    expect(await client.getByTestId('notification-list').count()).toBe(0);
    expect(await client.evaluate("document.activeElement.getAttribute('data-testid')")).toBe('notification-bell');
  });

  it('has an accessible bell and panel at 360 px and 1280 px, in English too', async () => {
    const page = await pageFor('client', `/requests/${ticket}`, 360);
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('notification-bell').click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await page.screenshot({ path: screenshotPath('live-bell-360.png') });
    await checkPageAtWidths(page, 'notification-panel', (p) => p.getByRole('heading', { name: 'Notifications' }).waitFor());
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('button', { name: 'Close' }).waitFor();
    expect(await page.getByTestId('notification-bell').getAttribute('aria-label')).toMatch(/^Notifications/);
  });
});
