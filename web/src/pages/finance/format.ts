/** Amounts, rates and dates of the finance pages, in the reader's language. */
import type { Lang } from '../../i18n.js';

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/** 21909 → "219,09 €". */
export const money = (lang: Lang, cents: number): string =>
  new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency: 'EUR' }).format(cents / 100);

/** 550 → "5,5 %". */
export const rate = (lang: Lang, basisPoints: number): string =>
  new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 2 }).format(basisPoints / 10_000);

/** 2032-04-02 → "02/04/2032" (fr) or "02/04/2032" (en-GB). */
export const day = (lang: Lang, isoDate: string | null | undefined): string =>
  isoDate ? new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`)) : '—';

/** 2032-04 → "avril 2032". */
export const monthName = (lang: Lang, month: string): string =>
  new Intl.DateTimeFormat(LOCALES[lang], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

/** 90 → "1 h 30". */
export const hours = (minutes: number): string => `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;

/** Today in Paris, YYYY-MM-DD. */
export const todayIso = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
