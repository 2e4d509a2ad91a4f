import type { outbox as fr } from '../fr/outbox.js';
import type { Messages } from '../messages.js';

/** Namespace `outbox` in English: exactly the French keys (a missing or extra key fails the type check). */
export const outbox: Messages<typeof fr> = {
  title: 'Sent messages',
  invite: 'Calendar invite ({{method}}) .ics',
  help: 'Without an SMTP server, messages are kept here.',
};
