/**
 * The administration workspace in Chromium, walked as an admin against the real API, worker,
 * PostgreSQL, Temporal and an SMTP server that keeps what it receives: a new client company
 * (a SIRET with a bad Luhn key refused next to its field), a site with opening hours (an
 * overlapping range refused next to it) and a closure, a contract with SLA targets, a
 * technician with skills, certifications and shifts (an overlapping shift refused), and a user
 * invited by email who follows the one-time link, chooses a password, signs in and files a
 * request that gets the new contract's SLA. Screenshots of every screen (SCREENSHOT_DIR).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { createUser } from '../../db/repositories/users.repository.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import { buildWeb } from '../../scripts/build-web.js';
import { eventually, startTestPlatform, testDb, type TestPlatform } from '../../scripts/testing/env.js';
import { startSmtp } from '../../workflows/intervention/test/harness.js';
import { checkPage, checkPageAtWidths, launchChromium } from './axe.js';

/** The text of a captured email (quoted-printable soft breaks and escapes undone). */
function textOf(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('administration workspace in chromium', () => {
  let platform: TestPlatform;
  let mailDb: Kysely<DB>;
  let db: Kysely<DB>;
  let url: string;
  let browser: Browser;
  let page: Page;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const suffix = Math.random().toString(36).slice(2, 7);
  const companyName = `Boulangeries Martin ${suffix}`;
  const adminEmail = `admin-${suffix}@msp.test`;
  const adminPassword = 'admin-workspace-2026';
  const inviteeEmail = `paul.${suffix}@boulangeries-martin.test`;
  /** A screenshot of the screen as shown, and axe-core's check of it (0 serious or critical violations). */
  const shot = (name: string) => checkPage(page, `admin-${name}`);

  beforeAll(async () => {
    smtp = await startSmtp();
    mailDb = testDb(2);
    platform = await startTestPlatform({
      app: { webRoot: await buildWeb({ minify: false }), log: () => {} },
      mailer: createMailer({ db: mailDb, from: 'Support <support@msp.test>', smtpUrl: smtp.url }),
    });
    ({ db, url } = platform);
    await createUser(db, { email: adminEmail, displayName: 'Alice Admin', role: 'admin', password: adminPassword });
    browser = await launchChromium();
    // axe-core needs a page of a context of its own.
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await mailDb?.destroy();
    await smtp?.stop();
  });

  async function signIn(email: string, password: string) {
    await page.goto(`${url}/requests`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('signed-in-as').waitFor();
  }

  let clientId = '';

  it('creates a client company; a SIRET with a bad Luhn key is refused next to its field', async () => {
    await signIn(adminEmail, adminPassword);
    await page.goto(`${url}/admin/clients`);
    await page.getByLabel('Raison sociale').fill(companyName);
    await page.getByLabel('SIREN').fill('552032534');
    await page.getByLabel('SIRET (siège)').fill('55203253400647');
    await page.getByLabel('N° de TVA intracommunautaire').fill('FR27552032534');
    await page.getByLabel('Adresse de facturation').fill('12 rue Oberkampf');
    await page.getByLabel('Code postal').fill('75011');
    await page.getByLabel('Ville').fill('Paris');
    await page.getByRole('button', { name: 'Créer l’entreprise' }).click();
    const siretError = page.locator('#f-siret-error');
    await siretError.waitFor();
    expect(await siretError.innerText()).toContain('Luhn');
    expect(await page.getByLabel('SIRET (siège)').getAttribute('aria-invalid')).toBe('true');
    await shot('01-company-siret-refused');
    expect(await db.selectFrom('clients').select('id').where('companyName', '=', companyName).execute()).toEqual([]);

    await page.getByLabel('SIRET (siège)').fill('55203253400646');
    await page.getByRole('button', { name: 'Créer l’entreprise' }).click();
    await page.getByTestId('company-title').waitFor();
    expect(await page.getByTestId('company-title').innerText()).toBe(companyName);
    clientId = (await db.selectFrom('clients').select('id').where('companyName', '=', companyName).executeTakeFirstOrThrow()).id;
  });

  it('adds a site with opening hours per weekday and a closure; an overlapping range is refused next to it', async () => {
    await page.getByRole('button', { name: 'Nouveau site' }).click();
    const editor = page.getByTestId('site-editor');
    await editor.getByLabel('Nom du site', { exact: true }).fill('Atelier Oberkampf');
    await editor.getByLabel('Adresse', { exact: true }).fill('12 rue Oberkampf');
    await editor.getByLabel('Code postal', { exact: true }).fill('75011');
    await editor.getByLabel('Ville', { exact: true }).fill('Paris');
    await editor.getByLabel('Département', { exact: true }).fill('75');
    await editor.getByLabel('Latitude', { exact: true }).fill('48.8649');
    await editor.getByLabel('Longitude', { exact: true }).fill('2.3752');
    await editor.getByLabel('Consignes d’accès', { exact: true }).fill('Code 4512B, 2e étage, sonner à « Atelier »');
    // Monday: a second range overlapping the default 09:00–18:00.
    await editor.getByRole('button', { name: 'Ajouter une plage Lundi' }).click();
    await editor.getByRole('button', { name: 'Ajouter une fermeture' }).click();
    await editor.getByLabel('Fermé du 1', { exact: true }).fill('2026-08-03');
    await editor.getByLabel('au 1', { exact: true }).fill('2026-08-21');
    await editor.getByLabel('Motif 1', { exact: true }).fill('Congés d’été');
    await editor.getByRole('button', { name: 'Créer le site' }).click();
    const overlap = editor.locator('#f-site-openingHours-1-opensAt-error');
    await overlap.waitFor();
    expect(await overlap.innerText()).toContain('overlaps openingHours.0');
    await shot('02-site-overlap-refused');
    // Monday becomes 09:00–12:00 and 14:00–18:00.
    await editor.getByLabel('Fermeture (Lundi 1)', { exact: true }).fill('12:00');
    await editor.getByRole('button', { name: 'Créer le site' }).click();
    await page.getByTestId('sites').getByRole('button', { name: 'Modifier Atelier Oberkampf' }).waitFor();
    const site = await db.selectFrom('clientLocations').select('id').where('clientId', '=', clientId).executeTakeFirstOrThrow();
    const hours = await db
      .selectFrom('siteOpeningHours')
      .selectAll()
      .where('locationId', '=', site.id)
      .orderBy('weekday')
      .orderBy('opensAt')
      .execute();
    expect(hours.filter((h) => h.weekday === 1).map((h) => `${h.opensAt}-${h.closesAt}`)).toEqual([
      '09:00:00-12:00:00',
      '14:00:00-18:00:00',
    ]);
    expect(hours).toHaveLength(6);
    expect(await db.selectFrom('siteClosures').select(['startsOn', 'endsOn']).where('locationId', '=', site.id).execute()).toEqual([
      { startsOn: '2026-08-03', endsOn: '2026-08-21' },
    ]);
    await checkPageAtWidths(page, 'admin-03-company-with-site', (p) => p.getByTestId('company-title').waitFor());
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('creates a premium 24/7 contract with SLA targets per priority', async () => {
    await page.getByRole('button', { name: 'Nouveau contrat' }).click();
    const editor = page.getByTestId('contract-editor');
    await editor.getByLabel('Référence', { exact: true }).fill(`BM-${suffix}`);
    await editor.getByLabel('Intitulé', { exact: true }).fill('Maintenance premium');
    await editor.getByLabel('Type', { exact: true }).selectOption('premium');
    await editor.getByLabel('Couverture', { exact: true }).selectOption('24_7');
    await editor.getByLabel('Début', { exact: true }).fill('2026-01-01');
    await editor.getByLabel('Fin', { exact: true }).fill('2025-12-31');
    await editor.getByLabel('Prise en charge P1', { exact: true }).fill('30');
    await editor.getByLabel('Résolution P1', { exact: true }).fill('240');
    await editor.getByLabel('Prise en charge P2', { exact: true }).fill('60');
    await editor.getByLabel('Résolution P2', { exact: true }).fill('480');
    await editor.getByLabel('Taux horaire (€ HT)', { exact: true }).fill('95');
    await editor.getByRole('button', { name: 'Créer le contrat' }).click();
    const endError = editor.locator('#f-contract-endsOn-error');
    await endError.waitFor();
    expect(await endError.innerText()).toContain('startsOn');
    await editor.getByLabel('Fin', { exact: true }).fill('2027-12-31');
    await editor.getByRole('button', { name: 'Créer le contrat' }).click();
    await page
      .getByTestId('contracts')
      .getByRole('button', { name: `Modifier BM-${suffix}` })
      .waitFor();
    await shot('04-company-with-contract');
    const contract = await db
      .selectFrom('contracts')
      .select(['id', 'hourlyRateCents'])
      .where('reference', '=', `BM-${suffix}`)
      .executeTakeFirstOrThrow();
    expect(contract.hourlyRateCents).toBe(9500);
    const targets = await db
      .selectFrom('contractSlaTargets')
      .selectAll()
      .where('contractId', '=', contract.id)
      .orderBy('priority')
      .execute();
    expect(targets.map((x) => [x.priority, x.responseMinutes, x.resolutionMinutes])).toEqual([
      ['P1', 30, 240],
      ['P2', 60, 480],
      ['P3', 240, 1440],
      ['P4', 480, 2880],
    ]);
  });

  it('creates a technician with skills, certifications and shifts; an overlapping shift is refused next to it', async () => {
    await page.goto(`${url}/admin/technicians`);
    await page.getByRole('button', { name: 'Nouveau technicien' }).click();
    const editor = page.getByTestId('technician-editor');
    await editor.getByLabel('Prénom', { exact: true }).fill('Inès');
    await editor.getByLabel('Nom', { exact: true }).fill(`Benali ${suffix}`);
    await editor.getByLabel('E-mail', { exact: true }).fill(`ines.${suffix}@msp.test`);
    await editor.getByLabel('Adresse de départ', { exact: true }).fill('8 rue de la Roquette, 75011 Paris');
    await editor.getByLabel('Latitude du domicile', { exact: true }).fill('48.8546');
    await editor.getByLabel('Longitude du domicile', { exact: true }).fill('2.3722');
    await editor.getByLabel('Compétence 1', { exact: true }).fill('network_configuration');
    await editor.getByLabel('Niveau de compétence 1', { exact: true }).selectOption('4');
    await editor.getByRole('button', { name: 'Ajouter Certifications' }).click();
    await editor.getByLabel('Certification 1', { exact: true }).fill('CCNA');
    await editor.getByLabel('Organisme 1', { exact: true }).fill('Cisco');
    await editor.getByLabel('Obtenue le 1', { exact: true }).fill('2024-03-01');
    await editor.getByLabel('Expire le 1', { exact: true }).fill('2027-03-01');
    // A sixth shift, on Monday again, overlapping the first.
    await editor.getByRole('button', { name: 'Ajouter Horaires hebdomadaires' }).click();
    await editor.getByLabel('Jour 6', { exact: true }).selectOption('1');
    await editor.getByLabel('Début 6', { exact: true }).fill('16:00');
    await editor.getByLabel('Fin 6', { exact: true }).fill('20:00');
    await editor.getByRole('button', { name: 'Créer le technicien' }).click();
    const overlap = editor.locator('#f-shifts-5-startsAt-error');
    await overlap.waitFor();
    expect(await overlap.innerText()).toContain('overlaps shifts.0');
    await shot('05-technician-overlap-refused');
    await editor.getByRole('button', { name: 'Retirer Horaires hebdomadaires 6' }).click();
    await editor.getByRole('button', { name: 'Créer le technicien' }).click();
    await page.getByTestId('technician-list').getByText(`Benali ${suffix}`).waitFor();
    const tech = await db.selectFrom('technicians').select('id').where('lastName', '=', `Benali ${suffix}`).executeTakeFirstOrThrow();
    expect(await db.selectFrom('technicianShifts').select('weekday').where('technicianId', '=', tech.id).execute()).toHaveLength(5);
    expect(await db.selectFrom('technicianSkills').select(['skill', 'level']).where('technicianId', '=', tech.id).execute()).toEqual([
      { skill: 'network_configuration', level: 4 },
    ]);
    await page.getByRole('button', { name: `Inès Benali ${suffix}` }).click();
    await page.getByTestId('technician-editor').waitFor();
    await shot('06-technician');
  });

  let link = '';

  it('invites a user of the new company; the email carries a one-time link', async () => {
    await page.goto(`${url}/admin/users`);
    await page.getByLabel('E-mail').fill(inviteeEmail);
    await page.getByLabel('Nom affiché').fill('Paul Martin');
    await page.getByLabel('Rôle').selectOption('client_user');
    await page.getByLabel('Entreprise', { exact: true }).selectOption({ label: companyName });
    await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await page.getByTestId('users-notice').waitFor();
    expect(await page.getByTestId('users-notice').innerText()).toContain(inviteeEmail);
    await shot('07-users-invited');
    const mail = await eventually(async () => smtp.received.find((m) => m.to.includes(inviteeEmail)), 'the invitation email');
    link = /(http:\/\/\S+\/set-password#token=\S+)/.exec(textOf(mail.raw))![1]!;
    expect(link.startsWith(url)).toBe(true);
  });

  it('the invited user follows the link, chooses a password, signs in and files a request that gets the new contract’s SLA', async () => {
    await page.getByRole('button', { name: 'Déconnexion' }).click();
    await page.goto(link);
    await page.getByLabel('Nouveau mot de passe').fill('pain-au-levain-2026');
    await page.getByLabel('Confirmer le mot de passe').fill('pain-au-levain-2026');
    await shot('08-set-password');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await page.getByTestId('password-set').waitFor();
    await signIn(inviteeEmail, 'pain-au-levain-2026');
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('Paul Martin');

    await page.goto(`${url}/new`);
    await page.getByLabel('Type d’intervention').selectOption('network_configuration');
    await page.getByLabel('Objet de la demande').fill('Caisse enregistreuse hors réseau');
    await page.getByLabel('Nom du responsable').fill('Paul Martin');
    await page.getByLabel('E-mail professionnel').fill(inviteeEmail);
    await page.getByLabel('Nature de l’incident').fill('La caisse ne joint plus le serveur de paiement.');
    await page.getByLabel('Impact sur l’activité', { exact: true }).fill('Encaissements par carte impossibles.');
    await page.getByLabel('Gravité de l’impact').selectOption('high');
    await page.getByLabel('Urgence').selectOption('high');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    const confirmation = page.getByTestId('confirmation');
    await confirmation.waitFor({ timeout: 30_000 });
    await shot('09-request-filed');
    const ticket = /INT-\d{4}-\d{6}/.exec(await confirmation.innerText())![0];
    const request = await eventually(
      () => db.selectFrom('serviceRequests').selectAll().where('ticketNumber', '=', ticket).executeTakeFirst(),
      'the filed request',
    );
    const contract = await db.selectFrom('contracts').select('id').where('reference', '=', `BM-${suffix}`).executeTakeFirstOrThrow();
    expect(request.contractId).toBe(contract.id);
    const target = await db
      .selectFrom('contractSlaTargets')
      .selectAll()
      .where('contractId', '=', contract.id)
      .where('priority', '=', request.priority)
      .executeTakeFirstOrThrow();
    // 24/7 coverage: the deadlines are the targets' minutes after filing.
    const minutes = (due: Date | null) => (due!.getTime() - request.createdAt.getTime()) / 60_000;
    expect(minutes(request.responseDueAt)).toBeCloseTo(target.responseMinutes, -1);
    expect(minutes(request.resolutionDueAt)).toBeCloseTo(target.resolutionMinutes, -1);
  });

  it('shows the audit log filtered by object, with the state before and after', async () => {
    await page.getByRole('button', { name: 'Déconnexion' }).click();
    await signIn(adminEmail, adminPassword);
    await page.goto(`${url}/admin/audit`);
    await page.getByLabel('Personne').fill('Alice');
    await page.getByLabel('Type d’objet').selectOption('site');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const table = page.getByTestId('audit');
    // Other files' admins create sites in the shared database too: the first of the entries.
    await table.getByText('POST /clients/:clientId/sites').first().waitFor();
    await table.locator('summary').first().click();
    await shot('10-audit');
    expect(await table.innerText()).toContain('Alice Admin');
  });
});
