/**
 * `npm run bench:load`: open-loop intake load against the platform run as separate processes
 * (PostgreSQL, the Temporal dev server, worker(s), API process(es): scripts/load-platform.ts).
 *
 * Open loop: requests leave at a fixed arrival rate whatever the server does (a closed loop slows
 * down with the server and hides its queueing); latency is measured from each request's scheduled
 * departure. Loopback only, bounded in count and time (each request gives up after 30 s, each
 * phase waits at most `--drain` seconds for the workflows to catch up).
 *
 *   npm run bench:load -- [--rates 10,25,50,100] [--seconds 60] [--workers 1] [--apis 1] [--drain 180] [--sqlite-default]
 *
 * `--sqlite-default` runs the Temporal dev server on SQLite's default settings instead of the
 * platform's (scripts/temporal-cli.ts, DEV_SERVER_SQLITE_PRAGMAS): the figures before that fix.
 *
 * Prints per rate: achieved rate, p50/p95/p99/max latency, status codes, whether every answered
 * ticket has its row (and passed the intake) and its workflow, how long the workflows took to catch
 * up, and the CPU each process used; then the history of one intake (workflow tasks, activities,
 * events). Results are recorded by hand in bench/results/load.md.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { childPids, startLoadPlatform, type LoadPlatform } from '../scripts/load-platform.js';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '10,25,50,100' },
    seconds: { type: 'string', default: '60' },
    workers: { type: 'string', default: '1' },
    apis: { type: 'string', default: '1' },
    drain: { type: 'string', default: '180' },
    // `sqlite-default`: the dev server on SQLite's own settings (the figures before the fix).
    'sqlite-default': { type: 'boolean', default: false },
  },
});
const rates = values.rates.split(',').map(Number);
const seconds = Number(values.seconds);
const drainSeconds = Number(values.drain);
if (rates.some((r) => !(r > 0 && r <= 1000)) || !(seconds > 0 && seconds <= 600)) {
  console.error('expected --rates between 1 and 1000 per second, --seconds between 1 and 600');
  process.exit(2);
}
const REQUEST_TIMEOUT_MS = 30_000;

interface Outcome {
  status: number;
  latencyMs: number;
  ticket?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** CPU seconds (user + system) of processes, from /proc (children reaped by them included). */
function cpuSeconds(pids: number[]): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14-17 of the file, 11-14 after the name.
      total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / tick;
    } catch {
      // gone
    }
  }
  return total;
}

function cpuByRole(platform: LoadPlatform): Record<string, number> {
  const pids = platform.pids();
  // A postmaster's backends and workers are its children; their CPU is theirs while they live.
  const postgres = pids.postgres.flatMap((pid) => [pid, ...childPids(pid)]);
  const tree = (roots: number[]) => roots.flatMap((pid) => [pid, ...childPids(pid)]);
  return {
    postgres: cpuSeconds(postgres),
    temporal: cpuSeconds(pids.temporal),
    workers: cpuSeconds(tree(pids.workers)),
    apis: cpuSeconds(tree(pids.apis)),
    bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
  };
}

