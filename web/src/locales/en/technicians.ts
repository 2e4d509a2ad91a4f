import type { technicians as fr } from '../fr/technicians.js';
import type { Messages } from '../messages.js';

/** Namespace `technicians` in English: exactly the French keys (a missing or extra key fails the type check). */
export const technicians: Messages<typeof fr> = {
  title: 'Technicians and home bases',
  map: 'Technicians’ home bases and client sites in Île-de-France',
  legendTech: 'Technician',
  legendSite: 'Client site',
  calendar: 'Calendar',
  'feed.pageTitle': 'My calendar',
  'feed.title': 'Calendar subscription',
  'feed.help': 'A link to add to Google Calendar, Outlook or Apple Calendar: the visits of the next 14 days, kept up to date.',
  'feed.create': 'Create a subscription link',
  'feed.subscribe': 'Subscribe in my calendar (webcal)',
  'feed.url': 'Subscription address (to copy)',
  'feed.once': 'This link opens your schedule: it is shown only once. Revoke it if it was shared.',
  'feed.list': 'Subscription links',
  'feed.created': 'Created',
  'feed.state': 'State',
  'feed.actions': 'Actions',
  'feed.live': 'Active',
  'feed.revokedAt': 'Revoked on {{at}}',
  'feed.revoke': 'Revoke',
  'feed.noTechnician': 'This account is not linked to a technician.',
};
