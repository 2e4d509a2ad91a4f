/** Namespace `stuck` (French, the reference): Stuck interventions (pages/stuck.tsx). */
export const stuck = {
  title: 'Interventions bloquées',
  help: 'Étapes qui échouent encore et encore (base de données indisponible, erreur à corriger) : elles sont réessayées automatiquement pendant 7 jours au plus. Consultez l’erreur pour agir.',
  refresh: 'Actualiser',
  caption: 'Étapes en échec répété, les plus réessayées d’abord',
  empty: 'Aucune intervention bloquée : toutes les étapes en cours avancent.',
  checked: 'Vérifié le',
  scanned: 'processus en cours examinés',
  'col.ticket': 'Ticket',
  'col.step': 'Étape',
  'col.attempts': 'Tentatives',
  'col.error': 'Dernière erreur',
  'col.last': 'Dernière tentative',
  'col.next': 'Prochain essai',
} as const;