async function runRate(platform: LoadPlatform, rate: number, runId: string) {
  const total = Math.round(rate * seconds);
  const outcomes: Promise<Outcome>[] = [];
  const began = performance.now() + 50;
  let maxLagMs = 0;
  for (let i = 0; i < total; i++) {
    const at = began + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 1) await sleep(wait);
    maxLagMs = Math.max(maxLagMs, performance.now() - at);
    const url = platform.apiUrls[i % platform.apiUrls.length]!;
    const template = platform.intakeBodies[i % platform.intakeBodies.length]!;
    // The web form's request: its body (a distinct title per request) and its Idempotency-Key.
    const body = { ...template, title: `${template.title} (${runId}-${rate}-${i})` };
    outcomes.push(
      fetch(`${url}/api/requests`, {
        method: 'POST',
        headers: { ...platform.headersFor(url), 'idempotency-key': `bench-${runId}-${rate}-${i}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).then(
        async (response) => {
          const text = await response.text();
          const latencyMs = performance.now() - at;
          const ticket = response.ok ? (JSON.parse(text) as { ticketNumber?: string }).ticketNumber : undefined;
          return { status: response.status, latencyMs, ...(ticket ? { ticket } : {}) };
        },
        () => ({ status: 0, latencyMs: performance.now() - at }),
      ),
    );
  }
  const results = await Promise.all(outcomes);
  const elapsedS = (performance.now() - began) / 1000;
  return { total, results, elapsedS, maxLagMs };
}

const fmt = (ms: number) => (Number.isNaN(ms) ? '-' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

console.log(
  `bench:load — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; ` +
    `rates ${rates.join(', ')}/s, ${seconds} s each, ${values.workers} worker(s), ${values.apis} API process(es), ` +
    `dev server SQLite ${values['sqlite-default'] ? 'defaults' : 'WAL, synchronous=NORMAL'}`,
);
const t0 = Date.now();
const platform = await startLoadPlatform({
  workers: Number(values.workers),
  apis: Number(values.apis),
  ...(values['sqlite-default'] ? { sqlitePragmas: [] } : {}),
  log: (line) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}`),
});
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await platform.stop();
  process.exit(code);
};
process.once('SIGINT', () => void stop(130));

try {
  const runId = Date.now().toString(36);
  // A few requests first: bundles, caches and connections warm, not counted.
  await runRate(platform, 2, `${runId}w`).catch(() => undefined);
  const rows: string[] = [];
  let profiled: string | undefined;
  for (const rate of rates) {
    const cpuBefore = cpuByRole(platform);
    const { total, results, elapsedS, maxLagMs } = await runRate(platform, rate, runId);
    const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
    const statuses = new Map<number, number>();
    for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    const tickets = results.flatMap((r) => (r.ticket ? [r.ticket] : []));
    profiled ??= tickets[0];
    const answered = results.filter((r) => r.status >= 200 && r.status < 300).length;
    // The workflows catch up: every answered ticket's row written by its workflow's intake.
    const drainStart = Date.now();
    let check = await platform.rowsOf(tickets);
    while (check.confirmed < tickets.length && Date.now() - drainStart < drainSeconds * 1000) {
      await sleep(1_000);
      check = await platform.rowsOf(tickets);
    }
    const caughtUpS = (Date.now() - drainStart) / 1000;
    const workflows = await platform.workflowsOf(tickets);
    const cpuAfter = cpuByRole(platform);
    const busy = Object.fromEntries(
      Object.keys(cpuAfter).map((k) => [k, Math.round(((cpuAfter[k]! - cpuBefore[k]!) / (elapsedS + caughtUpS)) * 100)]),
    );
    const line = [
      `${rate}/s`,
      `${total} sent`,
      `achieved ${(answered / elapsedS).toFixed(1)}/s`,
      `p50 ${fmt(percentile(latencies, 50))}`,
      `p95 ${fmt(percentile(latencies, 95))}`,
      `p99 ${fmt(percentile(latencies, 99))}`,
      `max ${fmt(latencies.at(-1) ?? NaN)}`,
      `statuses ${[...statuses].map(([s, n]) => `${n}×${s || 'timeout'}`).join(' ')}`,
      `rows ${check.rows}/${tickets.length} (intake done ${check.confirmed}) after ${caughtUpS.toFixed(0)} s`,
      `workflows ${workflows}/${tickets.length}`,
      `CPU % over send+catch-up: ${Object.entries(busy)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
      `sender lag max ${fmt(maxLagMs)}`,
    ].join(' | ');
    console.log(line);
    rows.push(line);
  }

  if (profiled) {
    const events = await platform.historyOf(profiled);
    const count = (type: string) => events.filter((e) => e.eventType === type).length;
    const activities = events.flatMap((e) => (e.activityType ? [e.activityType] : []));
    console.log(
      `\nOne intake (${profiled}) so far, waiting for triage: ${events.length} history events, ` +
        `${count('WORKFLOW_TASK_COMPLETED')} workflow tasks, ${activities.length} activities (${activities.join(', ')}), ` +
        `${count('MARKER_RECORDED')} markers, ${count('TIMER_STARTED')} timers, ${count('WORKFLOW_EXECUTION_UPDATE_ACCEPTED')} update(s)`,
    );
    console.log(
      `  events (ms after the start): ${events.map((e) => `${e.eventType}${e.activityType ? `(${e.activityType})` : ''} +${e.atMs}`).join(', ')}`,
    );
  }
  console.log('\nSummary');
  for (const row of rows) console.log(`  ${row}`);
  await stop(0);
} catch (err) {
  console.error(err);
  await stop(1);
}
