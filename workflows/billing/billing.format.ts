/**
 * How amounts and VAT rates are written, for machines (the CII XML) and for people (the PDF, the
 * accounting CSV, emails). Pure and without imports, like intervention.vocabulary.ts: the
 * activities render documents with it and the API exports the CSV with it, so both write the
 * same figures without the API importing activities/ (STYLE.md §13).
 */

/** "1234.5" style decimal with `scale` digits from an integer count of 10^-scale units. */
export function decimalString(units: number, scale: number): string {
  const negative = units < 0;
  const abs = Math.abs(units);
  const factor = 10 ** scale;
  const int = Math.floor(abs / factor);
  const frac = String(abs % factor)
    .padStart(scale, '0')
    .replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Amount for XML: always two decimals, dot separator ("1234.50"). */
export function amountString(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  return `${negative ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Amount for people, French style: "1 234,50 €" (en: "€1,234.50"). */
export function formatMoney(cents: number, language: 'fr' | 'en' = 'fr'): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const int = String(Math.floor(abs / 100));
  const frac = String(abs % 100).padStart(2, '0');
  if (language === 'en') return `${negative ? '-' : ''}€${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
  return `${negative ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${frac} €`;
}

/** A VAT rate for people: 2000 → "20 %", 550 → "5,5 %". */
export function formatRate(basisPoints: number): string {
  return `${decimalString(basisPoints, 2).replace('.', ',')} %`;
}

/** UNCL5305 VAT category: S = standard (any positive French rate), Z = zero rated. */
export type VatCategory = 'S' | 'Z';

/** One VAT rate of a document (BG-23), as stored in invoices.vat_breakdown. */
export interface VatBreakdown {
  vatCategory: VatCategory;
  vatRateBasisPoints: number;
  /** BT-116: sum of the line net amounts at this rate. */
  basisCents: number;
  /** BT-117: basis × rate, rounded once. */
  vatCents: number;
}
