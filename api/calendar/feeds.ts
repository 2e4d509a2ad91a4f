/**
 * A technician's calendar feed: an unguessable URL (`/api/calendar/<secret>.ics`, only the
 * secret's SHA-256 stored) serving their next 14 days of visits as an iCalendar feed that Google
 * Calendar, Outlook and Apple Calendar subscribe to. The technician, or a dispatcher or admin,
 * creates and revokes such URLs; a revoked one answers 404.
 */
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { CALENDAR_TIMEZONE, technicianFeed, type CalendarVisit } from '../../platform/calendar.js';
import type { DB } from '../../db/index.js';
import {
  technicianExists,
  createFeedToken,
  findFeedTechnician,
  listFeedTokens,
  listFeedVisits,
  revokeFeedToken,
} from '../../db/repositories/calendar.repository.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import { HttpError, notFound } from '../errors.js';
import type { Principal } from '../routing.js';

/** How far ahead the feed reaches. */
export const FEED_DAYS = 14;
/** Feed secrets carry a prefix so secret scanners can recognise a leaked URL. */
export const FEED_TOKEN_PREFIX = 'fscal_';

/** A technician manages only their own feeds; dispatchers and admins anyone's. */
function assertMayManage(principal: Principal | null, technicianId: string): void {
  if (principal?.role === 'technician' && principal.technicianId !== technicianId) {
    throw new HttpError(403, 'forbidden', 'a technician manages only their own calendar feeds');
  }
}

export async function createFeed(db: Kysely<DB>, principal: Principal | null, technicianId: string, baseUrl: string) {
  assertMayManage(principal, technicianId);
  if (!(await technicianExists(db, technicianId))) throw notFound(`technician ${technicianId}`);
  const secret = newSecret(FEED_TOKEN_PREFIX);
  const row = await createFeedToken(db, { technicianId, tokenHash: hashSecret(secret), createdBy: principal?.userId ?? null });
  const url = `${baseUrl.replace(/\/$/, '')}/api/calendar/${secret}.ics`;
  return {
    id: row.id,
    technicianId: row.technicianId,
    createdAt: row.createdAt.toISOString(),
    revokedAt: null,
    url,
    webcalUrl: url.replace(/^https?:\/\//, 'webcal://'),
  };
}

export async function listFeeds(db: Kysely<DB>, principal: Principal | null, technicianId: string) {
  assertMayManage(principal, technicianId);
  const rows = await listFeedTokens(db, technicianId);
  return rows.map((r) => ({
    id: r.id,
    technicianId: r.technicianId,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}

export async function revokeFeed(db: Kysely<DB>, principal: Principal | null, technicianId: string, feedId: string) {
  assertMayManage(principal, technicianId);
  if (!(await revokeFeedToken(db, technicianId, feedId))) throw notFound(`calendar feed ${feedId}`);
}

/** The feed's iCalendar text, or null for an unknown or revoked secret. */
export async function renderFeed(db: Kysely<DB>, secret: string, now: Date): Promise<string | null> {
  const technician = await findFeedTechnician(db, hashSecret(secret));
  if (!technician) return null;
  // From the start of today in Paris (today's earlier visits stay visible) over FEED_DAYS days.
  const today = DateTime.fromJSDate(now, { zone: CALENDAR_TIMEZONE }).startOf('day');
  const from = today.toJSDate();
  const to = today.plus({ days: FEED_DAYS }).toJSDate();
  const visits: CalendarVisit[] = (await listFeedVisits(db, technician.id, from, to)).map((v) => ({
    requestId: v.requestId,
    sequence: v.sequence ?? 0,
    start: v.scheduledStart,
    end: v.scheduledEnd,
    summary: `${v.ticketNumber} – ${v.siteName}`,
    description: [`${v.ticketNumber} : ${v.title}`, v.description, v.accessInstructions ? `Accès : ${v.accessInstructions}` : null]
      .filter(Boolean)
      .join('\n'),
    location: `${v.addressLine1}, ${v.postalCode} ${v.city}`,
  }));
  const name = `Interventions – ${technician.firstName} ${technician.lastName}`;
  return technicianFeed(name, visits, {}, now);
}
