/**
 * The workload forecast, pure: expected requests per week for the coming weeks, per service type,
 * with an 80 % interval. Daily model: level × weekday factor × month factor × holiday factor,
 * fitted on the daily history of requests created (docs/kpis.md, "Forecast"):
 * - weekday and holiday factors: mean count of that weekday (public holidays apart) over the mean;
 * - month factors: mean count of the month's ordinary days over what the weekday factors expect
 *   (not shrunk towards 1: shrinking them biased the level fitted in a low season, in the backtest);
 * - level: mean weekday-, month- and holiday-adjusted daily count of the last 8 weeks;
 * - interval: over-dispersed Poisson, variance = φ × mean, φ from the in-sample weekly residuals;
 *   80 % = mean ± 1.2816 σ, floored at 0.
 */

const DAY = 86_400_000;
const Z80 = 1.2816;

export interface DailyCount {
  /** UTC date yyyy-mm-dd. */
  day: string;
  count: number;
}

export interface WeekForecast {
  /** Monday of the week (yyyy-mm-dd). */
  weekStart: string;
  expected: number;
  low: number;
  high: number;
}

export interface ForecastModel {
  level: number;
  weekday: number[];
  month: number[];
  holiday: number;
  dispersion: number;
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const weekdayOf = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
};
const monthOf = (day: string) => Number(day.slice(5, 7));
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

/** Fills the days without requests with 0, from the first to the last day given. */
export function denseDays(counts: readonly DailyCount[], from: string, to: string): DailyCount[] {
  const byDay = new Map(counts.map((c) => [c.day, c.count]));
  const out: DailyCount[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += DAY)
    out.push({ day: isoDay(t), count: byDay.get(isoDay(t)) ?? 0 });
  return out;
}

export function fitForecast(days: readonly DailyCount[], isHoliday: (day: string) => boolean): ForecastModel {
  const ordinary = days.filter((d) => !isHoliday(d.day));
  const overall = mean(ordinary.map((d) => d.count)) || 1e-9;
  const weekday = [0, 1, 2, 3, 4, 5, 6, 7].map((w) =>
    w === 0 ? 0 : mean(ordinary.filter((d) => weekdayOf(d.day) === w).map((d) => d.count)) / overall,
  );
  const holidayDays = days.filter((d) => isHoliday(d.day));
  const holiday = holidayDays.length
    ? Math.min(
        1,
        mean(holidayDays.map((d) => d.count)) / (mean(holidayDays.map((d) => overall * (weekday[weekdayOf(d.day)] ?? 1))) || 1e-9),
      )
    : 0.1;
  const month = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => {
    if (m === 0) return 0;
    const inMonth = ordinary.filter((d) => monthOf(d.day) === m);
    const expected = mean(inMonth.map((d) => overall * (weekday[weekdayOf(d.day)] || 1e-9)));
    return inMonth.length && expected > 0 ? mean(inMonth.map((d) => d.count)) / expected : 1;
  });
  const shape = (day: string) => (weekday[weekdayOf(day)] ?? 0) * (month[monthOf(day)] ?? 1) * (isHoliday(day) ? holiday : 1);
  const recent = days.slice(-56);
  const level = recent.reduce((s, d) => s + d.count, 0) / (recent.reduce((s, d) => s + shape(d.day), 0) || 1e-9);
  const model: ForecastModel = { level, weekday, month, holiday, dispersion: 1 };
  // φ from weekly residuals of the fitted shape (the last full weeks of the history).
  const weeks: Array<{ obs: number; fit: number }> = [];
  for (let i = days.length % 7; i + 7 <= days.length; i += 7) {
    const w = days.slice(i, i + 7);
    weeks.push({ obs: w.reduce((s, d) => s + d.count, 0), fit: w.reduce((s, d) => s + overall * shape(d.day), 0) });
  }
  const chi = weeks.filter((w) => w.fit > 0).map((w) => (w.obs - w.fit) ** 2 / w.fit);
  model.dispersion = Math.max(1, chi.length > 1 ? chi.reduce((s, x) => s + x, 0) / (chi.length - 1) : 1);
  return model;
}

/** Expected requests on one day. */
export function expectedOn(model: ForecastModel, day: string, isHoliday: (day: string) => boolean): number {
  return model.level * (model.weekday[weekdayOf(day)] ?? 0) * (model.month[monthOf(day)] ?? 1) * (isHoliday(day) ? model.holiday : 1);
}

/** The next `weeks` weeks from `firstMonday` (yyyy-mm-dd, a Monday). */
export function forecastWeeks(
  model: ForecastModel,
  firstMonday: string,
  weeks: number,
  isHoliday: (day: string) => boolean,
): WeekForecast[] {
  const start = Date.parse(`${firstMonday}T00:00:00Z`);
  return Array.from({ length: weeks }, (_, w) => {
    let expected = 0;
    for (let d = 0; d < 7; d++) expected += expectedOn(model, isoDay(start + (w * 7 + d) * DAY), isHoliday);
    const sigma = Math.sqrt(model.dispersion * expected);
    return { weekStart: isoDay(start + w * 7 * DAY), expected, low: Math.max(0, expected - Z80 * sigma), high: expected + Z80 * sigma };
  });
}

/** Mean absolute percentage error (weeks with 0 observed left out) and mean absolute error. */
export function forecastErrors(observed: readonly number[], predicted: readonly number[]): { mape: number; mae: number } {
  const pairs = observed.map((o, i) => [o, predicted[i]!] as const);
  const nonZero = pairs.filter(([o]) => o > 0);
  return {
    mape: mean(nonZero.map(([o, p]) => Math.abs(o - p) / o)),
    mae: mean(pairs.map(([o, p]) => Math.abs(o - p))),
  };
}
