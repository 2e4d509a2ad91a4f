/**
 * `npm run bench:live`: how long a change takes to reach another browser (issue 17).
 *
 * A client's request page is open in Chromium (the platform's built web app, its own session);
 * 50 times, a change is committed to the request's read model the way the workflow's activities
 * write it (a timeline entry, in its own transaction), and the clock runs until the open page
 * shows it: commit → NOTIFY → the API's LISTEN connection → the user's event stream (filtered) →
 * the page's reload of the request → rendered. Prints the median and p95, and writes
 * bench/results/live-latest.md. Before this, pages polled every 5 s (2.5 s on average, 5 s at worst).
 *
 * Runs against an embedded PostgreSQL of its own (BENCH_DATABASE_URL for an existing one); no
 * Temporal worker is needed for these writes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { chromium } from 'playwright-core';
import { createApp } from '../api/app.js';
import { createDb, migrateToLatest } from '../db/index.js';
import { insertRequestEvent } from '../db/repositories/lifecycle.repository.js';
import { buildWeb } from './build-web.js';
import { startPostgres } from './postgres.js';
import { listen, TEST_RATE_LIMITS } from './testing/env.js';
import { addPlannableRequest, createTestAccount, createTestClient } from './testing/fixtures.js';

const { values } = parseArgs({
  options: {
    changes: { type: 'string', default: '50' },
    results: { type: 'string', default: 'bench/results/live-latest.md' },
  },
});
const CHANGES = Number(values.changes);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'fsp-bench-live-'));
const pg = await startPostgres({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: path.join(scratch, 'pg'),
  database: 'fieldservice_bench_live',
  persistent: false,
  log: () => {},
});
const db = createDb({ connectionString: pg.url, max: 8 });
const temporal = new Client();
const browser = await chromium.launch({
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
try {
  await migrateToLatest(db);
  const app = createApp({ db, temporal, webRoot: await buildWeb(), log: () => {}, rateLimit: TEST_RATE_LIMITS, waits: { actionMs: 200 } });
  const { server, url } = await listen(app);
  const tenant = await createTestClient(db);
  const account = await createTestAccount(db, 'client_user', { clientId: tenant.clientId });
  const request = await addPlannableRequest(db, { clientId: tenant.clientId, lat: 48.85, lon: 2.35, title: 'Bench live' });

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'sid', value: account.headers.cookie!.replace(/^sid=/, ''), url }]);
  const page = await context.newPage();
  await page.goto(`${url}/requests/${request.ticketNumber}`);
  await page.getByTestId('timeline').waitFor({ state: 'attached' });
  const entries = () => page.locator('[data-testid="timeline"] li').count();
  // The stream is up once a first change arrives (warm-up, not measured).
  let shown = await entries();
  // The activities' own insert of a timeline entry (db/repositories/lifecycle.repository.ts).
  const write = (message: string) =>
    insertRequestEvent(db, request.id, {
      kind: 'client_answer',
      actorType: 'client',
      message,
      idempotencyKey: `bench-live-${randomUUID()}`,
    });
  await write('warm-up');
  // A function (not a string: the app's CSP forbids eval), run in the page.
  const more = (n: number) =>
    (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll(
      '[data-testid="timeline"] li',
    ).length > n;
  await page.waitForFunction(more, shown, { timeout: 30_000 });
  shown = await entries();

  const times: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const start = performance.now();
    await write(`change ${i + 1}`);
    await page.waitForFunction(more, shown, { timeout: 30_000, polling: 'raf' });
    times.push(performance.now() - start);
    shown = await entries();
    // Changes a little apart, as people make them (a burst would be merged into one reload).
    await new Promise((r) => setTimeout(r, 150));
  }
  times.sort((a, b) => a - b);
  const pick = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  const median = (times[Math.floor((times.length - 1) / 2)]! + times[Math.ceil((times.length - 1) / 2)]!) / 2;
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const lines = [
    `# Live updates: time for a change to reach another browser (${new Date().toISOString().slice(0, 10)})`,
    '',
    `${CHANGES} changes (a timeline entry committed to the read model), each timed from before the commit until the`,
    'client’s open request page (Chromium, headless) shows it: NOTIFY → LISTEN → SSE → reload of the request → render.',
    '',
    '| changes | median ms | p95 ms | min ms | max ms |',
    '|---|---|---|---|---|',
    `| ${CHANGES} | ${median.toFixed(0)} | ${pick(0.95).toFixed(0)} | ${times[0]!.toFixed(0)} | ${times.at(-1)!.toFixed(0)} |`,
    '',
    `Before: polling every 5 s (2500 ms on average, 5000 ms at worst). Load average at the end: ${load} (${os.cpus().length} cores).`,
  ];
  console.log(lines.join('\n'));
  writeFileSync(values.results, `${lines.join('\n')}\n`);
  await context.close();
  server.closeAllConnections();
  server.close();
  await (app.locals.live as { close(): Promise<void> }).close();
} finally {
  await browser.close();
  await temporal.connection.close().catch(() => {});
  await db.destroy();
  await pg.stop();
  rmSync(scratch, { recursive: true, force: true });
}
