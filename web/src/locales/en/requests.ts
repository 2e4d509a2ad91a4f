import type { requests as fr } from '../fr/requests.js';
import type { Messages } from '../messages.js';

/** Namespace `requests` in English: exactly the French keys (a missing or extra key fails the type check). */
export const requests: Messages<typeof fr> = {
  title: 'Service requests',
  empty: 'No requests yet.',
};
