/**
 * Interface strings through i18next: French by default, English complete. The messages live in
 * per-page namespaces under `locales/` (see locales/index.ts for how to add one); their keys type
 * `t()`, so a missing or misspelt key fails the type check. Plurals (`key_one`/`key_other` with
 * `{ count }`) and interpolation (`{{name}}`) are i18next's.
 */
import i18next, { type TFunction } from 'i18next';
import { en, fr, NAMESPACES, type Namespace } from './locales/index.js';

export type Lang = 'fr' | 'en';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof fr;
    keySeparator: false;
    nsSeparator: ':';
  }
}

export function initialLang(): Lang {
  const saved = globalThis.localStorage?.getItem('lang');
  return saved === 'en' ? 'en' : 'fr';
}

/** i18next with every namespace loaded (the bundle carries both languages: they are small). */
const i18n = i18next.createInstance();
void i18n.init({
  resources: { fr, en },
  lng: 'fr',
  fallbackLng: 'fr',
  supportedLngs: ['fr', 'en'],
  ns: NAMESPACES,
  defaultNS: 'common',
  // Keys are flat ('phase.loading'), so a dot is part of a key; `ns:key` names another namespace.
  keySeparator: false,
  nsSeparator: ':',
  // Preact escapes what it renders.
  interpolation: { escapeValue: false },
  initAsync: false,
});

/**
 * The translator of one language, typed by the resources: `t('nav.requests')` (namespace `common`),
 * `t('planning:title')`, `t('planning:moved', { count })`. A key that does not exist fails `tsc -p web`.
 */
export function translator(lang: Lang): T {
  // Unprefixed keys are looked up in `common` only (as typed); `ns:key` reaches any namespace.
  return i18n.getFixedT(lang, 'common');
}

/** The translator every page gets (all namespaces; `common` needs no prefix). */
export type T = TFunction<['common', ...Namespace[]]>;

/**
 * A label for a code that comes from data (an event kind, a status written by a newer version):
 * its translation when the key exists, else `fallback`. The one place a key is not checked by the
 * compiler, because the code is only known at run time.
 */
export function dynamicLabel(t: T, key: string, fallback: string): string {
  return (t as unknown as (key: string, options: { defaultValue: string }) => string)(key, { defaultValue: fallback });
}

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/**
 * A visit's slot as people say it, in Paris time: "mercredi 16 juin 2027, 09:00 – 11:30" (the day
 * once when both ends fall on it; Intl decides the wording and the range in each language).
 */
export function formatSlot(lang: Lang, start: string, end: string): string {
  const format = new Intl.DateTimeFormat(LOCALES[lang], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Paris',
  });
  return format.formatRange(new Date(start), new Date(end));
}

export function formatDateTime(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(new Date(iso));
}
