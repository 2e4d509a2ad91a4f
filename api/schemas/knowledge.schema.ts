/** Bodies, queries and path parameters of the knowledge-base routes (api/routes/knowledge.routes.ts). */
import { z } from 'zod';
import { ASSET_KINDS } from '../../db/schema/enums.js';
import {
  ARTICLE_AUDIENCES,
  ARTICLE_KINDS,
  ARTICLE_LANGUAGES,
  ARTICLE_STATUSES,
  ARTICLE_TRANSITIONS,
} from '../../workflows/knowledge/knowledge.vocabulary.js';
import { SERVICE_TYPES } from '../../workflows/intervention/intervention.contract.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const labels = z.array(text(60)).max(30).default([]);

export const articleIdParamSchema = z.object({ articleId: z.uuid() });
export const articleVersionParamSchema = z.object({ articleId: z.uuid(), version: z.coerce.number().int().min(1).max(100_000) });

/** An article's content and audience: the body of a creation and of every edit (a new version). */
export const articleBodySchema = z
  .object({
    kind: z.enum(ARTICLE_KINDS),
    language: z.enum(ARTICLE_LANGUAGES).default('fr'),
    title: text(200),
    /** Markdown; rendered sanitised (no raw HTML). */
    body: text(50_000),
    category: text(80).nullable().default(null),
    serviceTypes: z.array(z.enum(SERVICE_TYPES)).max(SERVICE_TYPES.length).default([]),
    brands: labels,
    models: labels,
    assetKinds: z.array(z.enum(ASSET_KINDS)).max(ASSET_KINDS.length).default([]),
    tags: labels,
    audience: z.enum(ARTICLE_AUDIENCES).default('internal'),
    audienceClientIds: z.array(z.uuid()).max(200).default([]),
    changeNote: text(500).nullable().default(null),
  })
  .strict();
export type ArticleBody = z.output<typeof articleBodySchema>;

export const lifecycleSchema = z
  .object({
    action: z.enum(Object.keys(ARTICLE_TRANSITIONS) as [keyof typeof ARTICLE_TRANSITIONS, ...(keyof typeof ARTICLE_TRANSITIONS)[]]),
    /** Why a review sends the article back (shown to the author). */
    note: text(1000).nullable().default(null),
  })
  .strict();

const filters = {
  kind: z.enum(ARTICLE_KINDS).optional(),
  serviceType: z.enum(SERVICE_TYPES).optional(),
  brand: text(60).optional(),
  model: text(60).optional(),
  assetKind: z.enum(ASSET_KINDS).optional(),
  language: z.enum(ARTICLE_LANGUAGES).optional(),
  status: z.enum(ARTICLE_STATUSES).optional(),
  category: text(80).optional(),
};

export const searchQuerySchema = z
  .object({ q: z.string().max(500).default(''), limit: z.coerce.number().int().min(1).max(50).default(20), ...filters })
  .strict();

/** Suggestions from a problem description (intake form, a request's page): nothing recorded. */
export const suggestQuerySchema = z
  .object({
    text: z.string().max(2000),
    limit: z.coerce.number().int().min(1).max(10).default(5),
    serviceType: z.enum(SERVICE_TYPES).optional(),
  })
  .strict();

export const voteSchema = z.object({ helpful: z.boolean() }).strict();
export const articleEventSchema = z.object({ kind: z.enum(['view', 'deflection']) }).strict();
export const usageQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

/** Links an existing article to a request: it solved it, or it is the workaround in place. */
export const requestLinkSchema = z.object({ articleId: z.uuid(), relation: z.enum(['solved_by', 'workaround']) }).strict();

export const articleAttachmentParamSchema = z.object({ articleId: z.uuid(), fileId: z.uuid() });

/** An image (shown in the body) or a PDF for an article, base64 in JSON like a request's photos. */
export const articleAttachmentUploadSchema = z
  .object({
    filename: z.string().trim().min(1).max(200),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
    dataBase64: z
      .string()
      .min(1)
      .max(Math.ceil((5 * 1024 * 1024) / 3) * 4 + 4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  })
  .strict();
