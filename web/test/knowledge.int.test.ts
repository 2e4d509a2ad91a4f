/**
 * The knowledge base in chromium against the real platform: support documents a resolved request
 * as an article, a reviewer publishes it, a client typing a similar problem in the intake form
 * sees it suggested, opens it and leaves (a deflection is recorded); another client votes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { buildWeb } from '../../scripts/build-web.js';
import { eventually, screenshotPath, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestRole } from '../../scripts/testing/fixtures.js';
import { checkPage, launchChromium } from './axe.js';

describe('knowledge base in chromium', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let ticket: string;
  let clientId: string;
  let otherClientId: string;
  let articleId = '';

  async function pageAs(role: TestRole, company?: string): Promise<Page> {
    const account = await createTestAccount(platform.db, role, company ? { clientId: company } : {});
    const sid = /sid=([^;]+)/.exec(account.headers.cookie ?? '')![1]!;
    const context = await browser.newContext();
    await context.addCookies([{ name: 'sid', value: sid, url: platform.url }]);
    return context.newPage();
  }

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { webRoot: await buildWeb({ minify: false }), log: () => {} } });
    const tenant = await createTestClient(platform.db);
    clientId = tenant.clientId;
    otherClientId = (await createTestClient(platform.db)).clientId;
    const closed = await createClosedIntervention(platform.db, tenant, { visits: [{ minutes: 30 }] });
    ticket = closed.ticketNumber;
    await platform.db
      .updateTable('serviceRequests')
      .set({
        title: 'Scanner réseau introuvable depuis les postes',
        description: 'Le scanner du copieur n’apparaît plus dans le dossier partagé.',
      })
      .where('ticketNumber', '=', ticket)
      .execute();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('support documents the resolved request as an article and sends it for review', async () => {
    const page = await pageAs('support_agent');
    await page.goto(`${platform.url}/requests/${ticket}`);
    await page.getByTestId('kb-document').click();
    await page.getByRole('heading', { name: 'Modifier' }).waitFor();
    expect(await page.getByLabel('Contenu (Markdown)').inputValue()).toContain('## Problème');
    await page.getByLabel('Visibilité').selectOption('all_clients');
    await page
      .getByLabel('Contenu (Markdown)')
      .fill(
        '## Problème\nLe scanner réseau du copieur est introuvable.\n\n## Résolution\n1. Redémarrer le copieur.\n2. Vérifier le partage **Numérisations**.',
      );
    expect(await page.getByTestId('kb-preview').innerHTML()).toContain('<strong>Numérisations</strong>');
    await page.getByRole('button', { name: 'Enregistrer (nouvelle version)' }).click();
    await page.getByRole('button', { name: 'Envoyer en relecture' }).click();
    await page.getByText('En relecture').first().waitFor();
    articleId = new URL(page.url()).pathname.split('/')[2]!;
    expect(await page.getByTestId('kb-history').innerText()).toContain('Version 2');
    await page.screenshot({ path: screenshotPath('kb-article-in-review.png'), fullPage: true });
    await page.context().close();
  });

  it('a reviewer publishes it from the review queue, comparing the versions', async () => {
    const page = await pageAs('admin');
    await page.goto(`${platform.url}/knowledge`);
    await page.getByTestId('kb-review-queue').getByRole('link', { name: 'Scanner réseau introuvable depuis les postes' }).click();
    await page.getByRole('button', { name: 'Comparer 1 ↔ 2' }).click();
    await page.getByTestId('kb-diff').locator('ins').first().waitFor();
    expect(await page.getByTestId('kb-diff').locator('del').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.getByText('Publié').first().waitFor();
    await checkPage(page, 'kb-article-staff');
    await page.context().close();
  });

  it('a client typing a similar problem sees it suggested, opens it and leaves: a deflection is recorded', async () => {
    const page = await pageAs('client_user', clientId);
    await page.goto(`${platform.url}/new`);
    await page.locator('textarea[name="nature"]').fill('Notre scaner ne se trouve plus sur le réseau');
    const suggestions = page.getByTestId('kb-suggestions');
    await suggestions.getByText('Scanner réseau introuvable depuis les postes').waitFor();
    await suggestions.getByRole('button', { name: 'Lire' }).first().click();
    await page.getByTestId('kb-suggestion-body').waitFor();
    await page.screenshot({ path: screenshotPath('kb-intake-self-help.png'), fullPage: true });
    await page.locator('header nav').getByRole('link', { name: 'Demandes' }).click();
    const deflections = await eventually(
      () =>
        platform.db
          .selectFrom('kbEvents')
          .select('id')
          .where('articleId', '=', articleId)
          .where('kind', '=', 'deflection')
          .execute()
          .then((rows) => rows.length || null),
      'the deflection',
    );
    expect(deflections).toBe(1);
    await page.context().close();
  });

  it('another client finds it on the knowledge page and votes', async () => {
    const page = await pageAs('client_user', otherClientId);
    await page.goto(`${platform.url}/knowledge`);
    await page.getByLabel('Rechercher').fill('scanner introuvable');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByTestId('kb-results').getByRole('link', { name: 'Scanner réseau introuvable depuis les postes' }).click();
    await page.getByRole('button', { name: 'Cela a résolu mon problème' }).click();
    await page.getByText('Merci pour votre avis.').waitFor();
    await checkPage(page, 'kb-article-client');
    const votes = await platform.db.selectFrom('kbVotes').select('helpful').where('articleId', '=', articleId).execute();
    expect(votes).toEqual([{ helpful: true }]);
    await page.context().close();
  });
});
