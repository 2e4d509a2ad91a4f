import type { login as fr } from '../fr/login.js';
import type { Messages } from '../messages.js';

/** Namespace `login` in English: exactly the French keys (a missing or extra key fails the type check). */
export const login: Messages<typeof fr> = {
  title: 'Sign in',
  email: 'Email',
  password: 'Password',
  submit: 'Sign in',
  sso: 'Sign in with single sign-on',
  ssoHelp: 'Your company uses single sign-on: you need no password here.',
  wrong: 'Wrong email or password.',
  demo: 'Demo: <role>@demo.intervention.fr / demo-<role>-2026 (roles: admin, support-agent, dispatcher, finance, technician, client-admin, client-user).',
};
