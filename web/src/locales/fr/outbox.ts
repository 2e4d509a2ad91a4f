/** Namespace `outbox` (French, the reference): Sent messages (pages/outbox.tsx). */
export const outbox = {
  title: 'Messages envoyés',
  help: 'Sans serveur SMTP configuré, les messages sont conservés ici.',
} as const;
