/**
 * The web app in a real browser (Debian's chromium through playwright-core) against the real API,
 * worker, PostgreSQL and Temporal: a client files a request with the intake form, sees the
 * confirmation, finds it in the list; field errors from the API are shown; English is available.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { buildWeb } from '../../scripts/build-web.js';
import { screenshotPath, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createUser } from '../../db/repositories/users.repository.js';
import { addPlannableRequest, createTestAccount, createTestClient } from '../../scripts/testing/fixtures.js';
import { openPlanningBoardAs } from './planning-board.js';

describe('web app in chromium', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let browser: Browser;
  let page: Page;
  let companyName: string;
  let filedTicket: string;
  let email: string;
  const password = 'mot-de-passe-de-test-2026';

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { webRoot: await buildWeb({ minify: false }), log: () => {} } });
    ({ db, url } = platform);
    const tenant = await createTestClient(db);
    companyName = (await db.selectFrom('clients').select('companyName').where('id', '=', tenant.clientId).executeTakeFirstOrThrow())
      .companyName;
    email = `claire.${tenant.clientId.slice(0, 8)}@client.test`;
    await createUser(db, { email, displayName: 'Claire Martin', role: 'client_user', clientId: tenant.clientId, password });
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
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('refuses a wrong password, then signs the client user in', async () => {
    await page.goto(`${url}/requests`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Mot de passe').fill('pas le bon');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('E-mail ou mot de passe incorrect');
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('Claire Martin');
    // A client sees the client pages only.
    const nav = await page.locator('header nav').innerText();
    expect(nav).toContain('Nouvelle demande');
    expect(nav).not.toContain('Planning');
  });

  it('routes real paths: a deep link opens its page, a link navigates without reloading, an unknown or forbidden path is a 404 page; /api and /healthz are not the app', async () => {
    await page.goto(`${url}/new`);
    await page.getByRole('heading', { name: 'Nouvelle demande' }).waitFor();
    await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
    await page.locator('header nav').getByRole('link', { name: 'Demandes' }).click();
    await page.getByRole('heading', { name: 'Demandes d’intervention' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/requests');
    // The same document: the router changed the page, the browser did not load a new one.
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
    await page.goBack();
    await page.getByRole('heading', { name: 'Nouvelle demande' }).waitFor();
    // A link written before the router (hash route) still leads to its page.
    await page.goto(`${url}/#/requests`);
    await page.getByRole('heading', { name: 'Demandes d’intervention' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/requests');
    for (const path of ['/no-such-page', '/planning']) {
      await page.goto(`${url}${path}`);
      await page.getByRole('heading', { name: 'Page introuvable' }).waitFor();
    }
    await page.goto(url);
    await page.getByRole('heading', { name: 'Demandes d’intervention' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/requests');
    const health = await fetch(`${url}/healthz`);
    expect(health.headers.get('content-type')).toContain('application/json');
    const unknownApi = await fetch(`${url}/api/no-such-route`);
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.text()).not.toContain('<div id="app">');
  });

  it('files a request through the French intake form and shows the confirmation', async () => {
    await page.goto(`${url}/new`);
    await page.getByLabel('Entreprise').selectOption({ label: companyName });
    await page.getByLabel('Type d’intervention').selectOption('network_configuration');
    await page.getByLabel('Objet de la demande').fill('Wi-Fi de la salle de réunion coupé');
    await page.getByLabel('Marque').fill('Ubiquiti');
    await page.getByLabel('Modèle').fill('U6 Pro');
    await page.getByLabel('Nom du responsable').fill('Claire Martin');
    await page.getByLabel('E-mail professionnel').fill('claire.martin@client.test');
    await page.getByLabel('Nature de l’incident').fill('Plus aucun appareil ne se connecte au Wi-Fi.');
    await page.getByLabel('Impact sur l’activité', { exact: true }).fill('Réunions client impossibles.');
    await page.getByLabel('Gravité de l’impact').selectOption('high');
    await page.getByLabel('Urgence').selectOption('high');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    const confirmation = page.getByTestId('confirmation');
    await confirmation.waitFor();
    const text = await confirmation.innerText();
    expect(text).toMatch(/INT-\d{4}-\d{6}/);
    expect(text).toContain('P2');
    const ticket = text.match(/INT-\d{4}-\d{6}/)![0];
    filedTicket = ticket;
    const row = await db
      .selectFrom('serviceRequests')
      .select(['title', 'status'])
      .where('ticketNumber', '=', ticket)
      .executeTakeFirstOrThrow();
    expect(row.title).toBe('Wi-Fi de la salle de réunion coupé');

    await page.goto(`${url}/requests`);
    await page.getByTestId('requests-table').getByText(ticket).waitFor();
    expect(await page.getByTestId('requests-table').innerText()).toContain('En cours d’analyse');
  });

  it('shows the API’s field errors when required fields are missing, and stores nothing', async () => {
    const before = await db.selectFrom('serviceRequests').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await page.goto(`${url}/new`);
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('title');
    expect(text).toContain('contact.email');
    expect(text).toContain('problem.nature');
    const after = await db.selectFrom('serviceRequests').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('says honestly that a request is registered but not yet confirmed when no worker answers (202), and files a double submission once', async () => {
    const tenantId = (await db.selectFrom('clients').select('id').where('companyName', '=', companyName).executeTakeFirstOrThrow()).id;
    const keysOf = async () => db.selectFrom('intakeIdempotencyKeys').select('ticketNumber').where('clientId', '=', tenantId).execute();
    const before = await keysOf();
    await platform.stopWorker();
    try {
      await page.goto(`${url}/new`);
      await page.getByLabel('Entreprise').selectOption({ label: companyName });
      await page.getByLabel('Objet de la demande').fill('Serveur de fichiers inaccessible');
      await page.getByLabel('Nom du responsable').fill('Claire Martin');
      await page.getByLabel('E-mail professionnel').fill('claire.martin@client.test');
      await page.getByLabel('Nature de l’incident').fill('Le lecteur réseau S: ne répond plus.');
      await page.getByLabel('Impact sur l’activité', { exact: true }).fill('Les dossiers partagés sont inaccessibles.');
      // A double submission: both go out before the first answer (the button is not disabled yet).
      const posts: string[] = [];
      const onRequest = (request: { method(): string; url(): string; headers(): Record<string, string> }) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/requests')) posts.push(request.headers()['idempotency-key'] ?? '');
      };
      page.on('request', onRequest);
      await page.locator('form').evaluate((form) => {
        const f = form as unknown as { requestSubmit(): void };
        f.requestSubmit();
        f.requestSubmit();
      });
      const pending = page.getByTestId('confirmation-pending');
      await pending.waitFor({ timeout: 30_000 });
      expect(await pending.innerText()).toContain('vous sera envoyée par e-mail');
      const text = await page.getByTestId('confirmation').innerText();
      expect(text).toContain('Demande enregistrée, confirmation à suivre');
      const ticket = text.match(/INT-\d{4}-\d{6}/)![0];
      // The form sent an Idempotency-Key: both submissions are this one ticket.
      const added = (await keysOf()).filter((k) => !before.some((b) => b.ticketNumber === k.ticketNumber));
      expect(added).toEqual([{ ticketNumber: ticket }]);
      page.off('request', onRequest);
      expect(posts).toHaveLength(2);
      expect(posts[1]).toBe(posts[0]);
      expect(posts[0]).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await platform.startWorker();
    }
  });

  it('switches to English', async () => {
    await page.goto(`${url}/requests`);
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('heading', { name: 'Service requests' }).waitFor();
    await page.locator('html[lang="en"]').waitFor({ state: 'attached', timeout: 5_000 });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // The choice survives a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Service requests' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('lets a dispatcher optimize a day with a progress bar, see it as a timeline, move a visit to another technician, and publish it', async () => {
    // Support sends the filed request to planning; a hardware technician works that Wednesday.
    const support = (await createTestAccount(db, 'support_agent')).headers;
    const triage = await fetch(`${url}/api/requests/${filedTicket}/triage`, {
      method: 'POST',
      headers: { ...support, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'intervene' }),
    });
    expect(triage.status).toBe(200);
    const tech = await db
      .insertInto('technicians')
      .values({
        firstName: 'Nadia',
        lastName: `Réseau-${filedTicket.slice(-4)}`,
        email: `nadia-${filedTicket}@tech.test`,
        level: 'N3',
        homeAddress: 'Paris 11e',
        homeLatitude: 48.859,
        homeLongitude: 2.38,
        hourlyCostCents: 4000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('technicianSkills').values({ technicianId: tech.id, skill: 'network_configuration', level: 5 }).execute();
    await db.insertInto('technicianShifts').values({ technicianId: tech.id, weekday: 3, startsAt: '08:00', endsAt: '18:00' }).execute();
    // A second network technician and a busier day, so the board has routes to override and a map to read.
    const second = await db
      .insertInto('technicians')
      .values({
        firstName: 'Hugo',
        lastName: `Réseau-${filedTicket.slice(-4)}`,
        email: `hugo-${filedTicket}@tech.test`,
        level: 'N3',
        homeAddress: 'Boulogne',
        homeLatitude: 48.835,
        homeLongitude: 2.24,
        hourlyCostCents: 4000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('technicianSkills').values({ technicianId: second.id, skill: 'network_configuration', level: 4 }).execute();
    await db.insertInto('technicianShifts').values({ technicianId: second.id, weekday: 3, startsAt: '08:00', endsAt: '18:00' }).execute();
    const tenant = await db
      .selectFrom('serviceRequests')
      .select('clientId')
      .where('ticketNumber', '=', filedTicket)
      .executeTakeFirstOrThrow();
    const sites: Array<[number, number]> = [
      [48.87, 2.35],
      [48.885, 2.3],
      [48.84, 2.32],
      [48.85, 2.27],
      [48.825, 2.36],
      [48.865, 2.4],
      [48.83, 2.25],
      [48.895, 2.34],
    ];
    for (const [i, [lat, lon]] of sites.entries()) {
      await addPlannableRequest(db, {
        clientId: tenant.clientId,
        lat,
        lon,
        siteName: `Agence ${i + 1}`,
        title: `Réseau agence ${i + 1}`,
        priority: (['P2', 'P3', 'P4'] as const)[i % 3]!,
      });
    }
    const dispatcher = `dispatch-${filedTicket.toLowerCase()}@intervention.test`;
    const { context, board } = await openPlanningBoardAs(browser, url, db, { email: dispatcher, displayName: 'Paul Dispatch', password });
    await board.getByLabel('Jour', { exact: true }).fill('2026-11-25');
    await board.getByLabel('Temps de calcul (s)').fill('3');
    await board.getByRole('button', { name: 'Optimiser la journée' }).click();
    await board.getByTestId('plan-progress').waitFor();
    await board.getByTestId('timeline-chart').waitFor({ timeout: 30_000 });
    expect(await board.getByTestId('timeline-chart').innerHTML()).toContain(filedTicket);
    expect(await board.getByTestId('plan-version').innerText()).toMatch(/^Version 1/);
    // The legend names both technicians; the map has a scale bar.
    const legend = await board.getByTestId('plan-legend').first().innerText();
    expect(legend).toContain('Nadia');
    await board.getByTestId('map-scale').waitFor();
    await board.screenshot({ path: screenshotPath('overrides-board-v1.png'), fullPage: true });

    // The dispatcher gives the filed request to the other technician: click it in the day, pick, apply.
    const planV1 = await db
      .selectFrom('dispatchPlans')
      .select('result')
      .where('planDate', '=', '2026-11-25')
      .orderBy('createdAt', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const ownerV1 = (planV1.result as any).routes.find((r: any) => r.stops.some((s: any) => s.ticketNumber === filedTicket))
      .technicianId as string;
    const target = ownerV1 === tech.id ? second.id : tech.id;
    await board.locator(`[data-ticket="${filedTicket}"]`).click();
    expect(await board.getByLabel('Intervention', { exact: true }).inputValue()).toBe(filedTicket);
    await board.getByLabel('Technicien', { exact: true }).selectOption(target);
    await board.getByRole('button', { name: 'Affecter à ce technicien' }).click();
    await board.getByTestId('moved-summary').waitFor({ timeout: 30_000 });
    await board
      .getByTestId('plan-version')
      .getByText(/^Version 2/)
      .waitFor();
    const summary = await board.getByTestId('moved-summary').innerText();
    expect(summary).toContain(`${filedTicket} → ${target === tech.id ? 'Nadia' : 'Hugo'}`);
    expect(summary).toMatch(/(\d+ interventions? déplacées?|Aucune autre intervention déplacée)/);
    expect(await board.locator(`[data-ticket="${filedTicket}"]`).getAttribute('data-moved')).toBe('true');
    const stored = await db
      .selectFrom('dispatchPlans')
      .select(['version', 'status', 'result'])
      .where('planDate', '=', '2026-11-25')
      .orderBy('createdAt', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(stored.version).toBe(2);
    const ownerV2 = (stored.result as any).routes.find((r: any) => r.stops.some((s: any) => s.ticketNumber === filedTicket)).technicianId;
    expect(ownerV2).toBe(target);
    await board.screenshot({ path: screenshotPath('overrides-board-v2.png'), fullPage: true });
    await board.getByRole('button', { name: 'Publier le plan (affecter les techniciens)' }).click();
    await board.getByTestId('publish-outcome').waitFor();
    expect(await board.getByTestId('publish-outcome').innerText()).toMatch(/^\d+ interventions? affectées?/);
    const assignment = await db
      .selectFrom('assignments as a')
      .innerJoin('serviceRequests as r', 'r.id', 'a.requestId')
      .select(['a.source', 'r.status'])
      .where('r.ticketNumber', '=', filedTicket)
      .executeTakeFirstOrThrow();
    expect(assignment).toEqual({ source: 'optimizer', status: 'scheduled' });
    // Published as overridden: the filed request went to the technician the dispatcher chose.
    const assignedTo = await db
      .selectFrom('assignments as a')
      .innerJoin('serviceRequests as r', 'r.id', 'a.requestId')
      .select('a.technicianId')
      .where('r.ticketNumber', '=', filedTicket)
      .executeTakeFirstOrThrow();
    expect(assignedTo.technicianId).toBe(target);
    await context.close();
  });

  it('marks a technician absent from the board: their visits are re-planned, the board says how many moved', async () => {
    const date = '2026-11-27'; // a Friday: only this scenario's technicians work that day
    const tenant = await createTestClient(db);
    const techs: Array<{ id: string; name: string }> = [];
    for (const [name, lat, lon] of [
      ['Inès', 48.87, 2.3],
      ['Léo', 48.84, 2.39],
      ['Sami', 48.83, 2.28],
    ] as const) {
      const row = await db
        .insertInto('technicians')
        .values({
          firstName: name,
          lastName: `Absence-${tenant.clientId.slice(0, 4)}`,
          email: `${name.toLowerCase()}-${tenant.clientId}@tech.test`,
          level: 'N3',
          homeAddress: 'Paris',
          homeLatitude: lat,
          homeLongitude: lon,
          hourlyCostCents: 4000,
        })
        .returning(['id', 'firstName', 'lastName'])
        .executeTakeFirstOrThrow();
      await db.insertInto('technicianSkills').values({ technicianId: row.id, skill: 'network_configuration', level: 5 }).execute();
      await db.insertInto('technicianShifts').values({ technicianId: row.id, weekday: 5, startsAt: '08:00', endsAt: '18:00' }).execute();
      techs.push({ id: row.id, name: `${row.firstName} ${row.lastName}` });
    }
    const sites: Array<[number, number]> = [
      [48.88, 2.31],
      [48.86, 2.29],
      [48.875, 2.33],
      [48.845, 2.38],
      [48.835, 2.4],
      [48.85, 2.36],
      [48.825, 2.3],
      [48.84, 2.27],
      [48.82, 2.33],
    ];
    for (const [i, [lat, lon]] of sites.entries()) {
      await addPlannableRequest(db, {
        clientId: tenant.clientId,
        lat,
        lon,
        siteName: `Bureau ${i + 1}`,
        title: `Réseau bureau ${i + 1}`,
        priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4]!,
      });
    }
    const dispatcher = `absent-${tenant.clientId.slice(0, 8)}@intervention.test`;
    const { context, board } = await openPlanningBoardAs(browser, url, db, { email: dispatcher, displayName: 'Lucie Dispatch', password });
    await board.getByLabel('Jour', { exact: true }).fill(date);
    await board.getByLabel('Temps de calcul (s)').fill('3');
    await board.getByRole('button', { name: 'Optimiser la journée' }).click();
    await board.getByTestId('timeline-chart').waitFor({ timeout: 30_000 });
    const latestResult = async () =>
      await db
        .selectFrom('dispatchPlans')
        .select(['version', 'result'])
        .where('planDate', '=', date)
        .orderBy('createdAt', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
    const owners = (result: any) =>
      new Map<string, string>(result.routes.flatMap((r: any) => r.stops.map((st: any) => [st.ticketNumber, r.technicianId])));
    const v1 = await latestResult();
    const before = owners(v1.result);
    // The busiest of the three is away for the day: a click on their name in the day prepares it.
    const absent = techs
      .map((t) => ({ ...t, stops: [...before.values()].filter((id) => id === t.id).length }))
      .sort((a, b) => b.stops - a.stops)[0]!;
    expect(absent.stops).toBeGreaterThan(1);
    await board.locator(`[data-technician="${absent.id}"]`).click();
    expect(await board.getByLabel('Technicien absent', { exact: true }).inputValue()).toBe(absent.id);
    await board.getByRole('button', { name: 'Marquer absent' }).click();
    await board
      .getByTestId('plan-version')
      .getByText(/^Version 2/)
      .waitFor({ timeout: 30_000 });
    const v2 = await latestResult();
    const after = owners(v2.result);
    expect([...after.values()]).not.toContain(absent.id);
    const changed = [...before].filter(([ticket, owner]) => after.get(ticket) !== owner).map(([ticket]) => ticket);
    expect(changed.length).toBeGreaterThanOrEqual(absent.stops);
    const summary = await board.getByTestId('moved-summary').innerText();
    expect(summary).toContain(`${changed.length} interventions déplacées`);
    for (const ticket of changed) {
      expect(summary).toContain(ticket);
      if (after.has(ticket)) expect(await board.locator(`[data-ticket="${ticket}"]`).getAttribute('data-moved')).toBe('true');
    }
    // The absent technician keeps a labelled row in the day.
    expect(await board.locator(`[data-absent="${absent.id}"]`).textContent()).toBe('Absent');
    await board.screenshot({ path: screenshotPath('overrides-board-absent.png'), fullPage: true });
    await context.close();
  });
});
