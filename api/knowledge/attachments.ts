/**
 * Files of an article: images shown inline in its Markdown body (`![…](href)`, the href of the
 * upload's answer) and documents (PDF) to download. Staff upload; whoever may read the article
 * lists and downloads them (row-level security, migration 0251: a hidden article's files are a
 * 404 like missing ones). The type is decided by the file's leading bytes (api/uploads.ts).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  findArticle,
  findArticleAttachment,
  insertArticleAttachment,
  listArticleAttachments,
} from '../../db/repositories/knowledge.repository.js';
import { notFound } from '../errors.js';
import type { Principal } from '../routing.js';
import { checkUpload, type UploadType } from '../uploads.js';

export const ARTICLE_FILE_TYPES: readonly UploadType[] = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
export const MAX_ARTICLE_FILE_BYTES = 5 * 1024 * 1024;

/** Where an article's file is read from: the URL an article body uses for an inline image. */
export const articleAttachmentPath = (articleId: string, attachmentId: string) =>
  `/api/knowledge/articles/${articleId}/attachments/${attachmentId}`;

/** Types a browser may show inline (images); anything else is always a download. */
export const INLINE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];

export async function uploadArticleAttachment(
  db: Kysely<DB>,
  principal: Principal | null,
  articleId: string,
  file: { filename: string; contentType: string; dataBase64: string },
) {
  if (!(await findArticle(db, articleId))) throw notFound(`article ${articleId}`);
  const content = Buffer.from(file.dataBase64, 'base64');
  const contentType = checkUpload(content, {
    allowed: ARTICLE_FILE_TYPES,
    maxBytes: MAX_ARTICLE_FILE_BYTES,
    field: 'dataBase64',
    declaredType: file.contentType,
  });
  const row = await insertArticleAttachment(db, {
    articleId,
    filename: file.filename,
    contentType,
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
    userId: principal?.userId ?? null,
  });
  return { ...row, href: articleAttachmentPath(articleId, row.id) };
}

export async function articleAttachments(db: Kysely<DB>, articleId: string) {
  if (!(await findArticle(db, articleId))) throw notFound(`article ${articleId}`);
  const rows = await listArticleAttachments(db, articleId);
  return { items: rows.map((row) => ({ ...row, href: articleAttachmentPath(articleId, row.id) })) };
}

export async function articleAttachmentFile(db: Kysely<DB>, articleId: string, attachmentId: string) {
  const file = await findArticleAttachment(db, articleId, attachmentId);
  if (!file) throw notFound(`attachment ${attachmentId}`);
  return { ...file, inline: INLINE_TYPES.includes(file.contentType) };
}
