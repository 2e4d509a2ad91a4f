/**
 * Email, shared by every stage (confirmations, invites, invoices). With SMTP_URL messages go out
 * through nodemailer; without it they are kept in the outbound_messages table, which the API
 * shows as the outbox. Either way each message is claimed by an idempotency key first, so a
 * retried activity never sends the same message twice.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { claimMessage, markMessage, type NotifiedRole } from '../../db/repositories/messages.repository.js';

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface EmailMessage {
  /** Unique per intervention and step, e.g. `intervention-INT-2026-000001:confirmation`. */
  idempotencyKey: string;
  requestId?: string | null;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: EmailAttachment[];
  /** Calendar invite (text/calendar) sent as an alternative body part. */
  icalEvent?: { method: 'REQUEST' | 'CANCEL' | 'PUBLISH'; content: string };
  /**
   * Besides the recipients who are users (matched by email), the users of these roles get the
   * message in their notification centre too (a message to the shared support address).
   */
  notifyRoles?: readonly NotifiedRole[];
}

export interface SendResult {
  messageId: string;
  status: 'sent' | 'stored';
  /** true when the key had already been used: nothing was sent this time. */
  duplicate: boolean;
}

export interface Mailer {
  send(message: EmailMessage): Promise<SendResult>;
  close(): Promise<void>;
}

export interface MailerOptions {
  db: Kysely<DB>;
  from: string;
  smtpUrl?: string | undefined;
}

/** A stable Message-ID per idempotency key, so even a resend after a crash is recognisable. */
export function messageIdFor(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@intervention-platform>`;
}

export function createMailer(options: MailerOptions): Mailer {
  const transport: Transporter | null = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;

  return {
    async send(message) {
      if (message.to.length === 0) throw new Error('an email needs at least one recipient');
      const { row, created } = await claimMessage(
        options.db,
        {
          idempotencyKey: message.idempotencyKey,
          requestId: message.requestId ?? null,
          fromAddress: options.from,
          toAddresses: message.to,
          subject: message.subject,
          textBody: message.text,
          htmlBody: message.html ?? null,
          attachments: (message.attachments ?? []).map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.content.toString('base64'),
          })),
          transport: transport ? 'smtp' : 'outbox',
          icalMethod: message.icalEvent?.method ?? null,
          icalContent: message.icalEvent?.content ?? null,
        },
        message.notifyRoles,
      );
      if (row.status === 'sent' || row.status === 'stored') {
        return { messageId: row.id, status: row.status, duplicate: !created };
      }
      if (!transport) {
        await markMessage(options.db, row.id, { status: 'stored' });
        return { messageId: row.id, status: 'stored', duplicate: false };
      }
      // 'pending' (first attempt, or an attempt that died mid-send) or 'failed': send now, the
      // stored invite rather than this call's (a retry re-rendered later may differ: DTSTAMP).
      const invite = row.icalMethod && row.icalContent ? { method: row.icalMethod, content: row.icalContent } : null;
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          messageId: messageIdFor(message.idempotencyKey),
          attachments: (message.attachments ?? []).map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.content,
          })),
          ...(invite ? { icalEvent: { method: invite.method, content: invite.content } } : {}),
        });
        await markMessage(options.db, row.id, { status: 'sent', providerMessageId: info.messageId });
        return { messageId: row.id, status: 'sent', duplicate: false };
      } catch (err) {
        await markMessage(options.db, row.id, { status: 'failed', error: (err as Error).message });
        throw err;
      }
    },
    async close() {
      transport?.close();
    },
  };
}
