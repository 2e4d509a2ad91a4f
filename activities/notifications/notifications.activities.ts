import type { EmailMessage, Mailer, SendResult } from './mailer.js';

export interface NotificationDeps {
  mailer: Mailer;
}

/** Sending is idempotent by the message's key (see Mailer). */
export function createNotificationActivities({ mailer }: NotificationDeps) {
  return {
    async sendEmail(
      message: Omit<EmailMessage, 'attachments'> & {
        attachments?: Array<{ filename: string; contentType: string; base64: string }>;
      },
    ): Promise<SendResult> {
      return mailer.send({
        ...message,
        attachments: (message.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.base64, 'base64'),
        })),
      });
    },
  };
}
