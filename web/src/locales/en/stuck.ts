import type { stuck as fr } from '../fr/stuck.js';
import type { Messages } from '../messages.js';

/** Namespace `stuck` in English: exactly the French keys (a missing or extra key fails the type check). */
export const stuck: Messages<typeof fr> = {
  title: 'Stuck interventions',
  help: 'Steps that keep failing (database unavailable, an error to fix): they are retried automatically for at most 7 days. Read the error to act on it.',
  refresh: 'Refresh',
  caption: 'Steps failing repeatedly, most retried first',
  empty: 'No stuck intervention: every step in progress is moving.',
  checked: 'Checked at',
  scanned: 'running processes examined',
  'col.ticket': 'Ticket',
  'col.step': 'Step',
  'col.attempts': 'Attempts',
  'col.error': 'Last error',
  'col.last': 'Last attempt',
  'col.next': 'Next retry',
};
