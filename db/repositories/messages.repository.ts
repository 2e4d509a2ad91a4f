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

/** Roles whose users also get the notification of a message sent to a shared address (support's). */
export type NotifiedRole = 'support_agent' | 'dispatcher' | 'admin' | 'finance';

/**
 * Claims the idempotency key: returns the message row, and whether this call created it. In the
 * same transaction, the notification of each recipient who is a user of the platform (by email,
 * plus the users of `notifyRoles`), keyed by the message's key: a retry creates neither twice.
 */
export async function claimMessage(db: Executor, message: NewMessage, notifyRoles: readonly NotifiedRole[] = []) {
  const claim = async (trx: Executor) => {
    const inserted = await trx
      .insertInto('outboundMessages')
      .values({ ...message, attachments: JSON.stringify(message.attachments), status: 'pending' })
      .onConflict((oc) => oc.column('idempotencyKey').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) return null;
    await addNotifications(trx, message, notifyRoles);
    return inserted;
  };
  const inserted = db.isTransaction ? await claim(db) : await db.transaction().execute(claim);
  if (inserted) return { row: inserted, created: true };
  const row = await db
    .selectFrom('outboundMessages')
    .selectAll()
    .where('idempotencyKey', '=', message.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { row, created: false };
}

async function addNotifications(db: Executor, message: NewMessage, notifyRoles: readonly NotifiedRole[]): Promise<void> {
  const emails = message.toAddresses.map((a) => (/<([^>]+)>/.exec(a)?.[1] ?? a).trim().toLowerCase());
  const ticket = message.requestId
    ? ((await db.selectFrom('serviceRequests').select('ticketNumber').where('id', '=', message.requestId).executeTakeFirst())
        ?.ticketNumber ?? null)
    : null;
  const users = await db
    .selectFrom('users')
    .select('id')
    .where('active', '=', true)
    .where((eb) => {
      const byEmail = eb(eb.fn('lower', ['email']), 'in', emails.length > 0 ? emails : ['']);
      return notifyRoles.length > 0 ? eb.or([byEmail, eb('role', 'in', [...notifyRoles])]) : byEmail;
    })
    .execute();
  if (users.length === 0) return;
  await db
    .insertInto('notifications')
    .values(
      users.map((u) => ({
        userId: u.id,
        sourceKey: message.idempotencyKey,
        requestId: message.requestId,
        ticketNumber: ticket,
        title: message.subject.slice(0, 300),
        body: message.textBody.slice(0, 600),
      })),
    )
    .onConflict((oc) => oc.columns(['userId', 'sourceKey']).doNothing())
    .execute();
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
