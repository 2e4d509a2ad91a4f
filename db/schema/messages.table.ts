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
  /** The iCalendar part of an invite (text/calendar; method=…), kept byte for byte. */
  icalMethod: ColumnType<'REQUEST' | 'CANCEL' | 'PUBLISH' | null, 'REQUEST' | 'CANCEL' | 'PUBLISH' | null | undefined>;
  icalContent: ColumnType<string | null, string | null | undefined>;
  providerMessageId: string | null;
  error: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  sentAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type OutboundMessageRow = Selectable<OutboundMessagesTable>;

/** Per visit (service request): the SEQUENCE of its calendar event, raised once per invite. */
export interface VisitInvitesTable {
  requestId: string;
  sequence: number;
  lastKey: string;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A technician's calendar subscription: only the SHA-256 of the URL's secret is kept. */
export interface CalendarFeedTokensTable {
  id: Generated<string>;
  technicianId: string;
  tokenHash: string;
  createdBy: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  revokedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

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
