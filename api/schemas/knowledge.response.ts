/** Response bodies of the knowledge-base routes (api/routes/knowledge.routes.ts). */
import { z } from 'zod';
import {
  ARTICLE_AUDIENCES,
  ARTICLE_KINDS,
  ARTICLE_LANGUAGES,
  ARTICLE_REQUEST_RELATIONS,
  ARTICLE_STATUSES,
} from '../../workflows/knowledge/knowledge.vocabulary.js';
import { instant, itemsOf, requestStatus } from './common.response.js';

export const articleKind = z.enum(ARTICLE_KINDS).meta({ id: 'ArticleKind' });
export const articleStatus = z.enum(ARTICLE_STATUSES).meta({ id: 'ArticleStatus' });
export const articleAudience = z.enum(ARTICLE_AUDIENCES).meta({ id: 'ArticleAudience' });
const articleLanguage = z.enum(ARTICLE_LANGUAGES);
const relation = z.enum(ARTICLE_REQUEST_RELATIONS);

const content = z.object({
  kind: articleKind,
  language: articleLanguage,
  title: z.string(),
  body: z.string(),
  category: z.string().nullable(),
  serviceTypes: z.array(z.string()),
  brands: z.array(z.string()),
  models: z.array(z.string()),
  assetKinds: z.array(z.string()),
  tags: z.array(z.string()),
});

const usage = z.object({
  id: z.string(),
  title: z.string(),
  status: articleStatus,
  kind: articleKind,
  views: z.number(),
  helpful: z.number(),
  notHelpful: z.number(),
  deflections: z.number(),
  requestsSolved: z.number(),
});

export const articleDetailSchema = z
  .object({
    id: z.string(),
    status: articleStatus,
    audience: articleAudience,
    audienceClientIds: z.array(z.string()),
    /** The version shown: the latest for staff, the published one for everyone else. */
    version: z.number(),
    publishedVersion: z.number().nullable(),
    content,
    authorUserId: z.string().nullable(),
    reviewerUserId: z.string().nullable(),
    reviewNote: z.string().nullable(),
    createdAt: instant,
    submittedAt: instant.nullable(),
    reviewedAt: instant.nullable(),
    publishedAt: instant.nullable(),
    archivedAt: instant.nullable(),
    updatedAt: instant,
    requestsSolved: z.number(),
    /** Staff only. */
    usage: usage.nullable(),
    versions: z.array(
      z.object({
        id: z.string(),
        version: z.number(),
        title: z.string(),
        changeNote: z.string().nullable(),
        createdAt: instant,
        createdByUserId: z.string().nullable(),
        createdByName: z.string().nullable(),
      }),
    ),
    requests: z.array(z.object({ ticketNumber: z.string(), title: z.string(), status: requestStatus, relation, createdAt: instant })),
  })
  .meta({ id: 'KnowledgeArticle' });

export const articleVersionSchema = content
  .extend({
    id: z.string(),
    articleId: z.string(),
    version: z.number(),
    changeNote: z.string().nullable(),
    createdByUserId: z.string().nullable(),
    createdAt: instant,
  })
  .meta({ id: 'KnowledgeArticleVersion' });

export const articleCreatedSchema = z.object({ id: z.string(), versionId: z.string() });
export const articleRevisedSchema = z.object({ versionId: z.string(), version: z.number() });

export const articleListSchema = itemsOf(
  z.object({
    id: z.string(),
    title: z.string(),
    kind: articleKind,
    status: articleStatus,
    audience: articleAudience,
    language: articleLanguage,
    category: z.string().nullable(),
    serviceTypes: z.array(z.string()),
    tags: z.array(z.string()),
    publishedAt: instant.nullable(),
    updatedAt: instant,
    versionCount: z.number(),
  }),
);

export const searchResultSchema = z
  .object({
    query: z.string(),
    /** The words searched for, after accents, stop words and typo correction. */
    words: z.array(z.string()),
    /** Typed word → article word it was read as (staff only). */
    corrections: z.record(z.string(), z.string()),
    /** `all`: every word matched; `any`: no article had them all; `none`: nothing found. */
    matched: z.enum(['all', 'any', 'none']),
    items: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        kind: articleKind,
        status: articleStatus,
        audience: articleAudience,
        language: articleLanguage,
        category: z.string().nullable(),
        serviceTypes: z.array(z.string()),
        tags: z.array(z.string()),
        publishedAt: instant.nullable(),
        rank: z.number(),
        snippet: z.array(z.object({ text: z.string(), match: z.boolean() })),
      }),
    ),
  })
  .meta({ id: 'KnowledgeSearchResult' });

export const voteResultSchema = z.object({ articleId: z.string(), helpful: z.boolean() });
export const eventResultSchema = z.object({ articleId: z.string(), kind: z.enum(['view', 'deflection']) });

export const usageFiguresSchema = z
  .object({
    totals: z.object({
      views: z.number(),
      deflections: z.number(),
      helpful: z.number(),
      notHelpful: z.number(),
      requestsSolved: z.number(),
    }),
    articles: z.array(usage),
    neverUsed: z.array(z.object({ id: z.string(), title: z.string(), publishedAt: instant.nullable() })),
    unansweredSearches: z.array(z.object({ query: z.string(), times: z.number(), lastAt: instant })),
  })
  .meta({ id: 'KnowledgeUsage' });

export const requestArticlesSchema = z
  .object({
    workaroundInPlace: z.boolean(),
    items: z.array(z.object({ id: z.string(), title: z.string(), kind: articleKind, status: articleStatus, relation, createdAt: instant })),
  })
  .meta({ id: 'RequestArticles' });

export const articleAttachmentSchema = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  createdAt: instant,
  /** The URL to download it, or to show it inline in the body: `![description](href)`. */
  href: z.string(),
});
export const articleAttachmentListSchema = z.object({ items: z.array(articleAttachmentSchema) });
