/**
 * Every page of the web app, in chromium at 360 px and 1280 px, against the real API: axe-core
 * finds no serious or critical violation, the page never scrolls sideways, the narrow menu folds
 * behind a button that opens it, and the keyboard reaches the content through the skip link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { buildWeb } from '../../scripts/build-web.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestRole } from '../../scripts/testing/fixtures.js';
import { createOidcClients } from '../../api/auth/oidc.js';
import { createSecretBox } from '../../api/auth/secret-box.js';
import { insertOidcProvider } from '../../db/repositories/oidc.repository.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { checkPage, checkPageAtWidths, launchChromium } from './axe.js';

/** Waits until the page shows `heading` and nothing is loading any more. */
const showing = (heading: string | RegExp) => async (page: Page) => {
  await page.getByRole('heading', { name: heading }).first().waitFor();
  // A locator, not waitForFunction: its polling evaluates a string, which the app's CSP refuses.
  await page.getByText('Chargement…').first().waitFor({ state: 'detached' });
};

describe('accessibility and layout of every page', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let browser: Browser;
  let ticket: string;
  let clientId: string;

  async function signedInAs(role: TestRole): Promise<{ context: BrowserContext; page: Page }> {
    const account = await createTestAccount(db, role, { clientId });
    const sid = /sid=([^;]+)/.exec(account.headers.cookie ?? '')![1]!;
    const context = await browser.newContext();
    await context.addCookies([{ name: 'sid', value: sid, url }]);
    return { context, page: await context.newPage() };
  }

  beforeAll(async () => {
    const oidc = createOidcClients({ allowInsecureIssuers: true, secrets: createSecretBox({ key: randomBytes(32).toString('base64') }) });
    platform = await startTestPlatform({ app: { webRoot: await buildWeb({ minify: false }), log: () => {}, auth: { oidc } } });
    ({ db, url } = platform);
    const tenant = await createTestClient(db);
    clientId = tenant.clientId;
    const client = await createTestAccount(db, 'client_user', { clientId });
    const filed = await fetch(`${url}/api/requests`, {
      method: 'POST',
      headers: { ...client.headers, 'content-type': 'application/json' },
      body: JSON.stringify(intakeBody(tenant)),
    });
    expect(filed.status).toBe(201);
    ticket = ((await filed.json()) as { ticketNumber: string }).ticketNumber;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('the sign-in page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/requests`);
    await checkPageAtWidths(page, 'a11y-login', showing('Connexion'));
    await context.close();
  });

  it('offers single sign-on on the sign-in page when the typed address’s domain has a provider, in French and English', async () => {
    const slug = `sso-${randomUUID().slice(0, 8)}`;
    const domain = `${slug}.test`;
    await insertOidcProvider(db, {
      clientId,
      slug,
      issuer: 'http://127.0.0.1:9/',
      oidcClientId: 'field-service',
      allowedEmailDomains: [domain],
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/requests`);
    const email = page.getByLabel('E-mail', { exact: true });
    await email.fill(`claire@other-${slug}.test`);
    const sso = page.getByRole('link', { name: 'Se connecter avec l’authentification unique' });
    // Another domain: no offer (give the debounced question time to be answered).
    await page.waitForResponse((r) => r.url().includes('/api/auth/sso?domain='));
    expect(await sso.count()).toBe(0);
    await email.fill(`claire@${domain}`);
    await sso.waitFor();
    expect(await sso.getAttribute('href')).toBe(`/api/auth/oidc/${slug}/start`);
    await checkPageAtWidths(page, 'a11y-login-sso', showing('Connexion'));
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).waitFor();
    await context.close();
  });

  // One test per page, so each has its own time budget (each is checked at two widths).
  const adminPages: Array<[string, () => string, string | (() => RegExp)]> = [
    ['requests', () => '/requests', 'Demandes d’intervention'],
    ['request-detail', () => `/requests/${ticket}`, () => new RegExp(ticket)],
    ['new-request', () => '/new', 'Nouvelle demande'],
    ['planning', () => '/planning', 'Planification de la journée'],
    ['technicians', () => '/technicians', 'Techniciens et bases'],
    ['outbox', () => '/outbox', 'Messages envoyés'],
    ['stuck', () => '/stuck', 'Interventions bloquées'],
    ['not-found', () => '/no-such-page', 'Page introuvable'],
  ];
  it.each(adminPages)('the %s page as an admin', async (name, path, heading) => {
    const { context, page } = await signedInAs('admin');
    await page.goto(`${url}${path()}`);
    await checkPageAtWidths(page, `a11y-${name}`, showing(typeof heading === 'string' ? heading : heading()));
    await context.close();
  });

  it('a request as its client sees it, with the intake form’s field errors next to their fields', async () => {
    const { context, page } = await signedInAs('client_user');
    await page.goto(`${url}/requests/${ticket}`);
    await checkPageAtWidths(page, 'a11y-client-request', showing(new RegExp(ticket)));
    await page.goto(`${url}/new`);
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByRole('alert').waitFor();
    // The refused field says why, next to it, and is described by that message.
    const title = page.getByLabel('Objet de la demande');
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await title.getAttribute('aria-describedby'))!;
    expect(await page.locator(`#${describedBy}`).innerText()).not.toBe('');
    await checkPageAtWidths(page, 'a11y-new-request-errors', showing('Nouvelle demande'));
    await context.close();
  });

  it('folds the menu behind a button at 360 px, and the skip link moves the keyboard to the content', async () => {
    const { context, page } = await signedInAs('admin');
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${url}/requests`);
    await showing('Demandes d’intervention')(page);
    const nav = page.getByRole('navigation');
    expect(await nav.isVisible()).toBe(false);
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Planning' }).waitFor();
    await checkPage(page, 'a11y-menu-open-360');
    await nav.getByRole('link', { name: 'Planning' }).click();
    await showing('Planification de la journée')(page);
    expect(await nav.isVisible()).toBe(false);
    // Keyboard: the first Tab reaches the skip link, Enter moves focus to the main content.
    await page.goto(`${url}/requests`);
    await showing('Demandes d’intervention')(page);
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.className')).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('main');
    await context.close();
  });
});
