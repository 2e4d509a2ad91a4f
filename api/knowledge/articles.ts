/**
 * Knowledge-base use cases: writing (every edit a new version), the life cycle, reading, search,
 * votes, views and deflections. Each runs on the caller's scoped executor, so row-level security
 * has already decided what the caller may read; the checks here are about what may happen next.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  appendVersion,
  articleUsage,
  findArticle,
  findArticleForUpdate,
  findVersion,
  findVersionById,
  insertArticle,
  listArticleRequests,
  listVersions,
  publishCurrentVersion,
  recordArticleEvent,
  setArticleStatus,
  setAudience,
  upsertVote,
  type ArticleContent,
} from '../../db/repositories/knowledge.repository.js';
import { ARTICLE_TRANSITIONS, type ArticleAudience, type ArticleTransition } from '../../workflows/knowledge/knowledge.vocabulary.js';
import { HttpError, notFound } from '../errors.js';
import type { Principal } from '../routing.js';

export const STAFF_ROLES = ['support_agent', 'dispatcher', 'admin'] as const;
export const isStaff = (p: Principal | null) => p !== null && (STAFF_ROLES as readonly string[]).includes(p.role);

export interface ArticleInput {
  content: ArticleContent;
  audience: ArticleAudience;
  audienceClientIds: string[];
  changeNote?: string | null;
}

function checkAudience(audience: ArticleAudience, clientIds: string[]): void {
  if (audience === 'companies' && clientIds.length === 0) {
    throw new HttpError(400, 'validation_failed', 'audienceClientIds: at least one company for audience "companies"', [
      { field: 'audienceClientIds', message: 'at least one company for audience "companies"' },
    ]);
  }
}

export async function createArticle(db: Kysely<DB>, principal: Principal | null, input: ArticleInput) {
  checkAudience(input.audience, input.audienceClientIds);
  return insertArticle(db, {
    content: input.content,
    audience: input.audience,
    audienceClientIds: input.audience === 'companies' ? input.audienceClientIds : [],
    authorUserId: principal?.userId ?? null,
    changeNote: input.changeNote ?? null,
  });
}

/** An edit: a new version (never a change of a stored one); the article goes back to draft. */
export async function reviseArticle(db: Kysely<DB>, principal: Principal | null, id: string, input: ArticleInput) {
  checkAudience(input.audience, input.audienceClientIds);
  const article = await findArticleForUpdate(db, id);
  if (!article) throw notFound(`article ${id}`);
  if (article.status === 'archived')
    throw new HttpError(409, 'invalid_transition', 'an archived article is not edited; it stays as it was');
  const version = await appendVersion(db, article, input.content, {
    userId: principal?.userId ?? null,
    changeNote: input.changeNote ?? null,
  });
  if (input.audience !== article.audience || input.audienceClientIds.join() !== article.audienceClientIds.join()) {
    await setAudience(db, id, input.audience, input.audienceClientIds);
  }
  return version;
}

/**
 * A life-cycle move. Publishing is a review: a support agent does not publish what they wrote
 * themselves (the last version's author); admins may.
 */
export async function moveArticle(
  db: Kysely<DB>,
  principal: Principal | null,
  id: string,
  action: ArticleTransition,
  note: string | null,
  now = new Date(),
) {
  const article = await findArticleForUpdate(db, id);
  if (!article) throw notFound(`article ${id}`);
  const rule = ARTICLE_TRANSITIONS[action];
  if (!(rule.from as readonly string[]).includes(article.status)) {
    throw new HttpError(409, 'invalid_transition', `cannot ${action} an article that is ${article.status}`);
  }
  if (action === 'publish' || action === 'reject') {
    const current = article.currentVersionId ? await findVersionById(db, article.currentVersionId) : undefined;
    if (principal?.role !== 'admin' && current?.createdByUserId === principal?.userId) {
      throw new HttpError(409, 'invalid_transition', 'the author of a version does not review it: another member of staff publishes it');
    }
  }
  if (action === 'publish') {
    await publishCurrentVersion(db, id, { reviewerUserId: principal?.userId ?? null, at: now });
  } else {
    await setArticleStatus(db, id, {
      status: rule.to,
      at: now,
      ...(action === 'reject' ? { reviewerUserId: principal?.userId ?? null, reviewNote: note } : {}),
    });
  }
  return articleDetail(db, principal, id);
}

/**
 * An article as the caller may read it. Staff get the working version, the published one, the
 * history and the requests; others the published version only (row-level security returns no
 * other).
 */
export async function articleDetail(db: Kysely<DB>, principal: Principal | null, id: string) {
  const article = await findArticle(db, id);
  if (!article) throw notFound(`article ${id}`);
  const staff = isStaff(principal);
  const shownId = staff ? article.currentVersionId : article.publishedVersionId;
  const version = shownId ? await findVersionById(db, shownId) : undefined;
  if (!version) throw notFound(`article ${id}`);
  const usage = await articleUsage(db, id);
  return {
    id: article.id,
    status: article.status,
    audience: article.audience,
    audienceClientIds: staff ? article.audienceClientIds : [],
    version: version.version,
    publishedVersion: article.publishedVersionId ? ((await findVersionById(db, article.publishedVersionId))?.version ?? null) : null,
    content: {
      kind: version.kind,
      language: version.language,
      title: version.title,
      body: version.body,
      category: version.category,
      serviceTypes: version.serviceTypes,
      brands: version.brands,
      models: version.models,
      assetKinds: version.assetKinds,
      tags: version.tags,
    },
    authorUserId: article.authorUserId,
    reviewerUserId: article.reviewerUserId,
    reviewNote: staff ? article.reviewNote : null,
    createdAt: article.createdAt,
    submittedAt: article.submittedAt,
    reviewedAt: article.reviewedAt,
    publishedAt: article.publishedAt,
    archivedAt: article.archivedAt,
    updatedAt: article.updatedAt,
    requestsSolved: usage?.requestsSolved ?? 0,
    usage: staff && usage ? usage : null,
    versions: staff ? await listVersions(db, id) : [],
    requests: staff ? await listArticleRequests(db, id) : [],
  };
}

export async function articleVersion(db: Kysely<DB>, id: string, version: number) {
  const row = await findVersion(db, id, version);
  if (!row) throw notFound(`version ${version} of article ${id}`);
  return row;
}

export async function voteOnArticle(db: Kysely<DB>, principal: Principal | null, id: string, helpful: boolean) {
  if (!principal) throw new HttpError(401, 'unauthorized', 'authentication required');
  const article = await findArticle(db, id);
  if (!article || article.publishedVersionId === null) throw notFound(`article ${id}`);
  await upsertVote(db, { articleId: id, userId: principal.userId, helpful });
  return { articleId: id, helpful };
}

/** A view (the article was opened) or a deflection (opened during an intake that was then left unsubmitted). */
export async function recordUse(db: Kysely<DB>, principal: Principal | null, id: string, kind: 'view' | 'deflection') {
  const article = await findArticle(db, id);
  if (!article || article.publishedVersionId === null) throw notFound(`article ${id}`);
  await recordArticleEvent(db, { articleId: id, kind, userId: principal?.userId ?? null });
  return { articleId: id, kind };
}
