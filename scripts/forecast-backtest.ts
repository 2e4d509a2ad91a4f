/**
 * `npm run forecast:backtest`: the weekly forecast (api/kpis/forecast.ts) against a naive seasonal
 * forecast (the same week a year, 52 weeks, earlier) on the last 12 weeks held out of two years of
 * generated history (demo-history.ts: the demo's seasonality, holidays and recurring problems).
 * Prints MAPE, MAE and MASE (MAE over the in-sample MAE of the seasonal naive) per service type.
 */
import { isPublicHoliday } from '../activities/sla/french-holidays.js';
import { denseDays, fitForecast, forecastErrors, forecastWeeks, type DailyCount } from '../api/kpis/forecast.js';
import { SERVICE_TYPES } from '../workflows/intervention/intervention.vocabulary.js';
import { generateHistory } from './demo-history.js';

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const holiday = (d: string) => isPublicHoliday(d);
const targets = {
  clients: Array.from({ length: 6 }, (_, c) => ({
    clientId: `c${c}`,
    companyName: `Client ${c}`,
    locationIds: [`l${c}a`, `l${c}b`],
    contract: { id: `k${c}`, clientId: `c${c}`, kind: c % 2 ? 'premium' : 'standard', coverage: 'business_hours' },
    // A fleet of 40 to 90 assets per company, as the demo's (demo-fleet.ts).
    assets: Array.from({ length: 40 + 10 * c }, (_, a) => ({
      id: `a${c}-${a}`,
      clientId: `c${c}`,
      locationId: a % 3 ? `l${c}a` : `l${c}b`,
    })),
  })),
  technicianIds: ['t1', 't2', 't3'],
} as unknown as Parameters<typeof generateHistory>[0];

// Two years ending on Monday 30 November 2026: 92 weeks of fit, 12 held out.
const end = Date.UTC(2026, 10, 30);
const start = end - 104 * 7 * DAY;
const history = generateHistory(targets, { from: new Date(start), until: new Date(end), perWeek: 60, seed: 11 });
const split = end - 12 * 7 * DAY;

const weekly = (days: DailyCount[], from: number, weeks: number) =>
  Array.from({ length: weeks }, (_, w) => {
    const a = iso(from + w * 7 * DAY);
    const b = iso(from + (w + 1) * 7 * DAY);
    return days.filter((d) => d.day >= a && d.day < b).reduce((s, d) => s + d.count, 0);
  });

const rows: string[][] = [];
let totals = { model: 0, naive: 0 };
for (const type of [...SERVICE_TYPES, 'all'] as const) {
  const counts = new Map<string, number>();
  for (const r of history) {
    if (type !== 'all' && r.serviceType !== type) continue;
    const day = iso(r.createdAt.getTime());
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const days = denseDays(
    [...counts].map(([day, count]) => ({ day, count })),
    iso(start),
    iso(end),
  );
  const fit = days.filter((d) => d.day < iso(split));
  const model = fitForecast(fit, holiday);
  const predicted = forecastWeeks(model, iso(split), 12, holiday);
  const observed = weekly(days, split, 12);
  const naive = weekly(days, split - 52 * 7 * DAY, 12);
  // MASE scale: in-sample MAE of the seasonal naive over the weeks that have a year before them.
  const inSample = weekly(fit, start + 52 * 7 * DAY, 40);
  const inSampleNaive = weekly(fit, start, 40);
  const scale = forecastErrors(inSample, inSampleNaive).mae || 1;
  const m = forecastErrors(
    observed,
    predicted.map((p) => p.expected),
  );
  const n = forecastErrors(observed, naive);
  const covered = observed.filter((o, i) => o >= predicted[i]!.low && o <= predicted[i]!.high).length;
  if (type === 'all') totals = { model: m.mape, naive: n.mape };
  rows.push([
    type,
    `${(m.mape * 100).toFixed(1)} %`,
    `${(n.mape * 100).toFixed(1)} %`,
    (m.mae / scale).toFixed(2),
    (n.mae / scale).toFixed(2),
    `${covered}/12`,
  ]);
}
console.log(`Backtest: ${history.length} generated requests, fit on 92 weeks, 12 weeks held out (from ${iso(split)}).\n`);
const header = ['service type', 'MAPE model', 'MAPE naive seasonal', 'MASE model', 'MASE naive', 'weeks in 80 % interval'];
console.log(header.join(' | '));
for (const r of rows) console.log(r.join(' | '));
console.log(`\nAll requests: MAPE ${(totals.model * 100).toFixed(1)} % (model) vs ${(totals.naive * 100).toFixed(1)} % (naive seasonal).`);
