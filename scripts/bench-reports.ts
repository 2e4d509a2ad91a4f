/**
 * `npm run bench:reports`: writes 100,000 closed interventions (a generated year, see
 * demo-history.ts) into a fresh embedded PostgreSQL (or BENCH_DATABASE_URL), precomputes their
 * facts (kpi_request_facts), then times each dashboard route through the real app (session,
 * row-level security, JSON): as management, as a client company's admin and as a technician.
 * Prints the figures and writes bench/results/reports-latest.md. Goal: ≤ 300 ms per query.
 * `--keep <dir>`: the cluster is kept in <dir>, and a later run on it reuses the interventions
 * already written (migrations still run, then an incremental refresh), to measure again quickly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { refreshKpiFacts } from '../activities/reports/kpi-refresh.js';
import { createApp } from '../api/app.js';
import { createDb, migrateToLatest } from '../db/index.js';
import { countKpiDailyRows, rebuildKpiDaily, vacuumKpiTables } from '../db/repositories/kpis.repository.js';
import {
  analyzeHistoryTables,
  hasHistory,
  historyTargets,
  insertHistoricalRequests,
  touchRequests,
} from '../db/repositories/history.repository.js';
import { seedDemoFleet } from './demo-fleet.js';
import { generateHistory } from './demo-history.js';
import { startPostgres } from './postgres.js';
import { seedReferenceData } from './seed.js';
import { listen, TEST_RATE_LIMITS } from './testing/env.js';
import { createTestAccount } from './testing/fixtures.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '7' },
    results: { type: 'string', default: 'bench/results/reports-latest.md' },
    keep: { type: 'string' },
  },
});
const COUNT = Number(values.count);
const RUNS = Number(values.runs);
const log = (line: string) => console.log(line);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'fsp-bench-reports-'));
const pg = await startPostgres({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: values.keep ? path.resolve(values.keep) : path.join(scratch, 'pg'),
  database: 'fieldservice_bench',
  persistent: values.keep !== undefined,
  log: () => {},
});
const db = createDb({ connectionString: pg.url, max: 8 });
const lines: string[] = [];
try {
  await migrateToLatest(db);
  await seedReferenceData(db);
  await seedDemoFleet(db);
  const targets = await historyTargets(db);
  const until = new Date(Date.UTC(2026, 10, 30));
  const from = new Date(until.getTime() - 365 * 86_400_000);
  const reuse = values.keep !== undefined && (await hasHistory(db));
  let t0 = Date.now();
  const generated = generateHistory(targets, { from, until, perWeek: Math.ceil((COUNT / 52) * 1.12), seed: 7 });
  const closed = generated.filter((r) => r.cancelledAt === null).slice(0, COUNT);
  log(`generated ${closed.length} closed interventions in ${seconds(Date.now() - t0)}`);
  let insertMs = 0;
  let fullMs = 0;
  let full = { refreshed: 0, recurrenceSettled: 0 };
  if (reuse) {
    log(`reusing the interventions already written in ${values.keep}`);
    t0 = Date.now();
    full = await refreshKpiFacts(db, { now: until, batch: 5000 });
    fullMs = Date.now() - t0;
    await analyzeHistoryTables(db);
    log(`precompute (catch-up on the kept database): ${full.refreshed} requests in ${seconds(fullMs)}`);
  } else {
    t0 = Date.now();
    await insertHistoricalRequests(db, closed, 1000);
    insertMs = Date.now() - t0;
    log(`written in ${seconds(insertMs)}`);
    t0 = Date.now();
    full = await refreshKpiFacts(db, { now: until, batch: 5000 });
    fullMs = Date.now() - t0;
    await analyzeHistoryTables(db);
    log(
      `precompute (kpi_request_facts, full): ${full.refreshed} requests, ${full.recurrenceSettled} recurrences settled in ${seconds(fullMs)}`,
    );
  }
  // What autovacuum does after such a bulk write (the covering indexes are read without the table
  // once their pages are marked all-visible).
  await vacuumKpiTables(db);
  t0 = Date.now();
  await rebuildKpiDaily(db);
  const dailyMs = Date.now() - t0;
  await vacuumKpiTables(db, ['kpi_daily', 'kpi_daily_totals', 'kpi_daily_technicians']);
  const dailyRows = await countKpiDailyRows(db);
  log(
    `precompute (kpi_daily, kpi_daily_totals, kpi_daily_technicians rebuilt from all the facts): ${dailyRows} rows in ${seconds(dailyMs)}`,
  );
  // An incremental refresh: 500 requests changed since (what a 10-minute schedule sees on a busy day).
  const touched = closed.slice(-500).map((r) => `history-${r.ticketNumber}`);
  await touchRequests(db, touched);
  t0 = Date.now();
  const incremental = await refreshKpiFacts(db, { now: until });
  const incrementalMs = Date.now() - t0;
  log(`precompute (incremental, ${incremental.refreshed} changed): ${(incrementalMs / 1000).toFixed(2)} s`);

  const biggest = targets.clients[0]!;
  const admin = (await createTestAccount(db, 'admin')).headers;
  const clientAdmin = (await createTestAccount(db, 'client_admin', { clientId: biggest.clientId })).headers;
  const technician = (await createTestAccount(db, 'technician', { technicianId: targets.technicianIds[0]! })).headers;
  const temporal = new Client();
  const { server, url } = await listen(createApp({ db, temporal, log: () => {}, rateLimit: TEST_RATE_LIMITS }));

  const year = 'from=2025-12-01&to=2026-11-30';
  const quarter = 'from=2026-09-01&to=2026-11-30';
  const queries: Array<[string, string, Record<string, string>]> = [
    ['management: summary, 12 months', `/api/kpis/summary?${year}`, admin],
    ['management: summary, 3 months', `/api/kpis/summary?${quarter}`, admin],
    ['management: summary, 12 months, P2 hardware', `/api/kpis/summary?${year}&priority=P2&serviceType=hardware_repair`, admin],
    ['management: weekly series, 12 months', `/api/kpis/series?${year}&bucket=week`, admin],
    ['management: monthly series, 12 months', `/api/kpis/series?${year}&bucket=month`, admin],
    ['management: drill-down (low ratings), 12 months', `/api/kpis/requests?${year}&measure=low_rating`, admin],
    ['management: recurring problems, 12 months', `/api/kpis/recurring?${year}`, admin],
    ['management: technicians, 12 months', `/api/kpis/technicians?${year}`, admin],
    ['management: technicians, 3 months', `/api/kpis/technicians?${quarter}`, admin],
    ['management: finance, 12 months', `/api/kpis/finance?${year}`, admin],
    ['management: forecast (8 weeks, fitted on 12 months)', `/api/kpis/forecast`, admin],
    ['client company: summary, 12 months', `/api/kpis/summary?${year}`, clientAdmin],
    ['client company: weekly series, 12 months', `/api/kpis/series?${year}&bucket=week`, clientAdmin],
    ['client company: monthly series, 12 months', `/api/kpis/series?${year}&bucket=month`, clientAdmin],
    ['client company: drill-down (created), 3 months', `/api/kpis/requests?${quarter}&measure=created`, clientAdmin],
    ['client company: drill-down (low ratings), 12 months', `/api/kpis/requests?${year}&measure=low_rating`, clientAdmin],
    ['client company: recurring problems, 12 months', `/api/kpis/recurring?${year}`, clientAdmin],
    ['client company: finance, 12 months', `/api/kpis/finance?${year}`, clientAdmin],
    ['technician: own figures, 12 months', `/api/kpis/technicians?${year}`, technician],
    ['technician: summary, 12 months', `/api/kpis/summary?${year}`, technician],
  ];
  const load = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}; load average (1/5/15 min) ${load()} before the queries`;
  lines.push(
    `# bench:reports — ${new Date().toISOString()}`,
    '',
    reuse
      ? `${closed.length} closed interventions (12 months), reused from a kept database.`
      : `${closed.length} closed interventions (12 months), written in ${seconds(insertMs)}.`,
    `Machine: ${machine}.`,
    `Precomputed facts (kpi_request_facts and kpi_visit_facts, with the daily sums their triggers keep): ${reuse ? 'catch-up' : 'full'} refresh ${seconds(fullMs)}; the daily sums rebuilt from all the facts (kpi_daily: ${dailyRows} rows) ${seconds(dailyMs)}; incremental refresh of ${incremental.refreshed} changed requests ${(incrementalMs / 1000).toFixed(2)} s.`,
    '',
    `| dashboard query (HTTP, through the app) | median ms | max ms (${RUNS} runs after 1 warm-up) |`,
    '|---|---|---|',
  );
  log('');
  for (const [name, route, headers] of queries) {
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const start = performance.now();
      const response = await fetch(`${url}${route}`, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${route}: ${response.status}`);
      if (i > 0) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const max = times.at(-1)!;
    log(`${name.padEnd(50)} median ${median.toFixed(0).padStart(5)} ms   max ${max.toFixed(0).padStart(5)} ms`);
    lines.push(`| ${name} | ${median.toFixed(0)} | ${max.toFixed(0)} |`);
  }
  lines.push('', `Load average after the queries: ${load()}.`);
  server.close();
  await temporal.connection.close().catch(() => {});
  writeFileSync(values.results, `${lines.join('\n')}\n`);
  log(`\nwritten ${values.results}`);
} finally {
  await db.destroy();
  await pg.stop();
  rmSync(scratch, { recursive: true, force: true });
}
