/**
 * The words of a search, as the database's text-search query takes them: lower case, accents
 * removed, split on anything but letters and digits (so nothing a user types can be read as
 * `to_tsquery` syntax), duplicates dropped. Pure, unit-tested.
 */

/** At most this many words of a query are used (an intake description can be long). */
export const MAX_QUERY_WORDS = 24;

export function queryTokens(text: string): string[] {
  const words = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2 && w.length <= 40);
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

/** Shorter words are never corrected: too many near neighbours. */
export const TYPO_MIN_LENGTH = 4;

export interface ResolvedToken {
  token: string;
  stop: boolean;
  known: boolean;
  /** Nearest vocabulary words by trigram distance, closest first. */
  candidates: readonly { word: string; similarity: number }[];
}

/** Damerau–Levenshtein distance (optimal string alignment): a swap of two neighbours counts one. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** How many edits a word of this length may carry and still be recognised: 1 up to 7 letters, then 2. */
export const allowedEdits = (length: number) => (length < TYPO_MIN_LENGTH ? 0 : length <= 7 ? 1 : 2);

/**
 * The words to search for: stop words out; a word no article has (nor any inflection of it)
 * replaced by the nearest article word within the allowed edits (fewest edits, then trigram order).
 */
export function correctedWords(resolved: readonly ResolvedToken[]): { words: string[]; corrections: Record<string, string> } {
  const words: string[] = [];
  const corrections: Record<string, string> = {};
  for (const r of resolved) {
    if (r.stop) continue;
    let best: { word: string; edits: number } | null = null;
    if (!r.known) {
      for (const c of r.candidates) {
        const edits = editDistance(r.token, c.word);
        if (edits > 0 && edits <= allowedEdits(r.token.length) && (!best || edits < best.edits)) best = { word: c.word, edits };
      }
    }
    if (best) corrections[r.token] = best.word;
    words.push(best ? best.word : r.token);
  }
  return { words: [...new Set(words)], corrections };
}

/** `all`: every word must match; `any`: at least one (ranked by how many and where). */
export function tsQueryOf(words: readonly string[], mode: 'all' | 'any'): string {
  return words.join(mode === 'all' ? ' & ' : ' | ');
}

/** The start and stop marks ts_headline puts around matches (characters no article text holds). */
const START = String.fromCharCode(2);
const STOP = String.fromCharCode(3);

/** A headline with \u0002…\u0003 around matches, as segments the page renders without HTML. */
export function headlineSegments(headline: string): { text: string; match: boolean }[] {
  const segments: { text: string; match: boolean }[] = [];
  for (const [i, part] of headline.replaceAll(STOP, START).split(START).entries()) {
    if (part) segments.push({ text: part, match: i % 2 === 1 });
  }
  return segments;
}
