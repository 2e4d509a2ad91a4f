/** Files of a request (photos, diagnostic bundle, report…), as the request's parties read them. */
import type { Executor } from '../executor.js';

/** A request's files (photos, diagnostic bundle, report…), metadata only, oldest first. */
export async function listRequestAttachments(db: Executor, requestId: string) {
  return db
    .selectFrom('requestAttachments')
    .select(['id', 'kind', 'filename', 'contentType', 'sizeBytes', 'sha256', 'createdAt'])
    .where('requestId', '=', requestId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** One file of a request, with its bytes, or undefined. */
export async function findRequestAttachment(db: Executor, requestId: string, attachmentId: string) {
  return db
    .selectFrom('requestAttachments')
    .select(['filename', 'contentType', 'content'])
    .where('id', '=', attachmentId)
    .where('requestId', '=', requestId)
    .executeTakeFirst();
}
