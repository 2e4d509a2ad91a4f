/** What every page is given: the translator of the chosen language and the signed-in account. */
import type { Lang, T } from './i18n.js';
import type { fr } from './locales/index.js';
import type { SessionUser } from './api-schema.js';

/** The translator of the current language (typed keys: see i18n.ts). */
export type { T };

/** The signed-in account (GET /api/auth/me). */
export type Me = SessionUser;

/** A menu label's translation key: a `nav.*` key of the `common` namespace. */
export type NavKey = Extract<keyof (typeof fr)['common'], `nav.${string}`>;

/** What the router gives every page. */
export interface PageProps {
  t: T;
  lang: Lang;
  me: Me;
  /** The path's `:name` segments, e.g. `{ ticket: 'INT-2026-0001' }` for `/requests/:ticket`. */
  params: Record<string, string | undefined>;
}
