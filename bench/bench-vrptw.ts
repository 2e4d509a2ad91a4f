/**
 * Runs the VRPTW command on every Solomon (56) and Homberger 200 (60) instance, checks each
 * solution with the independent ../shared/bench/vrptw/check.py and prints figures per class.
 *   npm run bench:vrptw -- [--set solomon|homberger_200|all] [--solomon-seconds 9.7]
 *     [--homberger-seconds 19.5] [--filter <regex>] [--jobs 1] [--sp] [--results bench/results/vrptw-latest]
 * Writes <results>.csv (per instance) and <results>.md (summary). Figures are timings on a
 * shared machine: noisy.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(repo, '../shared/bench/vrptw') },
    set: { type: 'string', default: 'all' },
    'solomon-seconds': { type: 'string', default: '9.7' },
    'homberger-seconds': { type: 'string', default: '19.5' },
    filter: { type: 'string' },
    jobs: { type: 'string', default: '1' },
    sp: { type: 'boolean', default: false },
    results: { type: 'string', default: 'bench/results/vrptw-latest' },
  },
});
const data = resolve(values.data);

interface Row {
  set: string;
  cls: string;
  instance: string;
  feasible: boolean;
  vehicles: number;
  distance: number;
  seconds: number;
  bksVehicles: number;
  bksDistance: number;
  gap: number;
  bksMinDistance: number | null;
  gapMinDistance: number | null;
  errors: string;
}

function readBks(path: string): Map<string, { vehicles: number; distance: number }> {
  const m = new Map<string, { vehicles: number; distance: number }>();
  if (!existsSync(path)) return m;
  for (const line of readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1)) {
    const [name, v, d] = line.split(',');
    m.set(name!.toLowerCase(), { vehicles: Number(v), distance: Number(d) });
  }
  return m;
}

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { cwd: repo });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
  });
}

const classOf = (name: string): string =>
  name
    .toUpperCase()
    .replace(/_2_\d+$/, '')
    .replace(/\d\d$/, '')
    .replace(/^(R|C|RC)(\d)\d*$/, '$1$2');

const sets = values.set === 'all' ? ['solomon', 'homberger_200'] : [values.set];
const outDir = join(repo, 'bench/out');
mkdirSync(outDir, { recursive: true });
const jobs: { set: string; file: string; seconds: number }[] = [];
for (const set of sets) {
  const dir = join(data, set);
  const seconds = Number(set === 'solomon' ? values['solomon-seconds'] : values['homberger-seconds']);
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    if (values.filter && !new RegExp(values.filter, 'i').test(f)) continue;
    jobs.push({ set, file: join(dir, f), seconds });
  }
}

const rows: Row[] = [];
let next = 0;
async function worker(): Promise<void> {
  while (next < jobs.length) {
    const job = jobs[next++]!;
    const name = job.file.replace(/^.*\//, '').replace(/\.txt$/, '');
    const sol = join(outDir, `${name}.json`);
    const args = [
      '--import',
      'tsx',
      join(repo, 'bench/vrptw.ts'),
      '--instance',
      job.file,
      '--seconds',
      String(job.seconds),
      '--out',
      sol,
      '--quiet',
    ];
    if (values.sp) args.push('--sp');
    const r = await run(process.execPath, args);
    if (r.code !== 0) console.error(`${name}: solver failed: ${r.stderr.slice(0, 500)}`);
    const chk = await run('python3', [join(data, 'check.py'), job.file, sol, join(data, job.set, 'bks.csv')]);
    let c: {
      feasible?: boolean;
      vehicles?: number;
      distance?: number;
      bks_vehicles?: number;
      bks_distance?: number;
      gap_pct?: number;
      errors?: string[];
    } = {};
    try {
      c = JSON.parse(chk.stdout);
    } catch {
      c = { feasible: false, errors: [chk.stderr.slice(0, 200)] };
    }
    let seconds = NaN;
    try {
      seconds = JSON.parse(readFileSync(sol, 'utf8')).seconds;
    } catch {
      /* solver failed */
    }
    const minBks = job.set === 'solomon' ? readBks(join(data, job.set, 'bks_min_distance.csv')).get(name.toLowerCase()) : undefined;
    const row: Row = {
      set: job.set,
      cls: classOf(name),
      instance: name,
      feasible: c.feasible === true,
      vehicles: c.vehicles ?? 0,
      distance: c.distance ?? NaN,
      seconds,
      bksVehicles: c.bks_vehicles ?? NaN,
      bksDistance: c.bks_distance ?? NaN,
      gap: c.gap_pct ?? NaN,
      bksMinDistance: minBks?.distance ?? null,
      gapMinDistance: minBks && c.distance !== undefined ? (100 * (c.distance - minBks.distance)) / minBks.distance : null,
      errors: (c.errors ?? []).join(' | '),
    };
    rows.push(row);
    console.log(
      `${row.instance.padEnd(8)} ${row.feasible ? 'ok ' : 'BAD'} veh ${String(row.vehicles).padStart(2)} (bks ${row.bksVehicles}) dist ${row.distance.toFixed(2).padStart(9)} ` +
        `gap ${row.gap.toFixed(2).padStart(6)}%${row.gapMinDistance !== null ? ` gapMinDist ${row.gapMinDistance.toFixed(2).padStart(6)}%` : ''} ${row.seconds.toFixed(2)}s`,
    );
  }
}
await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, () => worker()));
rows.sort((a, b) => a.set.localeCompare(b.set) || a.instance.localeCompare(b.instance, 'en', { numeric: true }));

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const lines: string[] = [];
const header = '| set | class | n | feasible | gap min-dist BKS | gap hier. BKS | vehicles (BKS) | mean s | max s |';
lines.push(header, '|---|---|---|---|---|---|---|---|---|');
for (const set of sets) {
  const rs = rows.filter((r) => r.set === set);
  const classes = [...new Set(rs.map((r) => r.cls))].sort();
  for (const cls of [...classes, 'all']) {
    const g = cls === 'all' ? rs : rs.filter((r) => r.cls === cls);
    if (g.length === 0) continue;
    const md = g.filter((r) => r.gapMinDistance !== null).map((r) => r.gapMinDistance!);
    lines.push(
      `| ${set} | ${cls} | ${g.length} | ${g.filter((r) => r.feasible).length}/${g.length} | ${md.length ? mean(md).toFixed(2) + ' %' : '-'} | ${mean(g.map((r) => r.gap)).toFixed(2)} % | ` +
        `${mean(g.map((r) => r.vehicles)).toFixed(2)} (${mean(g.map((r) => r.bksVehicles)).toFixed(2)}) | ${mean(g.map((r) => r.seconds)).toFixed(2)} | ${Math.max(...g.map((r) => r.seconds)).toFixed(2)} |`,
    );
  }
  if (set === 'homberger_200' && rs.length > 0) {
    const tot = rs.reduce((a, r) => a + r.distance, 0);
    const bks = rs.reduce((a, r) => a + r.bksDistance, 0);
    lines.push(
      '',
      `homberger_200 total distance ${tot.toFixed(2)} = ${(tot / bks).toFixed(4)} × hierarchical BKS total ${bks.toFixed(2)} (VROOM 1.14: 0.99×); vehicles ${rs.reduce((a, r) => a + r.vehicles, 0)} vs BKS ${rs.reduce((a, r) => a + r.bksVehicles, 0)}`,
      '',
    );
  }
}
const summary = lines.join('\n');
console.log('\n' + summary);
const base = join(repo, values.results);
mkdirSync(dirname(base), { recursive: true });
const csvHead =
  'set,class,instance,feasible,vehicles,distance,seconds,bks_vehicles,bks_distance,gap_pct,bks_min_distance,gap_min_distance_pct,errors';
writeFileSync(
  `${base}.csv`,
  [
    csvHead,
    ...rows.map((r) =>
      [
        r.set,
        r.cls,
        r.instance,
        r.feasible,
        r.vehicles,
        r.distance,
        r.seconds,
        r.bksVehicles,
        r.bksDistance,
        r.gap,
        r.bksMinDistance ?? '',
        r.gapMinDistance?.toFixed(3) ?? '',
        JSON.stringify(r.errors),
      ].join(','),
    ),
  ].join('\n') + '\n',
);
writeFileSync(
  `${base}.md`,
  `# VRPTW benchmark (${new Date().toISOString()})\n\nSolomon ${values['solomon-seconds']} s, Homberger ${values['homberger-seconds']} s per instance, one process at a time (jobs=${values.jobs}), seed 1, set partitioning ${values.sp ? 'on' : 'off'}.\n` +
    `Shared 2-core machine: timings are noisy. Distances and feasibility from check.py.\n\n${summary}\n`,
);
const bad = rows.filter((r) => !r.feasible);
if (bad.length) console.error(`${bad.length} infeasible: ${bad.map((r) => r.instance).join(', ')}`);
