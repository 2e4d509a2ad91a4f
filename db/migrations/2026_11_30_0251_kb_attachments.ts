import { sql, type Kysely } from 'kysely';

// Files of a knowledge-base article (issue 11): images shown inline in its Markdown body and
// documents (PDF) to download, stored like a request's attachments (bytea, type decided by the
// leading bytes, sha256). Staff write them; a reader gets an attachment only of an article it may
// read: the policy asks kb_articles, itself under its own policy, so the audience rule (internal,
// all clients, chosen companies, published only) is the article's, written once.

const READ = `app_is_staff() or exists (select 1 from kb_articles a where a.id = article_id)`;
const WRITE = `app_is_staff()`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kb_article_attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('article_id', 'uuid', (c) => c.notNull().references('kb_articles.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('uploaded_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('kb_article_attachments_article_idx').on('kb_article_attachments').column('article_id').execute();
  await sql`alter table kb_article_attachments enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on kb_article_attachments`.execute(db);
  await sql.raw(`create policy kb_read on kb_article_attachments for select using (${READ})`).execute(db);
  await sql.raw(`create policy kb_insert on kb_article_attachments for insert with check (${WRITE})`).execute(db);
  await sql.raw(`create policy kb_update on kb_article_attachments for update using (${WRITE}) with check (${WRITE})`).execute(db);
  await sql.raw(`create policy kb_delete on kb_article_attachments for delete using (${WRITE})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kb_article_attachments').execute();
}
