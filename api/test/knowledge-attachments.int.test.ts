/**
 * Files of knowledge-base articles on the real database: staff upload images and PDFs (type read
 * from the bytes), and a reader gets a file only of an article it may read (row-level security).
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { enterScope } from '../auth/access.js';
import { HttpError } from '../errors.js';
import { createArticle, moveArticle, type ArticleInput } from '../knowledge/articles.js';
import { articleAttachmentFile, articleAttachments, uploadArticleAttachment } from '../knowledge/attachments.js';
import type { Principal, Role } from '../routing.js';
import { createTestAccount, createTestClient } from '../../scripts/testing/fixtures.js';
import { testDb } from '../../scripts/testing/env.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let db: Kysely<DB>;
const who = {} as Record<'support' | 'reviewer' | 'clientA' | 'clientB' | 'technician', Principal>;
const articles = {} as Record<'public' | 'internal' | 'companyA' | 'draft', string>;
const files = {} as Record<keyof typeof articles, string>;

function as<T>(principal: Principal, fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await enterScope(trx, principal);
    return fn(trx);
  });
}

function input(title: string, extra: Partial<ArticleInput> = {}): ArticleInput {
  return {
    content: {
      kind: 'procedure',
      language: 'fr',
      title,
      body: 'Voir le schéma ci-dessous.',
      category: null,
      serviceTypes: [],
      brands: [],
      models: [],
      assetKinds: [],
      tags: [],
    },
    audience: 'all_clients',
    audienceClientIds: [],
    ...extra,
  };
}

async function article(title: string, extra: Partial<ArticleInput>, publish: boolean): Promise<string> {
  const { id } = await as(who.support, (tx) => createArticle(tx, who.support, input(title, extra)));
  if (publish) {
    await as(who.support, (tx) => moveArticle(tx, who.support, id, 'submit', null));
    await as(who.reviewer, (tx) => moveArticle(tx, who.reviewer, id, 'publish', null));
  }
  return id;
}

const upload = (principal: Principal, articleId: string, file = { filename: 'schema.png', contentType: 'image/png', data: PNG }) =>
  as(principal, (tx) =>
    uploadArticleAttachment(tx, principal, articleId, {
      filename: file.filename,
      contentType: file.contentType,
      dataBase64: file.data.toString('base64'),
    }),
  );

const status = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (err: unknown) => (err instanceof HttpError ? err.status : -1),
  );

beforeAll(async () => {
  db = testDb();
  const a = await createTestClient(db);
  const b = await createTestClient(db);
  const principal = async (role: Role, clientId?: string): Promise<Principal> => {
    const account = await createTestAccount(db, role, clientId ? { clientId } : {});
    return { userId: account.userId, role, clientId: clientId ?? null, technicianId: account.technicianId };
  };
  who.support = await principal('support_agent');
  who.reviewer = await principal('dispatcher');
  who.technician = await principal('technician');
  who.clientA = await principal('client_user', a.clientId);
  who.clientB = await principal('client_user', b.clientId);
  articles.public = await article('Configurer la borne Wi-Fi', {}, true);
  articles.internal = await article('Procédure interne', { audience: 'internal' }, true);
  articles.companyA = await article('Réseau du siège', { audience: 'companies', audienceClientIds: [a.clientId] }, true);
  articles.draft = await article('Brouillon', {}, false);
  for (const key of Object.keys(articles) as (keyof typeof articles)[]) files[key] = (await upload(who.support, articles[key])).id;
});

afterAll(async () => {
  await db?.destroy();
});

describe('article files', () => {
  it('stores an image with its sniffed type, hash and the URL the body uses to show it', async () => {
    const listed = await as(who.support, (tx) => articleAttachments(tx, articles.public));
    expect(listed.items).toHaveLength(1);
    const item = listed.items[0]!;
    expect(item).toMatchObject({ filename: 'schema.png', contentType: 'image/png', sizeBytes: PNG.length });
    expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(item.href).toBe(`/api/knowledge/articles/${articles.public}/attachments/${files.public}`);
    const file = await as(who.clientA, (tx) => articleAttachmentFile(tx, articles.public, files.public));
    expect(file.inline).toBe(true);
    expect(Buffer.compare(file.content, PNG)).toBe(0);
  });

  it('refuses what is not an image or a PDF, whatever its declared type, and a client cannot upload', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    expect(await status(upload(who.support, articles.public, { filename: 'x.png', contentType: 'image/png', data: html }))).toBe(415);
    expect(await status(upload(who.clientA, articles.public))).not.toBe(200);
    const listed = await as(who.support, (tx) => articleAttachments(tx, articles.public));
    expect(listed.items).toHaveLength(1);
  });

  const readable: Record<'support' | 'clientA' | 'clientB' | 'technician', (keyof typeof articles)[]> = {
    support: ['public', 'internal', 'companyA', 'draft'],
    clientA: ['public', 'companyA'],
    clientB: ['public'],
    technician: ['public', 'internal'],
  };
  for (const [name, keys] of Object.entries(readable) as [keyof typeof readable, (keyof typeof articles)[]][]) {
    it(`${name} gets the files of exactly the articles it may read (404 otherwise)`, async () => {
      for (const key of Object.keys(articles) as (keyof typeof articles)[]) {
        const expected = keys.includes(key) ? 200 : 404;
        expect(await status(as(who[name], (tx) => articleAttachmentFile(tx, articles[key], files[key]))), `${name} ${key}`).toBe(expected);
        expect(await status(as(who[name], (tx) => articleAttachments(tx, articles[key]))), `${name} list ${key}`).toBe(expected);
      }
    });
  }
});
