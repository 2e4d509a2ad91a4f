/**
 * The data of a dashboard panel as one table: columns with a raw value (what the CSV carries and
 * the chart draws) and its display in the reader's language. A chart, its table view and its CSV
 * are three views of the same rows, so they always show the same numbers.
 */
import type { Lang } from '../../i18n.js';

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

export type Cell = string | number | null;

export interface Column<R> {
  header: string;
  value: (row: R) => Cell;
  /** Right-aligned, formatted as a number in the reader's language. */
  numeric?: boolean;
  /** Display of the value (default: the number in the reader's language, or the text). */
  format?: (value: Cell, row: R) => string;
  /**
   * The CSV's columns for this one when the table's cell shows more than its value (an expected
   * value with its interval): the CSV then carries each figure in a column of its own.
   */
  csv?: ReadonlyArray<{ header: string; value: (row: R) => Cell }>;
}

/** 0.8333 → 83.3 (a share as a percentage, one decimal); null stays null. */
export const percent = (share: number | null | undefined): number | null =>
  share === null || share === undefined ? null : Math.round(share * 1000) / 10;

/** Minutes → hours with one decimal (95 → 1.6); null stays null. */
export const hoursOf = (minutes: number | null | undefined): number | null =>
  minutes === null || minutes === undefined ? null : Math.round(minutes / 6) / 10;

/** Rounded to `digits` decimals; null stays null. */
export const rounded = (x: number | null | undefined, digits = 1): number | null =>
  x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits;

/** A number as the reader writes it ("1 234,5" in French); `—` for no value. */
export function formatNumber(lang: Lang, value: Cell, digits = 2): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits }).format(value);
}

export function display<R>(lang: Lang, column: Column<R>, row: R): string {
  const value = column.value(row);
  return column.format ? column.format(value, row) : formatNumber(lang, value);
}

/**
 * RFC 4180 CSV of the rows with a header row. In French the separator is `;` and the decimal
 * mark a comma (what French spreadsheet software reads, as the invoice export does); in English
 * `,` and a point. Numbers carry no thousands separator; a UTF-8 BOM makes spreadsheets read the
 * accents.
 */
export function toCsv<R>(lang: Lang, columns: readonly Column<R>[], rows: readonly R[]): string {
  const separator = lang === 'fr' ? ';' : ',';
  const cell = (value: Cell): string => {
    if (value === null) return '';
    const text = typeof value === 'number' ? (lang === 'fr' ? String(value).replace('.', ',') : String(value)) : value;
    return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const flat = columns.flatMap((c) => c.csv ?? [c]);
  const lines = [flat.map((c) => cell(c.header)), ...rows.map((r) => flat.map((c) => cell(c.value(r))))];
  return `\ufeff${lines.map((l) => l.join(separator)).join('\r\n')}\r\n`;
}

/** Saves `text` as a file through a temporary object URL (the browser's download). */
export function downloadCsv(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
