import type { StoredAttachment } from '../schema/messages.table.js';
import type { Executor } from '../executor.js';

export interface NewMessage {
  idempotencyKey: string;
  requestId: string | null;
  fromAddress: string;
  toAddresses: string[];
  subject: string;
  textBody: string;
  htmlBody: string | null;
  attachments: StoredAttachment[];
  transport: 'smtp' | 'outbox';
  /** An invite's iCalendar part: stored with the message so a retry sends the same bytes. */
  icalMethod?: 'REQUEST' | 'CANCEL' | 'PUBLISH' | null;
  icalContent?: string | null;
}

/** Claims the idempotency key: returns the message row, and whether this call created it. */
export async function claimMessage(db: Executor, message: NewMessage) {
  const inserted = await db
    .insertInto('outboundMessages')
    .values({ ...message, attachments: JSON.stringify(message.attachments), status: 'pending' })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const row = await db
    .selectFrom('outboundMessages')
    .selectAll()
    .where('idempotencyKey', '=', message.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { row, created: false };
}

export async function markMessage(
  db: Executor,
  id: string,
  update: { status: 'sent' | 'stored' | 'failed'; providerMessageId?: string | null; error?: string | null },
) {
  await db
    .updateTable('outboundMessages')
    .set({
      status: update.status,
      providerMessageId: update.providerMessageId ?? null,
      error: update.error ?? null,
      sentAt: update.status === 'failed' ? null : new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function listMessages(db: Executor, filter: { requestId?: string; limit?: number }) {
  return db
    .selectFrom('outboundMessages')
    .select([
      'id',
      'requestId',
      'fromAddress',
      'toAddresses',
      'subject',
      'textBody',
      'status',
      'transport',
      'createdAt',
      'sentAt',
      'icalMethod',
    ])
    .$if(filter.requestId !== undefined, (qb) => qb.where('requestId', '=', filter.requestId!))
    .orderBy('createdAt', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
}

/** An outbox message's calendar invite (its exact bytes), or undefined. */
export async function findMessageInvite(db: Executor, id: string) {
  return db
    .selectFrom('outboundMessages')
    .select(['id', 'icalMethod', 'icalContent'])
    .where('id', '=', id)
    .where('icalContent', 'is not', null)
    .executeTakeFirst();
}
