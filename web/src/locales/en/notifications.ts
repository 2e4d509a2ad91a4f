import type { notifications as fr } from '../fr/notifications.js';
import type { Messages } from '../messages.js';

/** Namespace `notifications` in English: exactly the French keys (a missing or extra key fails the type check). */
export const notifications: Messages<typeof fr> = {
  bell: 'Notifications',
  bell_unread_one: 'Notifications, {{count}} unread',
  bell_unread_other: 'Notifications, {{count}} unread',
  title: 'Notifications',
  empty: 'No notifications.',
  markRead: 'Mark as read',
  markReadOf: 'Mark as read: {{title}}',
  markAllRead: 'Mark all as read',
  unread: 'Unread',
  close: 'Close',
  open: 'Open request {{ticket}}',
  offline: 'Live updates interrupted: refreshing every 30 s.',
};
