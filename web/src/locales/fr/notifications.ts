/** Namespace `notifications` (French, the reference): the notification centre (the bell in the header). */
export const notifications = {
  bell: 'Notifications',
  bell_unread_one: 'Notifications, {{count}} non lue',
  bell_unread_other: 'Notifications, {{count}} non lues',
  title: 'Notifications',
  empty: 'Aucune notification.',
  markRead: 'Marquer comme lue',
  markReadOf: 'Marquer comme lue : {{title}}',
  markAllRead: 'Tout marquer comme lu',
  unread: 'Non lue',
  close: 'Fermer',
  open: 'Ouvrir la demande {{ticket}}',
  offline: 'Mises à jour en direct interrompues : actualisation toutes les 30 s.',
} as const;
