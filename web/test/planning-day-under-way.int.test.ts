/**
 * The planning board in a real browser (Debian's chromium through playwright-core) on a day under
 * way, with the worker's clock fixed at 10:00 (Paris) that day: a visit checked in is marked as
 * on site and cannot be picked for an override; once the day has an override, the board offers to
 * keep the dispatcher's changes in a new run.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { DB } from '../../db/index.js';
import { createDispatchActivities } from '../../activities/dispatch/dispatch.activities.js';
import { buildWeb } from '../../scripts/build-web.js';
import { screenshotPath, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { addPlannableRequest, createTestClient } from '../../scripts/testing/fixtures.js';
import { openPlanningBoardAs } from './planning-board.js';

// A Sunday: no other test gives technicians a Sunday shift.
const DATE = '2026-11-29';
const at = (hhmm: string) => DateTime.fromISO(`${DATE}T${hhmm}`, { zone: 'Europe/Paris' }).toJSDate();

describe('planning board, a day under way', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let browser: Browser;
  const password = 'mot-de-passe-de-test-2026';

  beforeAll(async () => {
    platform = await startTestPlatform({
      app: { webRoot: await buildWeb({ minify: false }), log: () => {} },
      activities: (pool) => createDispatchActivities({ db: pool, now: () => at('10:00') }),
    });
    ({ db, url } = platform);
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
    await browser?.close();
    await platform?.stop();
  });

  it('marks the visit on site, keeps it out of the override form, and offers to keep the overrides', async () => {
    const tenant = await createTestClient(db);
    const techs: string[] = [];
    for (const [name, lon] of [
      ['Nora', 2.3],
      ['Yanis', 2.38],
    ] as const) {
      const row = await db
        .insertInto('technicians')
        .values({
          firstName: name,
          lastName: `Dimanche-${randomUUID().slice(0, 4)}`,
          email: `${randomUUID()}@tech.test`,
          level: 'N3',
          homeAddress: 'Paris',
          homeLatitude: 48.86,
          homeLongitude: lon,
          hourlyCostCents: 4000,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('technicianSkills').values({ technicianId: row.id, skill: 'data_recovery', level: 5 }).execute();
      await db.insertInto('technicianShifts').values({ technicianId: row.id, weekday: 7, startsAt: '08:00', endsAt: '18:00' }).execute();
      techs.push(row.id);
    }
    const tickets: Array<{ id: string; ticketNumber: string }> = [];
    for (const [i, [lat, lon]] of (
      [
        [48.87, 2.31],
        [48.85, 2.36],
        [48.84, 2.33],
      ] as const
    ).entries()) {
      tickets.push(
        await addPlannableRequest(db, {
          clientId: tenant.clientId,
          lat,
          lon,
          serviceType: 'data_recovery',
          title: `Récupération ${i + 1}`,
          siteName: `Bureau ${i + 1}`,
        }),
      );
    }
    await db.updateTable('serviceRequests').set({ status: 'in_progress' }).where('id', '=', tickets[0]!.id).execute();
    // Nora has been on site for the first one since 09:15.
    const onSite = tickets[0]!;
    const assignment = await db
      .insertInto('assignments')
      .values({
        requestId: onSite.id,
        technicianId: techs[0]!,
        scheduledStart: at('09:15'),
        scheduledEnd: at('11:45'),
        priority: 'P3',
        status: 'on_site',
        source: 'optimizer',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('siteVisits')
      .values({
        requestId: onSite.id,
        assignmentId: assignment.id,
        technicianId: techs[0]!,
        checkedInAt: at('09:15'),
        idempotencyKey: randomUUID(),
      })
      .execute();

    const dispatcher = `sunday-${tenant.clientId.slice(0, 8)}@intervention.test`;
    const { context, board } = await openPlanningBoardAs(browser, url, db, { email: dispatcher, displayName: 'Lucie Dispatch', password });
    await board.getByLabel('Jour', { exact: true }).fill(DATE);
    await board.getByLabel('Temps de calcul (s)').fill('2');
    // No override yet: nothing to keep, so no question.
    expect(await board.getByTestId('keep-overrides').count()).toBe(0);
    await board.getByRole('button', { name: 'Optimiser la journée' }).click();
    await board.getByTestId('timeline-chart').waitFor({ timeout: 30_000 });

    const stop = board.locator(`[data-ticket="${onSite.ticketNumber}"]`);
    expect(await stop.locator('[data-started="in_progress"]').count()).toBe(1);
    expect(await stop.locator('title').textContent()).toContain('09:15–11:45');
    expect(await stop.locator('title').textContent()).toContain('en cours sur site');
    const option = board.getByLabel('Intervention', { exact: true }).locator(`option[value="${onSite.ticketNumber}"]`);
    expect(await option.isDisabled()).toBe(true);
    expect(await option.textContent()).toContain('(en cours sur site)');

    // Yanis is away for the rest of the day: an override, which a new run keeps unless unticked.
    await board.getByLabel('Technicien absent', { exact: true }).selectOption(techs[1]!);
    await board.getByRole('button', { name: 'Marquer absent' }).click();
    await board
      .getByTestId('plan-version')
      .getByText(/^Version 2/)
      .waitFor({ timeout: 30_000 });
    const keep = board.getByTestId('keep-overrides');
    expect(await keep.innerText()).toContain('Conserver la modification du répartiteur');
    expect(await keep.locator('input[type="checkbox"]').isChecked()).toBe(true);
    // The visit on site is still there, still marked.
    expect(await board.locator(`[data-ticket="${onSite.ticketNumber}"] [data-started="in_progress"]`).count()).toBe(1);
    await board.screenshot({ path: screenshotPath('planning-day-under-way.png'), fullPage: true });
    await context.close();
  });
});
