/**
 * The knowledge base's value lists (issue 11). No imports: the database, the API and the web app
 * read these names from here.
 */

/** Known error (cause and fix), procedure (numbered steps), FAQ answer, workaround while a fix is pending. */
export const ARTICLE_KINDS = ['known_error', 'procedure', 'faq', 'workaround'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];

/** draft → review → published → archived; a rejected review goes back to draft. */
export const ARTICLE_STATUSES = ['draft', 'review', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** Internal to staff, every client, or the companies listed on the article. */
export const ARTICLE_AUDIENCES = ['internal', 'all_clients', 'companies'] as const;
export type ArticleAudience = (typeof ARTICLE_AUDIENCES)[number];

export const ARTICLE_LANGUAGES = ['fr', 'en'] as const;
export type ArticleLanguage = (typeof ARTICLE_LANGUAGES)[number];

/** How an article relates to a request: it solved it, it is the workaround in place, or it was written from it. */
export const ARTICLE_REQUEST_RELATIONS = ['solved_by', 'workaround', 'documented_from'] as const;
export type ArticleRequestRelation = (typeof ARTICLE_REQUEST_RELATIONS)[number];

/** The life-cycle moves and the status each one starts from. */
export const ARTICLE_TRANSITIONS = {
  submit: { from: ['draft'], to: 'review' },
  publish: { from: ['review'], to: 'published' },
  reject: { from: ['review'], to: 'draft' },
  archive: { from: ['draft', 'review', 'published'], to: 'archived' },
} as const satisfies Record<string, { from: readonly ArticleStatus[]; to: ArticleStatus }>;
export type ArticleTransition = keyof typeof ARTICLE_TRANSITIONS;
