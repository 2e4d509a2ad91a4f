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
