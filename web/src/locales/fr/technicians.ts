/** Namespace `technicians` (French, the reference): Technicians and home bases (pages/technicians.tsx). */
export const technicians = {
  title: 'Techniciens et bases',
  map: 'Bases des techniciens et sites clients en Île-de-France',
  legendTech: 'Technicien',
  legendSite: 'Site client',
  calendar: 'Agenda',
  'feed.pageTitle': 'Mon agenda',
  'feed.title': 'Abonnement agenda',
  'feed.help':
    'Un lien à ajouter dans Google Agenda, Outlook ou Calendrier (Apple) : les interventions des 14 prochains jours, mises à jour automatiquement.',
  'feed.create': 'Créer un lien d’abonnement',
  'feed.subscribe': 'S’abonner dans mon agenda (webcal)',
  'feed.url': 'Adresse de l’abonnement (à copier)',
  'feed.once': 'Ce lien donne accès à votre planning : il n’est affiché qu’une fois. Révoquez-le s’il a été partagé.',
  'feed.list': 'Liens d’abonnement',
  'feed.created': 'Créé le',
  'feed.state': 'État',
  'feed.actions': 'Actions',
  'feed.live': 'Actif',
  'feed.revokedAt': 'Révoqué le {{at}}',
  'feed.revoke': 'Révoquer',
  'feed.noTechnician': 'Ce compte n’est lié à aucun technicien.',
} as const;
