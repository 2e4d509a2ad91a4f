/**
 * The dispatch board's drag and drop in a real browser (Debian's chromium through playwright-core):
 * a dispatcher drags a visit onto the row of a technician who lacks its skill and sees the move
 * refused (the visit back in its place, the reason beside it), then drags a visit to a later time
 * and sees the move accepted (new version, moved visits shown). The board passes axe at 360 px
 * and wide.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { DB } from '../../db/index.js';
import { createDispatchActivities } from '../../activities/dispatch/dispatch.activities.js';
import { buildWeb } from '../../scripts/build-web.js';
import { screenshotPath, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { addPlannableRequest, createTestClient } from '../../scripts/testing/fixtures.js';
import { checkPageAtWidths, launchChromium } from './axe.js';
import { openPlanningBoardAs } from './planning-board.js';

// A Sunday in another week than the day-under-way test (technicians of other tests with a Sunday
// shift may share the day: the test finds rows and visits by their own ids, not by position).
const DATE = '2027-01-10';
const at = (hhmm: string) => DateTime.fromISO(`${DATE}T${hhmm}`, { zone: 'Europe/Paris' }).toJSDate();

/** The timeline's geometry, as drawn (viewBox 1000 wide, names in the first 180, 7:00 to 20:00). */
async function minuteToX(board: Page): Promise<(m: number) => number> {
  const box = (await board.getByTestId('timeline-chart').boundingBox())!;
  return (m: number) => box.x + (box.width * (180 + ((m - 420) / 780) * 820)) / 1000;
}

async function dragVisit(board: Page, ticket: string, to: { x: number; y: number }): Promise<void> {
  const box = (await board.locator(`[data-ticket="${ticket}"] rect`).last().boundingBox())!;
  await board.mouse.move(box.x + 3, box.y + box.height / 2);
  await board.mouse.down();
  await board.mouse.move(to.x, to.y, { steps: 8 });
  await board.getByTestId('drop-ghost').waitFor();
  await board.mouse.up();
}

