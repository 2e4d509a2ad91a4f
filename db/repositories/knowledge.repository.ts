/**
 * The knowledge base (migration 0240). Every function runs on the caller's executor: under the
 * API's scoped transaction row-level security decides what the caller reads (a client never
 * reads an internal article, another company's, or an unpublished version), so search, reading
 * and the figures need no visibility filter of their own.
 */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { ArticleContent, KbArticleRow, KbArticleVersionRow } from '../schema/knowledge.table.js';
import type {
  ArticleAudience,
  ArticleKind,
  ArticleLanguage,
  ArticleRequestRelation,
  ArticleStatus,
} from '../../workflows/knowledge/knowledge.vocabulary.js';

export type { ArticleContent };

const CONTENT_COLUMNS = [
  'kind',
  'language',
  'title',
  'body',
  'category',
  'serviceTypes',
  'brands',
  'models',
  'assetKinds',
  'tags',
] as const satisfies readonly (keyof ArticleContent)[];

function contentOf(c: ArticleContent): ArticleContent {
  return {
    kind: c.kind,
    language: c.language,
    title: c.title,
    body: c.body,
    category: c.category,
    serviceTypes: c.serviceTypes,
    brands: c.brands,
    models: c.models,
    assetKinds: c.assetKinds,
    tags: c.tags,
  };
}

export interface NewArticle {
  content: ArticleContent;
  audience: ArticleAudience;
  audienceClientIds: string[];
  authorUserId: string | null;
  changeNote?: string | null;
}

