/** The caller's notification centre (the bell): list, unread count, mark read. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  countUnreadNotifications,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from '../../db/repositories/notifications.repository.js';
import { HttpError } from '../errors.js';
import type { Principal } from '../routing.js';

export async function notificationsOf(db: Kysely<DB>, principal: Principal, limit: number) {
  const [items, unread] = await Promise.all([
    listNotifications(db, principal.userId, limit),
    countUnreadNotifications(db, principal.userId),
  ]);
  return { items, unread };
}

export async function markRead(db: Kysely<DB>, principal: Principal, id: string) {
  if (!(await markNotificationRead(db, principal.userId, id))) throw new HttpError(404, 'not_found', `notification ${id} not found`);
  return { marked: 1, unread: await countUnreadNotifications(db, principal.userId) };
}

export async function markAllRead(db: Kysely<DB>, principal: Principal) {
  const marked = await markAllNotificationsRead(db, principal.userId);
  return { marked, unread: 0 };
}