describe('planning board, drag and drop', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startTestPlatform({
      app: { webRoot: await buildWeb({ minify: false }), log: () => {} },
      activities: (pool) => createDispatchActivities({ db: pool, now: () => at('06:00') }),
    });
    ({ db, url } = platform);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('snaps a refused move back with its reason, shows the visits an accepted move moved, and passes axe', async () => {
    const tenant = await createTestClient(db);
    const suffix = randomUUID().slice(0, 4);
    const addTechnician = async (firstName: string, skill: 'data_recovery' | 'network_configuration', lon: number) => {
      const row = await db
        .insertInto('technicians')
        .values({
          firstName,
          lastName: `Glisser-${suffix}`,
          email: `${randomUUID()}@tech.test`,
          level: 'N3',
          homeAddress: 'Paris',
          homeLatitude: 48.86,
          homeLongitude: lon,
          hourlyCostCents: 4000,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('technicianSkills').values({ technicianId: row.id, skill, level: 5 }).execute();
      await db.insertInto('technicianShifts').values({ technicianId: row.id, weekday: 7, startsAt: '08:00', endsAt: '18:00' }).execute();
      return row.id;
    };
    const camille = await addTechnician('Camille', 'data_recovery', 2.3);
    // Bastien only configures networks: a data recovery dropped on his row is refused.
    const bastien = await addTechnician('Bastien', 'network_configuration', 2.38);
    // The shared database holds other files' technicians and requests: the others are away on this
    // file's day (no other file plans it), and this file's requests are P1, so the optimizer
    // places them before any other file's request left waiting.
    const others = await db.selectFrom('technicians').select('id').where('id', 'not in', [camille, bastien]).execute();
    if (others.length > 0)
      await db
        .insertInto('technicianAbsences')
        .values(others.map(({ id }) => ({ technicianId: id, startsAt: `${DATE}T00:00:00Z`, endsAt: `${DATE}T23:00:00Z`, reason: 'leave' })))
        .execute();
    const recoveries = [];
    for (const [i, [lat, lon]] of (
      [
        [48.87, 2.31],
        [48.85, 2.32],
      ] as const
    ).entries())
      recoveries.push(
        await addPlannableRequest(db, {
          clientId: tenant.clientId,
          lat,
          lon,
          serviceType: 'data_recovery',
          priority: 'P1',
          title: `Récupération ${i + 1}`,
          siteName: `Agence ${i + 1}`,
        }),
      );
    await addPlannableRequest(db, {
      clientId: tenant.clientId,
      lat: 48.84,
      lon: 2.39,
      serviceType: 'network_configuration',
      priority: 'P1',
      title: 'Baie réseau',
      siteName: 'Entrepôt',
    });

    const { context, board } = await openPlanningBoardAs(browser, url, db, {
      email: `drag-${tenant.clientId.slice(0, 8)}@intervention.test`,
      displayName: 'Inès Dispatch',
      password: 'mot-de-passe-de-test-2026',
    });
    await board.getByLabel('Jour', { exact: true }).fill(DATE);
    await board.getByLabel('Temps de calcul (s)').fill('2');
    await board.getByRole('button', { name: 'Optimiser la journée' }).click();
    await board.getByTestId('timeline-chart').waitFor({ timeout: 30_000 });
    await board.locator(`[data-technician="${bastien}"]`).waitFor();
    const x = await minuteToX(board);

    // Refused: the first recovery dropped on Bastien's row.
    const ticket = recoveries[0]!.ticketNumber;
    await board.getByTestId('timeline-chart').scrollIntoViewIfNeeded();
    // Its place in the drawing (SVG units: the page above may shift when the reason appears).
    const place = async () => {
      const rect = board.locator(`[data-ticket="${ticket}"] rect`).last();
      return [await rect.getAttribute('x'), await rect.getAttribute('y')];
    };
    const before = await place();
    const bastienRow = (await board.locator(`[data-technician="${bastien}"]`).boundingBox())!;
    await dragVisit(board, ticket, { x: x(13 * 60), y: bastienRow.y + bastienRow.height / 2 });
    const refusal = board.getByTestId('drop-refusal');
    await refusal.waitFor({ timeout: 60_000 });
    const reason = (await board.getByTestId('plan-error').innerText()).trim();
    expect(reason.length).toBeGreaterThan(0);
    expect(await refusal.textContent()).toContain(reason.slice(0, 10));
    // Snapped back: the same place, the same version, nothing marked as moved.
    expect(await place()).toEqual(before);
    expect(await board.getByTestId('plan-version').innerText()).toMatch(/^Version 1/);
    expect(await board.getByTestId('moved-summary').count()).toBe(0);
    await board.screenshot({ path: screenshotPath('planning-drag-refused.png'), fullPage: true });

    // Accepted: the second recovery dragged (on its own row) to start at 15:00.
    const other = recoveries[1]!.ticketNumber;
    await board.getByTestId('timeline-chart').scrollIntoViewIfNeeded();
    const title = await board.locator(`[data-ticket="${other}"] title`).textContent();
    const start = title!.match(/(\d\d):(\d\d)–/)!;
    const startMin = Number(start[1]) * 60 + Number(start[2]);
    const box = (await board.locator(`[data-ticket="${other}"] rect`).last().boundingBox())!;
    await dragVisit(board, other, { x: box.x + 3 + x(15 * 60) - x(startMin), y: box.y + box.height / 2 });
    await board
      .getByTestId('plan-version')
      .getByText(/^Version 2/)
      .waitFor({ timeout: 60_000 });
    expect(await board.getByTestId('drop-refusal').count()).toBe(0);
    const summary = await board.getByTestId('moved-summary').innerText();
    expect(summary).toContain(other);
    expect(await board.locator(`[data-ticket="${other}"]`).getAttribute('data-moved')).toBe('true');
    expect(await board.locator(`[data-ticket="${other}"] title`).textContent()).toContain('15:00–');
    await board.screenshot({ path: screenshotPath('planning-drag-accepted.png'), fullPage: true });

    // The figures per technician: Camille's two visits within her 10-hour shift, every minute of it
    // (and of any overtime) accounted for as visit, travel, break or idle time.
    const minutes = (text: string) => {
      const m = text.match(/(\d+) h (\d\d)/)!;
      return Number(m[1]) * 60 + Number(m[2]);
    };
    const cells = async (technicianId: string) =>
      (await board.getByTestId(`figures-${technicianId}`).locator('th, td').allInnerTexts()).map((c) => c.trim());
    const [name, visits, planned, travel, distance, lunch, idle, overtime, shift] = await cells(camille);
    expect([name, shift]).toEqual([`Camille Glisser-${suffix}`, '10 h 00']);
    // At least her two: another file's data recovery left waiting may join them.
    expect(Number(visits)).toBeGreaterThanOrEqual(2);
    expect(minutes(planned!)).toBeGreaterThan(0);
    expect(Number(distance!.replace(' km', ''))).toBeGreaterThan(0);
    expect(minutes(planned!) + minutes(travel!) + minutes(lunch!) + minutes(idle!)).toBe(10 * 60 + minutes(overtime!));
    expect(Number((await cells(bastien))[1])).toBeGreaterThanOrEqual(1);
    // The diff to version 1: the dragged visit, from Camille at its old time to Camille at 15:00.
    expect(await board.getByTestId('plan-diff').getByRole('heading').innerText()).toBe('Changements depuis la version 1');
    const row = (await board.getByTestId(`diff-${other}`).locator('td').allInnerTexts()).map((c) => c.trim());
    expect(row).toEqual([other, 'déplacée', `Camille Glisser-${suffix} ${start[1]}:${start[2]}`, `Camille Glisser-${suffix} 15:00`]);
    await board.getByTestId('plan-figures').screenshot({ path: screenshotPath('planning-figures.png') });

    // The map: the tests have no network, so the street tiles fail and the offline drawing shows
    // where things are; the table beside it lists the dragged visit at its new time.
    await board.getByTestId('map-offline').waitFor({ timeout: 30_000 });
    expect(await board.getByTestId('street-map').count()).toBe(0);
    expect(await board.getByTestId('map-offline').locator('svg').count()).toBe(1);
    expect(await board.getByTestId('map-routes').innerText()).toContain(`${other} 15:00`);
    await board.getByTestId('map-offline').screenshot({ path: screenshotPath('planning-map-offline.png') });

    // Without a mouse: a visit takes the focus, Enter picks it for the move form.
    await board.locator(`[data-ticket="${ticket}"]`).focus();
    await board.keyboard.press('Enter');
    expect(await board.getByLabel('Intervention', { exact: true }).inputValue()).toBe(ticket);
    expect(await board.evaluate<string | undefined>('document.activeElement?.id')).toBe('override-technician');

    await checkPageAtWidths(board, 'planning-board', (p) => p.getByTestId('timeline-chart').waitFor());
    await context.close();
  });
});
