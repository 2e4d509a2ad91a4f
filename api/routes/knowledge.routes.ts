/**
 * The knowledge base (issue 11): staff write, review and publish articles (every edit a new
 * version); everyone searches and reads what row-level security lets them; clients vote and
 * their views and deflections are counted; staff read the usage figures and link articles to
 * requests (solved by, workaround in place, "document this solution").
 */
import type { Client } from '@temporalio/client';
import { INTERVENTION_TASK_QUEUE } from '../../workflows/intervention/intervention.contract.js';
import { listArticles, usageFigures } from '../../db/repositories/knowledge.repository.js';
import {
  articleDetail,
  articleVersion,
  createArticle,
  moveArticle,
  recordUse,
  reviseArticle,
  voteOnArticle,
  type ArticleInput,
} from '../knowledge/articles.js';
import { articleAttachmentFile, articleAttachments, uploadArticleAttachment } from '../knowledge/attachments.js';
import { documentSolution, linkArticle, requestArticles } from '../knowledge/from-requests.js';
import { searchKnowledge } from '../knowledge/search.js';
import { route, type RouteSpec } from '../routing.js';
import { ticketParamSchema } from '../schemas/request.schema.js';
import {
  articleAttachmentParamSchema,
  articleAttachmentUploadSchema,
  articleBodySchema,
  articleEventSchema,
  articleIdParamSchema,
  articleVersionParamSchema,
  lifecycleSchema,
  requestLinkSchema,
  searchQuerySchema,
  suggestQuerySchema,
  usageQuerySchema,
  voteSchema,
  type ArticleBody,
} from '../schemas/knowledge.schema.js';
import {
  articleAttachmentListSchema,
  articleAttachmentSchema,
  articleCreatedSchema,
  articleDetailSchema,
  articleListSchema,
  articleRevisedSchema,
  articleVersionSchema,
  eventResultSchema,
  requestArticlesSchema,
  searchResultSchema,
  usageFiguresSchema,
  voteResultSchema,
} from '../schemas/knowledge.response.js';

const STAFF = ['support_agent', 'dispatcher', 'admin'] as const;
const READERS = ['client_user', 'client_admin', ...STAFF, 'technician', 'finance'] as const;
const CLIENTS_AND_STAFF = ['client_user', 'client_admin', ...STAFF] as const;

function inputOf(body: ArticleBody): ArticleInput {
  const { audience, audienceClientIds, changeNote, ...content } = body;
  return { content, audience, audienceClientIds, changeNote };
}

