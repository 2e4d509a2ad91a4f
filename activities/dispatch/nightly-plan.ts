/**
 * The nightly plan's decisions that need the clock, the calendar or the database: which day to
 * plan (the next working day in Paris: not a weekend, not a French public holiday), whether that
 * day already has a published plan, and when the plan publishes itself (the company's setting).
 */
import { DateTime } from 'luxon';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { findPublishedPlanOfDay, getDispatchSettings } from '../../db/repositories/dispatch.repository.js';
import { isPublicHoliday } from '../sla/french-holidays.js';
import { PLAN_TIMEZONE } from './day-problem.js';

/** The first working day after `now`'s day in Paris. */
export function nextWorkingDay(now: Date): string {
  let day = DateTime.fromJSDate(now, { zone: PLAN_TIMEZONE }).startOf('day');
  do day = day.plus({ days: 1 });
  while (day.weekday >= 6 || isPublicHoliday(day.toISODate()!));
  return day.toISODate()!;
}

/** The next instant at `time` (HH:MM, Paris) strictly after `now`: tonight at 21:00, or tomorrow at 07:00. */
export function nextWallClockInstant(now: Date, time: string): Date {
  const [hour, minute] = time.split(':').map(Number);
  const local = DateTime.fromJSDate(now, { zone: PLAN_TIMEZONE });
  let at = local.set({ hour, minute, second: 0, millisecond: 0 });
  if (at <= local) at = at.plus({ days: 1 }).set({ hour, minute });
  return at.toJSDate();
}

export interface NightlySetup {
  date: string;
  alreadyPublished: boolean;
  /** ISO instant at which the plan publishes itself; null: the dispatchers publish it. */
  publishAt: string | null;
}

export async function nightlySetup(db: Kysely<DB>, now: Date, date?: string): Promise<NightlySetup> {
  const day = date ?? nextWorkingDay(now);
  const [published, settings] = await Promise.all([findPublishedPlanOfDay(db, day), getDispatchSettings(db)]);
  return {
    date: day,
    alreadyPublished: published !== undefined,
    publishAt: settings.autoPublishAt ? nextWallClockInstant(now, settings.autoPublishAt).toISOString() : null,
  };
}
