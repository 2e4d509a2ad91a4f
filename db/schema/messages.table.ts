import type { ColumnType, Generated, Selectable } from 'kysely';

type Json<T> = ColumnType<T, T | string | undefined, T | string>;

export interface StoredAttachment {
  filename: string;
  contentType: string;
  /** base64 of the bytes. */
  content: string;
}

export interface OutboundMessagesTable {
  id: Generated<string>;
  idempotencyKey: string;
  requestId: string | null;
  channel: Generated<'email'>;
  fromAddress: string;
  toAddresses: string[];
  subject: string;
  textBody: string;
  htmlBody: string | null;
  attachments: Json<StoredAttachment[]>;
  status: ColumnType<'pending' | 'sent' | 'stored' | 'failed', 'pending' | 'sent' | 'stored' | 'failed' | undefined>;
  transport: 'smtp' | 'outbox';
  providerMessageId: string | null;
  error: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  sentAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type OutboundMessageRow = Selectable<OutboundMessagesTable>;

/** The notification centre: one row per user and source (migration 0380; RLS: a user sees their own). */
export interface NotificationsTable {
  id: Generated<string>;
  userId: string;
  /** The email's idempotency key that created it: unique per user, so a retry adds nothing. */
  sourceKey: string;
  requestId: string | null;
  ticketNumber: string | null;
  title: string;
  body: Generated<string>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  readAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
