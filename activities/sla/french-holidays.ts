/**
 * French public holidays (metropolitan) from `date-holidays`, cached per year. Only imported by
 * activities: the library is too heavy, and too date-dependent, for the workflow bundle.
 */
import Holidays from 'date-holidays';

const calendars = new Map<string, Holidays>();
const years = new Map<string, Set<string>>();

export function isPublicHoliday(isoDate: string, country = 'FR'): boolean {
  const year = isoDate.slice(0, 4);
  const cacheKey = `${country}:${year}`;
  let days = years.get(cacheKey);
  if (!days) {
    let hd = calendars.get(country);
    if (!hd) {
      hd = new Holidays(country);
      calendars.set(country, hd);
    }
    days = new Set(
      hd
        .getHolidays(Number(year))
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    years.set(cacheKey, days);
  }
  return days.has(isoDate);
}
