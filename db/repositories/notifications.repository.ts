import { sql } from 'kysely';
import type { Executor } from '../executor.js';

// The caller's notification centre. Run on the caller's scoped executor: row-level security keeps
// each user to their own rows (migration 0380); the user id is repeated as a plain filter too.

export async function listNotifications(db: Executor, userId: string, limit: number) {
  return db
    .selectFrom('notifications')
    .select(['id', 'requestId', 'ticketNumber', 'title', 'body', 'createdAt', 'readAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function countUnreadNotifications(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one notification read; false when it is not the caller's (or does not exist). */
export async function markNotificationRead(db: Executor, userId: string, id: string): Promise<boolean> {
  const updated = await db
    .updateTable('notifications')
    .set({ readAt: sql<Date>`coalesce(read_at, now())` })
    .where('userId', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

export async function markAllNotificationsRead(db: Executor, userId: string): Promise<number> {
  const updated = await db
    .updateTable('notifications')
    .set({ readAt: sql<Date>`now()` })
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}
