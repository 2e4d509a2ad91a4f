/**
 * The management forecast: the next 8 weeks of requests per service type and in all (80 %
 * interval), fitted on the last 365 days of requests created, with the technicians' capacity for
 * the same weeks (shift hours, and how many on-site interventions they make at the mean length).
 */
import Holidays from 'date-holidays';
import { kpiDailyCreated, kpiPlannerSettings, technicianCapacity } from '../../db/repositories/kpis.repository.js';
import type { Executor } from '../../db/executor.js';
import { SERVICE_TYPES } from '../../workflows/intervention/intervention.vocabulary.js';
import { denseDays, fitForecast, forecastWeeks, type WeekForecast } from './forecast.js';

const DAY = 86_400_000;
const holidays = new Holidays('FR');
/** Memoised: date-holidays works out the year's rules on every call, and a forecast asks ~6,000 times. */
const holidayDays = new Map<string, boolean>();
function isHoliday(day: string): boolean {
  let known = holidayDays.get(day);
  if (known === undefined) {
    known = (holidays.isHoliday(new Date(`${day}T12:00:00Z`)) || []).some((h) => h.type === 'public');
    holidayDays.set(day, known);
  }
  return known;
}

export async function forecastOf(db: Executor, now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const weekday = new Date(today).getUTCDay() || 7;
  const nextMonday = today + (8 - weekday) * DAY;
  const from = new Date(nextMonday - 364 * DAY);
  const to = new Date(nextMonday);
  await kpiPlannerSettings(db);
  const rows = await kpiDailyCreated(db, { from, to });
  const iso = (t: Date) => t.toISOString().slice(0, 10);
  const series = (type: string | null): WeekForecast[] => {
    const days = denseDays(
      rows
        .filter((r) => type === null || r.serviceType === type)
        .reduce<Array<{ day: string; count: number }>>((acc, r) => {
          const found = acc.find((a) => a.day === r.day);
          if (found) found.count += r.count;
          else acc.push({ day: r.day, count: r.count });
          return acc;
        }, []),
      iso(from),
      iso(to),
    );
    return forecastWeeks(fitForecast(days, isHoliday), iso(to), 8, isHoliday);
  };
  const capacity = await technicianCapacity(db);
  return {
    weeks: series(null).map((w) => ({
      ...w,
      capacityHours: capacity.weeklyHours,
      capacityInterventions: capacity.hoursPerIntervention ? capacity.weeklyHours / capacity.hoursPerIntervention : null,
    })),
    byServiceType: SERVICE_TYPES.map((serviceType) => ({ serviceType, weeks: series(serviceType) })),
  };
}
