/** Namespace `outbox` (French, the reference): Sent messages (pages/outbox.tsx). */
export const outbox = {
  title: 'Messages envoyés',
  invite: 'Invitation agenda ({{method}}) .ics',
  help: 'Sans serveur SMTP configuré, les messages sont conservés ici.',
} as const;
