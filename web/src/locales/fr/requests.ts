/** Namespace `requests` (French, the reference): The list of requests (pages/requests.tsx). */
export const requests = {
  title: 'Demandes d’intervention',
  empty: 'Aucune demande pour le moment.',
} as const;