export function knowledgeRoutes(deps: { temporal: Client; taskQueue?: string }): RouteSpec[] {
  const taskQueue = deps.taskQueue ?? INTERVENTION_TASK_QUEUE;
  return [
    route({
      method: 'get',
      path: '/knowledge/search',
      tag: 'knowledge',
      summary: 'Search the articles the caller may read (French: accents, inflections, typos), best first, with highlighted passages',
      access: READERS,
      query: searchQuerySchema,
      response: { 200: searchResultSchema },
      // Recorded for the usage figures (searches that found nothing).
      audit: 'none',
      async handler({ query, res, db, principal }) {
        const { q, limit, ...filters } = query;
        res.json(await searchKnowledge(db, principal, { q, filters, limit, mode: 'search', record: true }));
      },
    }),
    route({
      method: 'get',
      path: '/knowledge/suggestions',
      tag: 'knowledge',
      summary: 'Published articles matching a problem description (intake self-help, a request page); not recorded',
      access: READERS,
      query: suggestQuerySchema,
      response: { 200: searchResultSchema },
      async handler({ query, res, db, principal }) {
        res.json(
          await searchKnowledge(db, principal, {
            q: query.text,
            filters: { status: 'published', ...(query.serviceType ? { serviceType: query.serviceType } : {}) },
            limit: query.limit,
            mode: 'suggest',
            record: false,
          }),
        );
      },
    }),
    route({
      method: 'get',
      path: '/knowledge/articles',
      tag: 'knowledge',
      summary: 'Articles the caller may read, latest first (filters: kind, status — the review queue is status=review —, service type…)',
      access: READERS,
      query: searchQuerySchema.omit({ q: true }).extend({ limit: searchQuerySchema.shape.limit.unwrap().max(200).default(100) }),
      response: { 200: articleListSchema },
      async handler({ query, res, db }) {
        const { limit, ...filters } = query;
        res.json({ items: await listArticles(db, filters, limit) });
      },
    }),
    route({
      method: 'post',
      path: '/knowledge/articles',
      tag: 'knowledge',
      summary: 'Write a new article (a draft, version 1)',
      access: STAFF,
      body: articleBodySchema,
      responses: { 201: 'The draft', 400: 'Invalid field' },
      response: { 201: articleCreatedSchema },
      async handler({ body, res, db, principal }) {
        res.status(201).json(await createArticle(db, principal, inputOf(body)));
      },
    }),
    route({
      method: 'get',
      path: '/knowledge/articles/:articleId',
      tag: 'knowledge',
      summary: 'An article: staff read the latest version, its history, requests and figures; others the published version',
      access: READERS,
      params: articleIdParamSchema,
      response: { 200: articleDetailSchema },
      async handler({ params, res, db, principal }) {
        res.json(await articleDetail(db, principal, params.articleId));
      },
    }),
    route({
      method: 'post',
      path: '/knowledge/articles/:articleId/attachments',
      tag: 'knowledge',
      summary: 'Attach an image (shown in the body with ![…](href)) or a PDF to an article; its type is read from its bytes',
      access: STAFF,
      params: articleIdParamSchema,
      body: articleAttachmentUploadSchema,
      bodyLimit: '8mb',
      responses: {
        201: 'The stored file and its URL',
        404: 'No such article',
        413: 'Larger than 5 MB',
        415: 'Not a JPEG, PNG, WebP or PDF file',
      },
      response: { 201: articleAttachmentSchema },
      async handler({ params, body, res, db, principal }) {
        res.status(201).json(await uploadArticleAttachment(db, principal, params.articleId, body));
      },
    }),
    route({
      method: 'get',
      path: '/knowledge/articles/:articleId/attachments',
      tag: 'knowledge',
      summary: "An article's files (metadata and URLs), for whoever may read the article",
      access: READERS,
      params: articleIdParamSchema,
      responses: { 200: 'The files', 404: 'No such article (or not readable by the caller)' },
      response: { 200: articleAttachmentListSchema },
      async handler({ params, res, db }) {
        res.json(await articleAttachments(db, params.articleId));
      },
    }),
    route({
      method: 'get',
      path: '/knowledge/articles/:articleId/attachments/:fileId',
      tag: 'knowledge',
      summary: 'One file of an article: images inline (for the body), anything else as a download',
      access: READERS,
      params: articleAttachmentParamSchema,
      produces: 'application/octet-stream',
      responses: { 200: 'The file, with its stored content type', 404: 'No such file (or its article is not readable by the caller)' },
      async handler({ params, res, db }) {
        const file = await articleAttachmentFile(db, params.articleId, params.fileId);
        if (file.inline) res.setHeader('Content-Disposition', 'inline');
        else res.attachment(file.filename);
        res.setHeader('Content-Type', file.contentType);
        // Uploaded content: never sniffed into something else, never a document that runs anything.
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
        res.setHeader('Cache-Control', 'private, no-store');
        res.status(200).end(file.content);
      },
    }),
    route({
      method: 'put',
      path: '/knowledge/articles/:articleId',
      tag: 'knowledge',
      summary: 'Edit an article: a new version (stored versions never change); the article goes back to draft',
      access: STAFF,
      params: articleIdParamSchema,
      body: articleBodySchema,
      responses: { 200: 'The new version', 409: 'The article is archived' },
      response: { 200: articleRevisedSchema },
      async handler({ params, body, res, db, principal }) {
        res.json(await reviseArticle(db, principal, params.articleId, inputOf(body)));
      },
    }),
    route({
      method: 'post',
      path: '/knowledge/articles/:articleId/lifecycle',
      tag: 'knowledge',
      summary: 'submit (draft → review), publish or reject (review, by another member of staff than the author), archive',
      access: STAFF,
      params: articleIdParamSchema,
      body: lifecycleSchema,
      responses: { 200: 'The article after the move', 409: 'Not allowed from its status, or the author reviewing their own version' },
      response: { 200: articleDetailSchema },
      async handler({ params, body, res, db, principal }) {
        res.json(await moveArticle(db, principal, params.articleId, body.action, body.note));
      },
    }),
    route({
      method: 'get',
      path: '/knowledge/articles/:articleId/versions/:version',
      tag: 'knowledge',
      summary: 'One stored version of an article (to compare two)',
      access: READERS,
      params: articleVersionParamSchema,
      response: { 200: articleVersionSchema },
      async handler({ params, res, db }) {
        res.json(await articleVersion(db, params.articleId, params.version));
      },
    }),
    route({
      method: 'post',
      path: '/knowledge/articles/:articleId/vote',
      tag: 'knowledge',
      summary: '"This solved my problem" (helpful) or "this did not help"; one vote per account, the last one counts',
      access: READERS,
      params: articleIdParamSchema,
      body: voteSchema,
      response: { 200: voteResultSchema },
      async handler({ params, body, res, db, principal }) {
        res.json(await voteOnArticle(db, principal, params.articleId, body.helpful));
      },
    }),
    route({
      method: 'post',
      path: '/knowledge/articles/:articleId/events',
      tag: 'knowledge',
      summary: 'Record a view, or a deflection (opened from the intake form, which was then left without submitting)',
      access: READERS,
      params: articleIdParamSchema,
      body: articleEventSchema,
      audit: 'none',
      response: { 200: eventResultSchema },
      async handler({ params, body, res, db, principal }) {
        res.json(await recordUse(db, principal, params.articleId, body.kind));
      },
    }),
    route({
      method: 'get',
      path: '/knowledge/usage',
      tag: 'knowledge',
      summary: 'Usage figures: views, votes, deflections, requests solved per article; articles never used; searches that found nothing',
      access: STAFF,
      query: usageQuerySchema,
      response: { 200: usageFiguresSchema },
      async handler({ query, res, db }) {
        res.json(await usageFigures(db, query.limit));
      },
    }),
    route({
      method: 'get',
      path: '/requests/:ticket/knowledge',
      tag: 'knowledge',
      summary: 'Articles linked to a request (solved by, workaround in place) and whether a workaround is in place',
      access: CLIENTS_AND_STAFF,
      params: ticketParamSchema,
      response: { 200: requestArticlesSchema },
      async handler({ params, res, db }) {
        res.json(await requestArticles(db, params.ticket));
      },
    }),
    route({
      method: 'post',
      path: '/requests/:ticket/knowledge',
      tag: 'knowledge',
      summary: 'Link an article to a request: it solved it, or it is a workaround on the open request (the client is emailed)',
      access: STAFF,
      params: ticketParamSchema,
      body: requestLinkSchema,
      responses: {
        200: 'The request’s articles',
        409: 'A workaround on a request that is no longer open',
        422: 'Unknown article, or one the client cannot read',
      },
      response: { 200: requestArticlesSchema },
      transaction: 'steps',
      async handler({ params, body, res, scoped, principal }) {
        res.json(await linkArticle({ temporal: deps.temporal, taskQueue }, { scoped, principal }, params.ticket, body));
      },
    }),
    route({
      method: 'post',
      path: '/requests/:ticket/knowledge/document',
      tag: 'knowledge',
      summary: '"Document this solution": a draft article pre-filled from the resolved request, linked to it',
      access: STAFF,
      params: ticketParamSchema,
      responses: { 201: 'The draft', 409: 'The request is not resolved' },
      response: { 201: articleCreatedSchema },
      async handler({ params, res, db, principal }) {
        res.status(201).json(await documentSolution(db, principal, params.ticket));
      },
    }),
  ];
}
