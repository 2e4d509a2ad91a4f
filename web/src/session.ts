/** What every page is given: the translator of the chosen language and the signed-in account. */
import type { translator } from './i18n.js';
import type { SessionUser } from './api-schema.js';

/** The translator of the current language. */
export type T = ReturnType<typeof translator>;

/** The signed-in account (GET /api/auth/me). */
export type Me = SessionUser;
