/** Namespace `login` (French, the reference): The sign-in page (pages/login.tsx). */
export const login = {
  title: 'Connexion',
  email: 'E-mail',
  password: 'Mot de passe',
  submit: 'Se connecter',
  sso: 'Se connecter avec l’authentification unique',
  ssoHelp: 'Votre entreprise utilise l’authentification unique : vous n’avez pas besoin de mot de passe ici.',
  wrong: 'E-mail ou mot de passe incorrect.',
  demo: 'Démo : <rôle>@demo.intervention.fr / demo-<rôle>-2026 (rôles : admin, support-agent, dispatcher, finance, technician, client-admin, client-user).',
} as const;
