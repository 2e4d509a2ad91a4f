/**
 * Intake files stored before their request row exists (migration 0100): the API stages them in
 * the transaction that allocates the ticket number, the workflow's intake activity moves them
 * onto the request once it has written it.
 */
import { sql } from 'kysely';
import type { NewIntakeAttachmentRow, NewIntakeIdempotencyKeyRow } from '../schema/requests.table.js';
import type { Executor } from '../executor.js';

export async function stageIntakeAttachments(db: Executor, rows: NewIntakeAttachmentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('intakeAttachments').values(rows).execute();
}

/**
 * Moves the staged files of a ticket onto its request; returns how many moved. One statement
 * (delete … returning feeding the insert), so it is atomic and a retry after it committed moves
 * nothing: each file lands on the request exactly once.
 */
export async function attachStagedFiles(db: Executor, ticketNumber: string, requestId: string): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    with moved as (
      delete from intake_attachments where ticket_number = ${ticketNumber}
      returning kind, filename, content_type, size_bytes, sha256, content, uploaded_by_user_id, created_at
    )
    insert into request_attachments (request_id, kind, filename, content_type, size_bytes, sha256, content, uploaded_by_user_id, created_at)
    select ${requestId}, kind, filename, content_type, size_bytes, sha256, content, uploaded_by_user_id, created_at from moved
    returning id`.execute(db);
  return rows.length;
}

/**
 * Holds, until the transaction ends, the lock of an intake's Idempotency-Key (by its digest), so
 * that two concurrent submissions with one key run one after the other: the second finds the
 * first's mapping instead of allocating a second ticket.
 */
export async function lockIntakeKey(db: Executor, id: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${id}, 0))`.execute(db);
}

export async function findIntakeKey(db: Executor, id: string) {
  return db
    .selectFrom('intakeIdempotencyKeys')
    .select(['ticketNumber', 'requestHash', 'createdAt'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function recordIntakeKey(db: Executor, row: NewIntakeIdempotencyKeyRow): Promise<void> {
  await db.insertInto('intakeIdempotencyKeys').values(row).execute();
}
