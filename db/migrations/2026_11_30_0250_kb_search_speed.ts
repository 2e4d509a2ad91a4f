import { sql, type Kysely } from 'kysely';

// Knowledge-base search under row-level security at 10,000 articles (issue 11, p95 ≤ 50 ms).
//
// EXPLAIN (ANALYZE, BUFFERS) as the client role showed a sequential scan of every article: the
// policy's predicate is evaluated first on each row, and the full-text match `search_vector @@ q`
// cannot be an index condition below it because its function (ts_match_vq) is not LEAKPROOF —
// PostgreSQL only lets leakproof quals run before a row-level-security qual. The GIN index was
// never used for any role but the owner's.
//
// kb_search_ranked() runs as the owner of the table (SECURITY DEFINER, so the GIN index is usable)
// and applies the very same visibility predicate as the policy itself (one definition, below,
// used for both), then the search filters, the ranking and the limit. The caller then reads the
// returned ids through kb_articles again, under its own policy (the join on the primary key is a
// leakproof uuid equality, so that is an index lookup of ~20 rows): even a mistake here could
// not show an article the policy hides.

/**
 * Who reads an article (the same rule as migration 0240): staff everything; finance what is
 * published; technicians what is published for staff, all clients, or a company they serve;
 * clients what is published for them. `t` is the row's alias.
 */
const articleReadable = (
  t: string,
  me = { staff: 'app_is_staff()', role: 'app_role()', client: 'app_is_client()', clientId: 'app_client_id()' },
) => `(${me.staff}
  or (${t}.published_version_id is not null and ${t}.status <> 'archived' and (
        ${me.role} = 'finance'
     or (${me.role} = 'technician' and (${t}.audience <> 'companies' or exists (select 1 from unnest(${t}.audience_client_ids) c where app_tech_serves_client(c))))
     or (${me.client} and (${t}.audience = 'all_clients' or (${t}.audience = 'companies' and ${me.clientId} = any(${t}.audience_client_ids)))))))`;
/** The caller's settings read once per search rather than once per candidate row. */
const ME = { staff: 'me.staff', role: 'me.role', client: 'me.client', clientId: 'me.client_id' };

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`alter policy kb_read on kb_articles using (${articleReadable('kb_articles')})`).execute(db);
  await sql
    .raw(
      `create function kb_search_ranked(q tsquery, max_rows integer, f_kind text, f_status text, f_language text,
         f_category text, f_service_type text, f_brand text, f_model text, f_asset_kind text)
       returns table (id uuid, rank float8)
       language sql stable security definer set search_path = public as $$
         with me as materialized (select app_is_staff() as staff, app_role() as role, app_is_client() as client, app_client_id() as client_id)
         select a.id, ts_rank('{0.1, 0.1, 0.5, 1.0}', a.search_vector, q, 1)::float8 as rank
           from kb_articles a, me
          where a.search_vector @@ q
            and ${articleReadable('a', ME)}
            and (f_kind is null or a.kind = f_kind)
            and (f_status is null or a.status = f_status)
            and (f_language is null or a.language = f_language)
            and (f_category is null or a.category = f_category)
            and (f_service_type is null or a.service_types @> array[f_service_type])
            and (f_brand is null or exists (select 1 from unnest(a.brands) b where lower(b) = lower(f_brand)))
            and (f_model is null or exists (select 1 from unnest(a.models) m where lower(m) = lower(f_model)))
            and (f_asset_kind is null or a.asset_kinds @> array[f_asset_kind])
          order by rank desc, a.published_at desc nulls last, a.id
          limit max_rows
       $$`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists kb_search_ranked(tsquery, integer, text, text, text, text, text, text, text, text)`.execute(db);
}