/** A draft article with its first version. */
export async function insertArticle(db: Executor, article: NewArticle): Promise<{ id: string; versionId: string }> {
  const row = await db
    .insertInto('kbArticles')
    .values({
      ...contentOf(article.content),
      audience: article.audience,
      audienceClientIds: article.audienceClientIds,
      authorUserId: article.authorUserId,
      versionCount: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const version = await db
    .insertInto('kbArticleVersions')
    .values({
      ...contentOf(article.content),
      articleId: row.id,
      version: 1,
      changeNote: article.changeNote ?? null,
      createdByUserId: article.authorUserId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('kbArticles').set({ currentVersionId: version.id }).where('id', '=', row.id).execute();
  return { id: row.id, versionId: version.id };
}

/** The article row, locked for a life-cycle change. */
export async function findArticleForUpdate(db: Executor, id: string): Promise<KbArticleRow | undefined> {
  return db.selectFrom('kbArticles').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findArticle(db: Executor, id: string): Promise<KbArticleRow | undefined> {
  return db.selectFrom('kbArticles').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * A new version (the next number) of an article; its row now points at it as the current one and
 * goes back to draft. The searchable copy follows only while nothing is published: a published
 * article keeps showing its published version until the new one is published.
 */
export async function appendVersion(
  db: Executor,
  article: Pick<KbArticleRow, 'id' | 'versionCount' | 'publishedVersionId'>,
  content: ArticleContent,
  by: { userId: string | null; changeNote: string | null },
): Promise<{ versionId: string; version: number }> {
  const version = article.versionCount + 1;
  const row = await db
    .insertInto('kbArticleVersions')
    .values({ ...contentOf(content), articleId: article.id, version, changeNote: by.changeNote, createdByUserId: by.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('kbArticles')
    .set({
      currentVersionId: row.id,
      versionCount: version,
      status: 'draft',
      updatedAt: new Date(),
      ...(article.publishedVersionId === null ? contentOf(content) : {}),
    })
    .where('id', '=', article.id)
    .execute();
  return { versionId: row.id, version };
}

export interface StatusChange {
  status: ArticleStatus;
  at: Date;
  reviewerUserId?: string | null;
  reviewNote?: string | null;
}

/** Moves the article to `status` and stamps the date of that step (the use case checked the move). */
export async function setArticleStatus(db: Executor, id: string, change: StatusChange): Promise<void> {
  const stamp =
    change.status === 'review'
      ? { submittedAt: change.at }
      : change.status === 'archived'
        ? { archivedAt: change.at }
        : change.status === 'draft'
          ? { reviewedAt: change.at }
          : {};
  await db
    .updateTable('kbArticles')
    .set({
      status: change.status,
      updatedAt: change.at,
      ...stamp,
      ...(change.reviewerUserId !== undefined ? { reviewerUserId: change.reviewerUserId } : {}),
      ...(change.reviewNote !== undefined ? { reviewNote: change.reviewNote } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Publishes the current version: readers now see it, and the searchable copy becomes it. */
export async function publishCurrentVersion(db: Executor, id: string, by: { reviewerUserId: string | null; at: Date }): Promise<void> {
  const article = await db.selectFrom('kbArticles').select('currentVersionId').where('id', '=', id).executeTakeFirstOrThrow();
  const version = await db
    .selectFrom('kbArticleVersions')
    .select(CONTENT_COLUMNS)
    .where('id', '=', article.currentVersionId!)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('kbArticles')
    .set({
      ...contentOf(version),
      status: 'published',
      publishedVersionId: article.currentVersionId,
      reviewerUserId: by.reviewerUserId,
      reviewedAt: by.at,
      publishedAt: by.at,
      archivedAt: null,
      updatedAt: by.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function setAudience(db: Executor, id: string, audience: ArticleAudience, clientIds: string[]): Promise<void> {
  await db
    .updateTable('kbArticles')
    .set({ audience, audienceClientIds: audience === 'companies' ? clientIds : [], updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function listVersions(db: Executor, articleId: string) {
  return db
    .selectFrom('kbArticleVersions as v')
    .leftJoin('users as u', 'u.id', 'v.createdByUserId')
    .select(['v.id', 'v.version', 'v.title', 'v.changeNote', 'v.createdAt', 'v.createdByUserId', 'u.displayName as createdByName'])
    .where('v.articleId', '=', articleId)
    .orderBy('v.version', 'desc')
    .execute();
}

export async function findVersion(db: Executor, articleId: string, version: number): Promise<KbArticleVersionRow | undefined> {
  return db
    .selectFrom('kbArticleVersions')
    .selectAll()
    .where('articleId', '=', articleId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function findVersionById(db: Executor, id: string): Promise<KbArticleVersionRow | undefined> {
  return db.selectFrom('kbArticleVersions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Tries to rewrite a stored version in place (what the immutability trigger refuses); for tests and the docs. */
export async function rewriteVersionTitle(db: Executor, id: string, title: string): Promise<void> {
  await db.updateTable('kbArticleVersions').set({ title }).where('id', '=', id).execute();
}

export async function deleteVersion(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('kbArticleVersions').where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Search

export interface SearchFilters {
  kind?: ArticleKind;
  serviceType?: string;
  brand?: string;
  model?: string;
  assetKind?: string;
  language?: ArticleLanguage;
  status?: ArticleStatus;
  category?: string;
}

/** A query word and what the vocabulary makes of it. */
export interface TokenResolution {
  token: string;
  /** A stop word ("le", "de"…): left out of the query. */
  stop: boolean;
  /** The word, or one of its inflections, is in some article. */
  known: boolean;
  /** The closest words of the vocabulary by trigram distance, closest first, with their similarity (0–1). */
  candidates: { word: string; similarity: number }[];
}

/** Looks every query word up in the vocabulary (kb_words: same stem, and the five nearest words by trigrams). */
export async function resolveTokens(db: Executor, tokens: string[]): Promise<TokenResolution[]> {
  if (tokens.length === 0) return [];
  const result = await sql<TokenResolution>`
    select t.token,
           numnode(plainto_tsquery('kb_french', t.token)) = 0 as stop,
           exists (select 1 from kb_words w
                    where w.lexeme = coalesce((tsvector_to_array(to_tsvector('kb_french', t.token)))[1], t.token)) as known,
           coalesce((select json_agg(json_build_object('word', n.word, 'similarity', similarity(n.word, t.token)))
                       from (select w.word from kb_words w order by w.word <-> t.token limit 5) n), '[]'::json) as candidates
      from unnest(${tokens}::text[]) with ordinality as t(token, i)
     order by t.i`.execute(db);
  return result.rows;
}

export interface SearchHit {
  id: string;
  title: string;
  kind: ArticleKind;
  status: ArticleStatus;
  audience: ArticleAudience;
  language: ArticleLanguage;
  category: string | null;
  serviceTypes: string[];
  tags: string[];
  publishedAt: Date | null;
  rank: number;
  /** Best passages of the body, the matched words between \u0002 and \u0003. */
  headline: string;
}

/**
 * Articles matching a `to_tsquery` expression (words of [a-z0-9] joined by & or |), best first:
 * ts_rank with the title weighing twice the tags and ten times the body. The matching, filtering
 * and ranking run in kb_search_ranked() (migration 0250: the GIN index is unusable under the
 * row-level-security policy, the function applies the same visibility rule itself); the page it
 * returns is read again through the caller's policy, and only its rows get headlines. (A trigram
 * similarity of the title to the query, per matching row, doubled the latency on 10,000 articles:
 * typos are handled by correcting the words instead.)
 */
export async function searchArticles(
  db: Executor,
  search: { tsquery: string; raw: string; filters: SearchFilters; limit: number },
): Promise<SearchHit[]> {
  const f = search.filters;
  const result = await sql<SearchHit>`
    with q as (select to_tsquery('kb_french', ${search.tsquery}) || to_tsquery('kb_english', ${search.tsquery}) as q),
    ranked as (
      select s.id, s.rank
        from q, kb_search_ranked(q.q, ${search.limit}::int, ${f.kind ?? null}::text, ${f.status ?? null}::text, ${f.language ?? null}::text,
                                 ${f.category ?? null}::text, ${f.serviceType ?? null}::text, ${f.brand ?? null}::text,
                                 ${f.model ?? null}::text, ${f.assetKind ?? null}::text) s)
    select a.id, a.title, a.kind, a.status, a.audience, a.language, a.category, a.service_types, a.tags, a.published_at, r.rank,
           ts_headline(case when a.language = 'en' then 'kb_english'::regconfig else 'kb_french'::regconfig end, a.body, q.q,
                       'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter=" … "') as headline
      from ranked r
      join kb_articles a on a.id = r.id
     cross join q
     order by r.rank desc, a.published_at desc nulls last, a.id`.execute(db);
  return result.rows;
}

/**
 * The ids kb_search_ranked() itself returns for a word, without the second pass through the
 * policy: the test that the function, running as the table's owner, hides what the policy hides.
 */
export async function rankedArticleIdsUnchecked(db: Executor, word: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    select s.id from kb_search_ranked(to_tsquery('kb_french', ${word}), 1000, null, null, null, null, null, null, null, null) s`.execute(
    db,
  );
  return result.rows.map((r) => r.id);
}

/** The latest articles (no query): the staff list, the clients' FAQ. */
export async function listArticles(db: Executor, filters: SearchFilters, limit: number) {
  return db
    .selectFrom('kbArticles')
    .select([
      'id',
      'title',
      'kind',
      'status',
      'audience',
      'language',
      'category',
      'serviceTypes',
      'tags',
      'publishedAt',
      'updatedAt',
      'versionCount',
      'publishedVersionId',
      'currentVersionId',
    ])
    .$if(filters.kind !== undefined, (q) => q.where('kind', '=', filters.kind!))
    .$if(filters.status !== undefined, (q) => q.where('status', '=', filters.status!))
    .$if(filters.language !== undefined, (q) => q.where('language', '=', filters.language!))
    .$if(filters.category !== undefined, (q) => q.where('category', '=', filters.category!))
    .$if(filters.serviceType !== undefined, (q) => q.where(sql<boolean>`service_types @> array[${filters.serviceType!}]::text[]`))
    .orderBy('updatedAt', 'desc')
    .limit(limit)
    .execute();
}

export async function recordSearch(
  db: Executor,
  search: { query: string; results: number; role: string | null; userId: string | null },
): Promise<void> {
  await db.insertInto('kbSearches').values(search).execute();
}

// ---------------------------------------------------------------------------------------------
// Requests, votes, views, deflections

export async function linkRequest(
  db: Executor,
  link: { articleId: string; requestId: string; relation: ArticleRequestRelation; userId: string | null },
): Promise<boolean> {
  const row = await db
    .insertInto('kbArticleRequests')
    .values({ articleId: link.articleId, requestId: link.requestId, relation: link.relation, linkedByUserId: link.userId })
    .onConflict((oc) => oc.columns(['articleId', 'requestId', 'relation']).doNothing())
    .returning('articleId')
    .executeTakeFirst();
  return row !== undefined;
}

/** The articles linked to a request, as far as the caller may read them. */
export async function listRequestArticles(db: Executor, requestId: string) {
  return db
    .selectFrom('kbArticleRequests as l')
    .innerJoin('kbArticles as a', 'a.id', 'l.articleId')
    .select(['a.id', 'a.title', 'a.kind', 'a.status', 'l.relation', 'l.createdAt'])
    .where('l.requestId', '=', requestId)
    .orderBy('l.createdAt')
    .execute();
}

export async function listArticleRequests(db: Executor, articleId: string) {
  return db
    .selectFrom('kbArticleRequests as l')
    .innerJoin('serviceRequests as r', 'r.id', 'l.requestId')
    .select(['r.ticketNumber', 'r.title', 'r.status', 'l.relation', 'l.createdAt'])
    .where('l.articleId', '=', articleId)
    .orderBy('l.createdAt', 'desc')
    .execute();
}

export async function countSolved(db: Executor, articleId: string): Promise<number> {
  const row = await db
    .selectFrom('kbArticleRequests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('articleId', '=', articleId)
    .where('relation', '=', 'solved_by')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One vote per account and article; voting again replaces it. */
export async function upsertVote(db: Executor, vote: { articleId: string; userId: string; helpful: boolean }): Promise<void> {
  await db
    .insertInto('kbVotes')
    .values(vote)
    .onConflict((oc) => oc.columns(['articleId', 'userId']).doUpdateSet({ helpful: vote.helpful, votedAt: new Date() }))
    .execute();
}

export async function recordArticleEvent(db: Executor, event: { articleId: string; kind: 'view' | 'deflection'; userId: string | null }) {
  await db.insertInto('kbEvents').values(event).execute();
}

export interface ArticleUsage {
  id: string;
  title: string;
  status: ArticleStatus;
  kind: ArticleKind;
  views: number;
  helpful: number;
  notHelpful: number;
  deflections: number;
  requestsSolved: number;
}

const usageSelect = sql<ArticleUsage>`
  select a.id, a.title, a.status, a.kind,
         (select count(*) from kb_events e where e.article_id = a.id and e.kind = 'view')::int as views,
         (select count(*) from kb_votes v where v.article_id = a.id and v.helpful)::int as helpful,
         (select count(*) from kb_votes v where v.article_id = a.id and not v.helpful)::int as not_helpful,
         (select count(*) from kb_events e where e.article_id = a.id and e.kind = 'deflection')::int as deflections,
         (select count(*) from kb_article_requests l where l.article_id = a.id and l.relation = 'solved_by')::int as requests_solved
    from kb_articles a`;

export async function articleUsage(db: Executor, articleId: string): Promise<ArticleUsage | undefined> {
  const result = await sql<ArticleUsage>`${usageSelect} where a.id = ${articleId}`.execute(db);
  return result.rows[0];
}

/** Per-article figures, most used first; `neverUsed`: published articles nobody viewed, voted on or linked. */
export async function usageFigures(db: Executor, limit: number) {
  const articles = await sql<ArticleUsage>`
    select * from (${usageSelect}) u
     order by (u.views + u.deflections + u.requests_solved + u.helpful + u.not_helpful) desc, u.title
     limit ${limit}`.execute(db);
  const neverUsed = await sql<{ id: string; title: string; publishedAt: Date | null }>`
    select a.id, a.title, a.published_at from kb_articles a
     where a.status = 'published'
       and not exists (select 1 from kb_events e where e.article_id = a.id)
       and not exists (select 1 from kb_votes v where v.article_id = a.id)
       and not exists (select 1 from kb_article_requests l where l.article_id = a.id)
     order by a.published_at nulls last limit ${limit}`.execute(db);
  const unanswered = await sql<{ query: string; times: number; lastAt: Date }>`
    select lower(query) as query, count(*)::int as times, max(at) as last_at from kb_searches
     where results = 0 group by lower(query) order by times desc, last_at desc limit ${limit}`.execute(db);
  const totals = await sql<{ views: number; deflections: number; helpful: number; notHelpful: number; requestsSolved: number }>`
    select (select count(*) from kb_events where kind = 'view')::int as views,
           (select count(*) from kb_events where kind = 'deflection')::int as deflections,
           (select count(*) from kb_votes where helpful)::int as helpful,
           (select count(*) from kb_votes where not helpful)::int as not_helpful,
           (select count(*) from kb_article_requests where relation = 'solved_by')::int as requests_solved`.execute(db);
  return { totals: totals.rows[0]!, articles: articles.rows, neverUsed: neverUsed.rows, unansweredSearches: unanswered.rows };
}

/** The readable facts of a request that "document this solution" pre-fills a draft from. */
export async function requestKnowledgeSource(db: Executor, ticketNumber: string) {
  const request = await db
    .selectFrom('serviceRequests')
    .select(['id', 'ticketNumber', 'title', 'description', 'attemptedSolutions', 'serviceType', 'deviceDetails', 'status', 'assetId'])
    .where('ticketNumber', '=', ticketNumber)
    .executeTakeFirst();
  if (!request) return undefined;
  const events = await db
    .selectFrom('requestEvents')
    .select(['kind', 'message', 'payload', 'createdAt'])
    .where('requestId', '=', request.id)
    .orderBy('id')
    .execute();
  const report = await db
    .selectFrom('interventionReports')
    .select(['summary', 'recommendations'])
    .where('requestId', '=', request.id)
    .orderBy('createdAt', 'desc')
    .executeTakeFirst();
  const asset = request.assetId
    ? await db.selectFrom('assets').select(['kind']).where('id', '=', request.assetId).executeTakeFirst()
    : undefined;
  return { request, events, report: report ?? null, assetKind: asset?.kind ?? null };
}

/** The request's id when the caller may see it. */
export async function findRequestId(db: Executor, ticketNumber: string) {
  return db
    .selectFrom('serviceRequests')
    .select(['id', 'status', 'clientId', 'ticketNumber', 'title', 'workflowId'])
    .where('ticketNumber', '=', ticketNumber)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Demo seed

export async function countArticles(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('kbArticles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findUserIdByEmail(db: Executor, email: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())?.id;
}

export async function findClientIdByName(db: Executor, companyName: string): Promise<string | undefined> {
  return (await db.selectFrom('clients').select('id').where('companyName', '=', companyName).executeTakeFirst())?.id;
}

/** Bytes of the article table and its search indexes, and the vocabulary's size (the benchmark prints them). */
export async function knowledgeBaseSizes(db: Executor) {
  const result = await sql<{ table: number; searchIndex: number; titleTrigramIndex: number; wordsIndex: number; words: number }>`
    select pg_total_relation_size('kb_articles')::int8 - pg_indexes_size('kb_articles')::int8 as table,
           pg_relation_size('kb_articles_search_idx')::int8 as search_index,
           pg_relation_size('kb_articles_title_trgm_idx')::int8 as title_trigram_index,
           pg_relation_size('kb_words_trgm_idx')::int8 as words_index,
           (select count(*) from kb_words)::int8 as words`.execute(db);
  return result.rows[0]!;
}

/**
 * Fresh planner statistics after a bulk load (the benchmark), and the dead row versions of the
 * load (every article is inserted then updated twice) cleared as autovacuum would soon do.
 */
export async function analyzeKnowledgeBase(db: Executor): Promise<void> {
  await sql`vacuum analyze kb_articles, kb_words`.execute(db);
}

/** How many articles the database holds and the companies their audiences name (the benchmark reuses a loaded database). */
export async function existingBenchClients(db: Executor): Promise<{ count: number; clientIds: string[] }> {
  const result = await sql<{ count: number; clientIds: string[] | null }>`
    select (select count(*) from kb_articles)::int as count,
           (select array_agg(distinct c order by c) from kb_articles, unnest(audience_client_ids) c) as client_ids`.execute(db);
  const row = result.rows[0]!;
  return { count: row.count, clientIds: row.clientIds ?? [] };
}

// ---------------------------------------------------------------------------------------------
// Attachments (migration 0251): readable only with an article the caller may read.

export async function insertArticleAttachment(
  db: Executor,
  file: { articleId: string; filename: string; contentType: string; content: Buffer; sha256: string; userId: string | null },
) {
  return db
    .insertInto('kbArticleAttachments')
    .values({
      articleId: file.articleId,
      filename: file.filename,
      contentType: file.contentType,
      sizeBytes: file.content.length,
      sha256: file.sha256,
      content: file.content,
      uploadedByUserId: file.userId,
    })
    .returning(['id', 'filename', 'contentType', 'sizeBytes', 'sha256', 'createdAt'])
    .executeTakeFirstOrThrow();
}

/** An article's files, metadata only, oldest first. */
export async function listArticleAttachments(db: Executor, articleId: string) {
  return db
    .selectFrom('kbArticleAttachments')
    .select(['id', 'filename', 'contentType', 'sizeBytes', 'sha256', 'createdAt'])
    .where('articleId', '=', articleId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** One file of an article, with its bytes, or undefined (missing or hidden by the policy). */
export async function findArticleAttachment(db: Executor, articleId: string, attachmentId: string) {
  return db
    .selectFrom('kbArticleAttachments')
    .select(['filename', 'contentType', 'content'])
    .where('id', '=', attachmentId)
    .where('articleId', '=', articleId)
    .executeTakeFirst();
}
