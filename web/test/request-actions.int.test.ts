/**
 * Every role does its job from the request page, in a real browser (Debian's chromium through
 * playwright-core) against the real API, worker, PostgreSQL and Temporal: support triages, the
 * dispatcher assigns, the technician works and reports, the client validates and answers the
 * survey. The database status is checked after each step; a refusal from the API is shown. The
 * timeline says its facts in the reader's language (names, dates, modes, ratings), the technician
 * picks parts from the catalogue, a user with nothing to do is told so, and the page speaks English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { buildWeb } from '../../scripts/build-web.js';
import { screenshotPath, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody } from '../../scripts/testing/fixtures.js';

describe('request page actions in chromium', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let ticket: string;
  let technicianId: string;
  let technicianLabel: string;
  let technicianName: string;
  // A catalogue part only this file knows, so the search finds exactly it.
  const partWord = `ventirad${Date.now().toString(36)}`;
  const part = { sku: `FAN-${partWord.toUpperCase()}`, label: `Ventilateur ${partWord} 92 mm` };
  const headers: Record<'client' | 'support' | 'otherSupport' | 'dispatcher' | 'technician', Record<string, string>> = {} as never;

  /** A signed-in page for an account: its session cookie in a fresh browser context. */
  async function pageFor(who: keyof typeof headers): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const sid = headers[who].cookie!.replace(/^sid=/, '');
    await context.addCookies([{ name: 'sid', value: sid, url }]);
    const page = await context.newPage();
    await page.goto(`${url}/requests/${ticket}`);
    // The live state is loaded: the panels shown are the ones for the current status.
    await page.getByTestId('state-summary').waitFor();
    return page;
  }

  const statusOf = async () =>
    (await db.selectFrom('serviceRequests').select('status').where('ticketNumber', '=', ticket).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { webRoot: await buildWeb({ minify: false }), log: () => {} } });
    ({ db, url } = platform);
    const tenant = await createTestClient(db);
    headers.client = (await createTestAccount(db, 'client_user', { clientId: tenant.clientId })).headers;
    headers.support = (await createTestAccount(db, 'support_agent')).headers;
    headers.otherSupport = (await createTestAccount(db, 'support_agent')).headers;
    headers.dispatcher = (await createTestAccount(db, 'dispatcher')).headers;
    const tech = await createTestAccount(db, 'technician');
    headers.technician = tech.headers;
    technicianId = tech.technicianId!;
    const row = await db
      .selectFrom('technicians')
      .select(['firstName', 'lastName', 'level'])
      .where('id', '=', technicianId)
      .executeTakeFirstOrThrow();
    technicianLabel = `${row.firstName} ${row.lastName} (${row.level})`;
    technicianName = `${row.firstName} ${row.lastName}`;
    await db
      .insertInto('partsCatalogue')
      .values({ ...part, unitPriceCents: 1900 })
      .execute();
    const filed = await fetch(`${url}/api/requests`, {
      method: 'POST',
      headers: { ...headers.client, 'content-type': 'application/json' },
      body: JSON.stringify(intakeBody(tenant)),
    });
    expect(filed.status).toBe(201);
    ticket = ((await filed.json()) as { ticketNumber: string }).ticketNumber;
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

  it('does not offer support’s triage panel to the client', async () => {
    // Support would see it now.
    await expect.poll(statusOf, { timeout: 10_000 }).toBe('analysis');
    const client = await pageFor('client');
    expect(await client.getByTestId('triage-form').count()).toBe(0);
    expect(await client.getByTestId('priority-form').count()).toBe(0);
    expect(await client.locator('main').innerText()).not.toContain('Décision d’analyse');
    // The timeline speaks French, not status codes.
    const timeline = await client.getByTestId('timeline').innerText();
    expect(timeline).toContain('En cours d’analyse');
    expect(timeline).not.toMatch(/\banalysis\b/);
  });

  it('shows entries written before timeline details with their message', async () => {
    const { id: requestId } = await db
      .selectFrom('serviceRequests')
      .select('id')
      .where('ticketNumber', '=', ticket)
      .executeTakeFirstOrThrow();
    const legacy = { requestId, actorType: 'technician' as const, details: null };
    await db
      .insertInto('requestEvents')
      .values([
        { ...legacy, kind: 'check_in', message: 'remote', idempotencyKey: `legacy:${ticket}:check-in` },
        { ...legacy, kind: 'client_answer', message: 'Réponse consignée avant les détails', idempotencyKey: `legacy:${ticket}:answer` },
      ])
      .execute();
    const client = await pageFor('client');
    const timeline = client.getByTestId('timeline');
    expect(await timeline.locator('li', { hasText: 'Arrivée du technicien' }).innerText()).toContain('À distance');
    expect(await timeline.locator('li', { hasText: 'Réponse du client' }).innerText()).toContain('Réponse consignée avant les détails');
  });

  it('says the system’s entries (SLA, priority raised by the SLA, not billable) in French, not the workflow’s English', async () => {
    const { id: requestId } = await db
      .selectFrom('serviceRequests')
      .select('id')
      .where('ticketNumber', '=', ticket)
      .executeTakeFirstOrThrow();
    const system = { requestId, actorType: 'system' as const };
    const dueAt = '2026-11-24T14:30:00.000Z';
    await db
      .insertInto('requestEvents')
      .values([
        {
          ...system,
          kind: 'sla:response_breached',
          message: 'priority raised to P1',
          details: JSON.stringify({
            type: 'sla',
            milestone: 'response_breached',
            dueAt,
            priorityRaisedTo: 'P1',
            supportLevelRaisedTo: null,
          }),
          idempotencyKey: `details:${ticket}:sla`,
        },
        {
          ...system,
          kind: 'priority_changed',
          message: 'SLA response breached',
          details: JSON.stringify({
            type: 'priority',
            from: 'P2',
            to: 'P1',
            reason: 'SLA response breached',
            slaMilestone: 'response_breached',
          }),
          idempotencyKey: `details:${ticket}:priority`,
        },
        {
          ...system,
          actorType: 'finance' as const,
          kind: 'billing:not_billable',
          message: `${ticket}: no visit and no part to invoice`,
          details: JSON.stringify({ type: 'not_billable', reason: 'nothing_to_invoice' }),
          idempotencyKey: `details:${ticket}:not-billable`,
        },
      ])
      .execute();
    try {
      const client = await pageFor('client');
      const timeline = client.getByTestId('timeline');
      const sla = await timeline.locator('li', { hasText: 'Délai de réponse dépassé' }).first().innerText();
      expect(sla).toContain('Support alerté, priorité relevée à P1');
      expect(sla).toContain('24/11/2026');
      expect(await timeline.locator('li', { hasText: 'Priorité modifiée' }).last().innerText()).toContain('P2 → P1');
      expect(await timeline.locator('li', { hasText: 'Non facturable' }).innerText()).toContain(
        'Rien à facturer : ni déplacement ni pièce',
      );
      const text = await timeline.innerText();
      expect(text).not.toContain('priority raised to');
      expect(text).not.toContain('SLA response breached');
      expect(text).not.toContain('no visit and no part');
    } finally {
      await db.deleteFrom('requestEvents').where('idempotencyKey', 'like', `details:${ticket}:%`).execute();
    }
  });

  it('shows the API’s 409 next to the form when another agent changed the priority first', async () => {
    const support = await pageFor('support');
    await support.getByTestId('triage-form').waitFor();
    const before = (await db.selectFrom('serviceRequests').select('priority').where('ticketNumber', '=', ticket).executeTakeFirstOrThrow())
      .priority;
    const target = before === 'P1' ? 'P2' : 'P1';
    const first = await fetch(`${url}/api/requests/${ticket}/priority`, {
      method: 'POST',
      headers: { ...headers.otherSupport, 'content-type': 'application/json' },
      body: JSON.stringify({ priority: target, reason: 'Direction bloquée' }),
    });
    expect(first.status).toBe(200);
    // This page still shows the old priority; asking for the same change is refused.
    const form = support.getByTestId('priority-form');
    await form.getByLabel('Nouvelle priorité').selectOption(target);
    await form.getByLabel('Motif').fill('Client VIP');
    await form.getByRole('button', { name: 'Changer la priorité' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('409');
    expect(text).toContain(`priority is already ${target}`);
    const events = await db
      .selectFrom('requestEvents as e')
      .innerJoin('serviceRequests as r', 'r.id', 'e.requestId')
      .select('e.message')
      .where('r.ticketNumber', '=', ticket)
      .where('e.kind', '=', 'priority_changed')
      .execute();
    expect(events.map((e) => e.message)).toEqual(['Direction bloquée']);
  });

  it('shows the fields the API names when a remote solution comes without the time spent, and changes nothing', async () => {
    const support = await pageFor('support');
    const triage = support.getByTestId('triage-form');
    await triage.getByLabel('Proposer une solution à distance').check();
    await triage.getByLabel('Solution proposée').fill('Réinstaller le pilote graphique depuis le portail.');
    await triage.getByRole('button', { name: 'Enregistrer la décision' }).click();
    const alert = triage.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('400');
    expect(text).toContain('minutes');
    expect(await statusOf()).toBe('analysis');
    const sessions = await db
      .selectFrom('requestEvents as e')
      .innerJoin('serviceRequests as r', 'r.id', 'e.requestId')
      .select('e.kind')
      .where('r.ticketNumber', '=', ticket)
      .where('e.kind', '=', 'solution')
      .execute();
    expect(sessions).toEqual([]);
  });

  it('walks the intervention through support, dispatch, the technician and the client', async () => {
    // Support: "intervene".
    const support = await pageFor('support');
    const triage = support.getByTestId('triage-form');
    await triage.getByLabel('Planifier une intervention').check();
    await triage.getByLabel('Note (facultative)').fill('Carte mère probable, pièce à prévoir.');
    await triage.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await triage.waitFor({ state: 'detached' });
    expect(await statusOf()).toBe('awaiting_planning');

    // Dispatch: a technician, a day and a slot (Paris summer time, UTC+2).
    const dispatch = await pageFor('dispatcher');
    const assign = dispatch.getByTestId('assign-form');
    await assign.getByLabel('Technicien').selectOption({ label: technicianLabel });
    await assign.getByLabel('Jour de l’intervention').fill('2027-06-16');
    await assign.getByLabel('Début').fill('09:00');
    await assign.getByLabel('Fin').fill('11:30');
    await assign.getByLabel('Préparation (pièces, outils, accès)').fill('Prévoir une alimentation de rechange.');
    await assign.getByRole('button', { name: 'Affecter' }).click();
    await dispatch.getByTestId('assigned-technician').waitFor();
    expect(await dispatch.getByTestId('assigned-technician').innerText()).toBe(technicianLabel.replace(/ \(N\d\)$/, ''));
    expect(await statusOf()).toBe('scheduled');
    const assignment = await db
      .selectFrom('assignments as a')
      .innerJoin('serviceRequests as r', 'r.id', 'a.requestId')
      .select(['a.technicianId', 'a.scheduledStart', 'a.scheduledEnd', 'a.source'])
      .where('r.ticketNumber', '=', ticket)
      .executeTakeFirstOrThrow();
    expect(assignment.technicianId).toBe(technicianId);
    expect(new Date(assignment.scheduledStart).toISOString()).toBe('2027-06-16T07:00:00.000Z');
    expect(new Date(assignment.scheduledEnd).toISOString()).toBe('2027-06-16T09:30:00.000Z');
    expect(assignment.source).toBe('dispatcher');
    // The timeline says who and when in French, not "assigned: … 2027-06-16T09:00:00+02:00".
    const assigned = dispatch.getByTestId('timeline').locator('li', { hasText: 'Technicien affecté' });
    await assigned.waitFor();
    const assignedText = await assigned.innerText();
    expect(assignedText).toContain(`Technicien affecté : ${technicianName}`);
    expect(assignedText).toMatch(/mercredi 16 juin 2027,? 09:00\s*–\s*11:30/);
    expect(assignedText).not.toMatch(/assigned:|2027-06-16T/);
    expect(await dispatch.getByTestId('assigned-slot').innerText()).toMatch(/^mercredi 16 juin 2027,? 09:00\s*–\s*11:30$/);

    // Technician: check in, log, check out, report.
    const tech = await pageFor('technician');
    const panel = tech.getByTestId('technician-panel');
    await panel.getByLabel('Sur site').check();
    await panel.getByRole('button', { name: 'Je commence l’intervention' }).click();
    const log = tech.getByTestId('log-form');
    await log.waitFor();
    expect(await statusOf()).toBe('in_progress');
    // Checked in "on site", said in French.
    expect(await tech.getByTestId('timeline').locator('li', { hasText: 'Intervention en cours' }).innerText()).toContain('Mode : Sur site');
    // The client, meanwhile, is told there is nothing to do yet, and why.
    const waiting = await pageFor('client');
    await waiting.getByTestId('nothing-to-do').waitFor();
    expect(await waiting.getByTestId('nothing-to-do').innerText()).toBe(
      'Votre technicien intervient ; vous serez invité à valider son travail.',
    );
    expect(await waiting.getByTestId('client-validation').count()).toBe(0);
    await waiting.screenshot({ path: screenshotPath('webpolish-client-nothing-to-do.png'), fullPage: true });
    // A part, picked from the catalogue by searching its name.
    await log.getByLabel('Type d’entrée').selectOption('part');
    await log.getByLabel('Rechercher une pièce (référence ou désignation)').fill(`${partWord} 92`);
    const picker = log.getByLabel('Pièce du catalogue');
    await picker.locator('option', { hasText: part.label }).waitFor();
    expect(await picker.locator('option').allInnerTexts()).toEqual([`${part.label} — ${part.sku}`]);
    await picker.selectOption({ label: `${part.label} — ${part.sku}` });
    await log.getByLabel('Quantité').fill('2');
    await tech.screenshot({ path: screenshotPath('webpolish-technician-part-picker.png'), fullPage: true });
    await log.getByRole('button', { name: 'Ajouter au journal' }).click();
    await tech.getByTestId('timeline').getByText(`2 × ${part.label}`).waitFor();
    const used = await db
      .selectFrom('partsUsed as p')
      .innerJoin('serviceRequests as r', 'r.id', 'p.requestId')
      .select(['p.sku', 'p.quantity'])
      .where('r.ticketNumber', '=', ticket)
      .execute();
    expect(used).toEqual([{ sku: part.sku, quantity: 2 }]);
    await log.getByLabel('Type d’entrée').selectOption('diagnosis');
    await log.getByLabel('Détail').fill('Alimentation défectueuse, carte mère saine.');
    await log.getByRole('button', { name: 'Ajouter au journal' }).click();
    await tech.getByTestId('timeline').getByText('Alimentation défectueuse, carte mère saine.').waitFor();
    await log.getByLabel('Type d’entrée').selectOption('action');
    await log.getByLabel('Détail').fill('Alimentation remplacée, poste redémarré.');
    await log.getByRole('button', { name: 'Ajouter au journal' }).click();
    await tech.getByTestId('timeline').getByText('Alimentation remplacée, poste redémarré.').waitFor();
    const kinds = await db
      .selectFrom('requestEvents as e')
      .innerJoin('serviceRequests as r', 'r.id', 'e.requestId')
      .select('e.kind')
      .where('r.ticketNumber', '=', ticket)
      .where('e.kind', 'like', 'log:%')
      .orderBy('e.id')
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(['log:part', 'log:diagnosis', 'log:action']);
    const techTimeline = await tech.getByTestId('timeline').innerText();
    expect(techTimeline).toContain('Diagnostic');
    expect(techTimeline).toContain('Action effectuée');
    await tech.screenshot({ path: screenshotPath('webact-technician.png'), fullPage: true });
    await panel.getByRole('button', { name: 'Je quitte le site' }).click();
    const report = tech.getByTestId('report-form');
    await report.waitFor();
    expect(await statusOf()).toBe('in_progress');
    await report.getByLabel('Résumé de l’intervention').fill('Alimentation remplacée ; le poste démarre, tests OK.');
    await report
      .getByLabel('Recommandations préventives (une par ligne)')
      .fill('Brancher le poste sur onduleur\n\nDépoussiérer une fois par an');
    await report.getByRole('button', { name: 'Envoyer le rapport au client' }).click();
    await panel.waitFor({ state: 'detached' });
    expect(await statusOf()).toBe('awaiting_validation');

    // Client: sees the report and recommendations, accepts, then answers the survey.
    const client = await pageFor('client');
    const validation = client.getByTestId('client-validation');
    await validation.waitFor();
    const shown = await validation.innerText();
    expect(shown).toContain('Rapport d’intervention à valider');
    expect(shown).toContain('Alimentation remplacée ; le poste démarre, tests OK.');
    expect(await client.getByTestId('recommendations').locator('li').allInnerTexts()).toEqual([
      'Brancher le poste sur onduleur',
      'Dépoussiérer une fois par an',
    ]);
    expect(await client.getByTestId('client-status').innerText()).toBe('Solution proposée');
    await client.screenshot({ path: screenshotPath('webact-client-validation.png'), fullPage: true });
    await validation.getByRole('button', { name: 'Valider : le problème est résolu' }).click();
    await validation.waitFor({ state: 'detached' });
    // Acceptance, then invoicing, then the survey opens: the workflow carries on by itself.
    await expect.poll(statusOf, { timeout: 30_000 }).toBe('survey');
    const survey = client.getByTestId('client-survey');
    await survey.waitFor({ timeout: 15_000 });
    await client.getByTestId('client-status').getByText('Résolu').waitFor();
    await survey.getByRole('radio', { name: '4 ★' }).check();
    await survey.getByLabel('Commentaire (facultatif)').fill('Technicien ponctuel et clair.');
    await survey.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await client.getByTestId('survey-thanks').waitFor();
    expect(await statusOf()).toBe('closed');
    const answer = await db
      .selectFrom('satisfactionSurveys as s')
      .innerJoin('serviceRequests as r', 'r.id', 's.requestId')
      .select(['s.rating', 's.comment'])
      .where('r.ticketNumber', '=', ticket)
      .executeTakeFirstOrThrow();
    expect(answer).toEqual({ rating: 4, comment: 'Technicien ponctuel et clair.' });
    await client.getByTestId('client-status').getByText('Fermé').waitFor();
    const timeline = await client.getByTestId('timeline').innerText();
    expect(timeline).toContain('Validée par le client');
    expect(timeline).toContain('Fermée');
    expect(timeline).not.toMatch(/awaiting_validation|in_progress|status_change/);
    // The rating as stars, not "survey 4/5".
    expect(await client.getByTestId('timeline').locator('li', { hasText: 'Fermée' }).innerText()).toContain('★★★★☆');
    expect(timeline).not.toContain('survey 4/5');
    // Closed: a plain word that nothing is left to do, beside the thanks.
    expect(await client.getByTestId('nothing-to-do').count()).toBe(0);
    await client.screenshot({ path: screenshotPath('webpolish-client-closed.png'), fullPage: true });
  });

  it('speaks English on the request page once the reader switches language', async () => {
    const client = await pageFor('client');
    await client.getByLabel('Langue').selectOption('en');
    await client.getByRole('heading', { name: 'Timeline' }).waitFor();
    const timeline = await client.getByTestId('timeline').innerText();
    expect(timeline).toContain(`Technician assigned: ${technicianName}`);
    expect(timeline).toMatch(/Wednesday,? 16 June 2027,? 09:00\s*–\s*11:30/);
    expect(timeline).toContain('Mode: On site');
    expect(timeline).toContain(`2 × ${part.label}`);
    expect(timeline).toContain('Closed');
    expect(timeline).toContain('Accepted by the client');
    expect(timeline).not.toMatch(/Fermée|Technicien affecté|juin/);
    const thanks = client.getByTestId('survey-thanks');
    expect(await thanks.innerText()).toContain('Thank you for your feedback');
    expect(await thanks.getByRole('img', { name: 'Rating: 4 out of 5' }).count()).toBe(1);
    expect(await client.getByTestId('state-summary').locator('h2').innerText()).toBe('Visit');
    expect(await client.getByTestId('timeline').getByRole('img', { name: 'Rating: 4 out of 5' }).count()).toBe(1);
    await client.screenshot({ path: screenshotPath('webpolish-client-english.png'), fullPage: true });

    // The technician's page: its panels in English too, and nothing left to do said in English.
    const tech = await pageFor('technician');
    await tech.getByLabel('Langue').selectOption('en');
    await tech.getByTestId('nothing-to-do').getByText('This request is finished: no action left.').waitFor();
    expect(await tech.getByTestId('timeline').innerText()).toContain('Part replaced');
  });
});
