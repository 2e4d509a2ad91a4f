import { describe, expect, it } from 'vitest';
import { denseDays, expectedOn, fitForecast, forecastErrors, forecastWeeks, type DailyCount } from './forecast.js';

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
/** 14 July 2025 and 2026 are the only holidays of this toy calendar. */
const holiday = (d: string) => d.endsWith('-07-14');

/** 52 weeks from Monday 3 Nov 2025: 10 a weekday, 0 at weekends, 1 on a holiday. */
function history(): DailyCount[] {
  const out: DailyCount[] = [];
  const start = Date.UTC(2025, 10, 3);
  for (let i = 0; i < 364; i++) {
    const day = iso(start + i * DAY);
    const wd = new Date(start + i * DAY).getUTCDay();
    out.push({ day, count: holiday(day) ? 1 : wd === 0 || wd === 6 ? 0 : 10 });
  }
  return out;
}

describe('weekly forecast', () => {
  it('learns the weekday pattern and the holiday dip of a flat history (50 a week, 41 with a holiday)', () => {
    const model = fitForecast(history(), holiday);
    // Mean of the 363 ordinary days (the holiday apart: 259 weekdays of 10) = 2590/363; Monday: 10 over it.
    expect(model.weekday[1]).toBeCloseTo(3630 / 2590, 9);
    expect(model.weekday[6]).toBe(0);
    expect(model.holiday).toBeCloseTo(0.1, 9);
    for (let m = 1; m <= 12; m++) expect(model.month[m]).toBeCloseTo(1, 9);
    const [first, , , , , , , last] = forecastWeeks(model, '2026-11-02', 8, holiday);
    expect(first!.expected).toBeCloseTo(50, 6);
    expect(last!.weekStart).toBe('2026-12-21');
    // A flat history has no over-dispersion: φ = 1, the interval is Poisson's, 50 ± 1.2816 √50.
    expect(first!.low).toBeCloseTo(50 - 1.2816 * Math.sqrt(50), 6);
    expect(first!.high).toBeCloseTo(50 + 1.2816 * Math.sqrt(50), 6);
    // Week of Monday 13 July 2026: the Tuesday is a holiday, 4 × 10 + 1.
    expect(forecastWeeks(model, '2026-07-13', 1, holiday)[0]!.expected).toBeCloseTo(41, 6);
  });

  it('follows a busier month: September at 1.5× forecasts 1.5×', () => {
    const h = history().map((d) => (d.day.slice(5, 7) === '09' ? { ...d, count: d.count * 1.5 } : d));
    const model = fitForecast(h, holiday);
    expect(expectedOn(model, '2026-09-07', holiday) / expectedOn(model, '2026-03-02', holiday)).toBeCloseTo(
      model.month[9]! / model.month[3]!,
      9,
    );
    // (The weekday factors move a little with September in the overall mean: 1.4994.)
    expect(model.month[9]! / model.month[3]!).toBeCloseTo(1.5, 2);
  });

  it('fills missing days with zeros and scores errors', () => {
    expect(denseDays([{ day: '2026-01-02', count: 3 }], '2026-01-01', '2026-01-04').map((d) => d.count)).toEqual([0, 3, 0]);
    // |10-8|/10 and |20-25|/20 → MAPE 0.225; MAE (2 + 5) / 2; a week with 0 observed is left out of MAPE only.
    expect(forecastErrors([10, 20], [8, 25])).toEqual({ mape: 0.225, mae: 3.5 });
    expect(forecastErrors([0, 10], [2, 10])).toEqual({ mape: 0, mae: 1 });
  });
});
