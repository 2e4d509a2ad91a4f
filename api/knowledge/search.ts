/**
 * French search over the articles the caller may read: the words of the query (accents removed,
 * stop words out, a mistyped word replaced by its nearest article word), every word first, any
 * word when that finds nothing; title above tags above body; highlighted passages.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { recordSearch, resolveTokens, searchArticles, type SearchFilters } from '../../db/repositories/knowledge.repository.js';
import type { Principal } from '../routing.js';
import { isStaff } from './articles.js';
import { correctedWords, headlineSegments, queryTokens, tsQueryOf } from './search-query.js';

export interface SearchInput {
  q: string;
  filters: SearchFilters;
  limit: number;
  /** `all` first then `any` (a search box); `any` only (suggestions from a problem description). */
  mode: 'search' | 'suggest';
  /** Counted in the usage figures (searches that found nothing); suggestions are not. */
  record: boolean;
}

export async function searchKnowledge(db: Kysely<DB>, principal: Principal | null, input: SearchInput) {
  const tokens = queryTokens(input.q);
  const { words, corrections } = correctedWords(await resolveTokens(db, tokens));
  let matched: 'all' | 'any' | 'none' = 'none';
  let hits: Awaited<ReturnType<typeof searchArticles>> = [];
  if (words.length > 0) {
    if (input.mode === 'search') {
      hits = await searchArticles(db, { tsquery: tsQueryOf(words, 'all'), raw: input.q, filters: input.filters, limit: input.limit });
      matched = hits.length > 0 ? 'all' : 'none';
    }
    if (hits.length === 0 && (input.mode === 'suggest' || words.length > 1)) {
      hits = await searchArticles(db, { tsquery: tsQueryOf(words, 'any'), raw: input.q, filters: input.filters, limit: input.limit });
      matched = hits.length > 0 ? 'any' : 'none';
    }
  }
  if (input.record && input.q.trim()) {
    await recordSearch(db, {
      query: input.q.trim().slice(0, 200),
      results: hits.length,
      role: principal?.role ?? null,
      userId: principal?.userId ?? null,
    });
  }
  return {
    query: input.q,
    words,
    // Staff only: a correction names a word of some article, perhaps an internal one.
    corrections: isStaff(principal) ? corrections : {},
    matched,
    items: hits.map(({ headline, ...hit }) => ({ ...hit, snippet: headlineSegments(headline) })),
  };
}
