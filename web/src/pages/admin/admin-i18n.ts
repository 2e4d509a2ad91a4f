/**
 * The administration pages' translator: the `admin` namespace of the app's i18next resources
 * (locales/fr/admin.ts, locales/en/admin.ts). Keys are typed by the French namespace, so a
 * missing or misspelt key fails the type check; the English namespace has exactly its keys.
 */
import type { T } from '../../i18n.js';
import type { fr } from '../../locales/index.js';

export type AdminKey = keyof (typeof fr)['admin'];
export type AdminT = (key: AdminKey) => string;

/** `t('admin:<key>')` for an admin key (the keys are checked by AdminKey; composed keys such as `day.${n}` included). */
export function adminTranslator(t: T): AdminT {
  const lookup = t as unknown as (key: string) => string;
  return (key) => lookup(`admin:${key}`);
}

/** The path of an administration page. */
export const adminHref = (path: string) => path;
