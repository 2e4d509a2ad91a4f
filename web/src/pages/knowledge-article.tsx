/**
 * One article: the rendered Markdown (markdown-it, raw HTML off), votes, and for staff the life
 * cycle, the history with a word diff of two versions (jsdiff), and the editor with a live
 * preview (every save is a new version).
 */
import { diffWords } from 'diff';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, call, client } from '../api.js';
import { renderMarkdown } from '../markdown.js';
import type { PageProps } from '../session.js';
import { kindLabel, statusLabel } from './knowledge.js';
import { useApi } from './use-api.js';

const isStaff = (role: string) => role === 'support_agent' || role === 'dispatcher' || role === 'admin';

export function Markdown({ source }: { source: string }) {
  // Safe: markdown-it with html disabled escapes any tag and refuses script links (markdown.ts).
  return <div class="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />;
}

export function KnowledgeArticlePage({ t, me, params }: PageProps) {
  const id = params.articleId ?? '';
  const staff = isStaff(me.role);
  const { data, error, reload } = useApi(
    () => client.GET('/api/knowledge/articles/{articleId}', { params: { path: { articleId: id } } }),
    `article:${id}`,
  );
  const [voted, setVoted] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [compare, setCompare] = useState<[number, number] | null>(null);
  useEffect(() => {
    if (!staff && id)
      void client.POST('/api/knowledge/articles/{articleId}/events', { params: { path: { articleId: id } }, body: { kind: 'view' } });
  }, [id]);
  const move = (action: 'submit' | 'publish' | 'reject' | 'archive') =>
    call(client.POST('/api/knowledge/articles/{articleId}/lifecycle', { params: { path: { articleId: id } }, body: { action } }))
      .then(() => {
        setActionError(null);
        reload();
      })
      .catch((e: unknown) => setActionError(e instanceof ApiError ? e.message : String(e)));
  const vote = (helpful: boolean) =>
    call(client.POST('/api/knowledge/articles/{articleId}/vote', { params: { path: { articleId: id } }, body: { helpful } })).then(() =>
      setVoted(true),
    );
  if (error) return <div class="error">{error}</div>;
  if (!data) return <p class="muted">{t('common.loading')}</p>;
  return (
    <article>
      <p>
        <a href="/knowledge">← {t('knowledge:title')}</a>
      </p>
      <h1>{data.content.title}</h1>
      <p>
        <span class="chip kb">{kindLabel(t, data.content.kind)}</span> {staff && <span class="chip kb">{statusLabel(t, data.status)}</span>}{' '}
        {data.requestsSolved > 0 && <span class="muted">{t('knowledge:solvedCount', { count: data.requestsSolved })}</span>}
      </p>
      <Markdown source={data.content.body} />
      {!staff && (
        <div data-testid="kb-vote">
          {voted ? (
            <p>{t('knowledge:thanks')}</p>
          ) : (
            <>
              <button type="button" onClick={() => void vote(true)}>
                {t('knowledge:helpful')}
              </button>{' '}
              <button type="button" class="secondary" onClick={() => void vote(false)}>
                {t('knowledge:notHelpful')}
              </button>
            </>
          )}
        </div>
      )}
      {staff && (
        <>
          <p>
            {t('knowledge:fieldAudience')} :{' '}
            {
              {
                internal: t('knowledge:audience.internal'),
                all_clients: t('knowledge:audience.all_clients'),
                companies: t('knowledge:audience.companies'),
              }[data.audience]
            }{' '}
            · {t('knowledge:versionN', { n: data.version })}
          </p>
          <div class="actions">
            <a class="button" href={`/knowledge/${id}/edit`}>
              {t('knowledge:edit')}
            </a>
            {data.status === 'draft' && <button onClick={() => void move('submit')}>{t('knowledge:submit')}</button>}
            {data.status === 'review' && <button onClick={() => void move('publish')}>{t('knowledge:publish')}</button>}
            {data.status === 'review' && (
              <button class="secondary" onClick={() => void move('reject')}>
                {t('knowledge:reject')}
              </button>
            )}
            {data.status !== 'archived' && (
              <button class="secondary" onClick={() => void move('archive')}>
                {t('knowledge:archive')}
              </button>
            )}
          </div>
          {actionError && <div class="error">{actionError}</div>}
          {data.usage && (
            <p class="muted">
              {t('knowledge:views')} {data.usage.views} · {t('knowledge:deflections')} {data.usage.deflections} · {t('knowledge:votesUp')}{' '}
              {data.usage.helpful} · {t('knowledge:votesDown')} {data.usage.notHelpful}
            </p>
          )}
          <h2>{t('knowledge:history')}</h2>
          <ul class="plain" data-testid="kb-history">
            {data.versions.map((v) => (
              <li key={v.id}>
                {t('knowledge:versionN', { n: v.version })} — {v.title} {v.changeNote ? `(${v.changeNote})` : ''} — {v.createdByName ?? ''}{' '}
                {v.version > 1 && (
                  <button type="button" class="secondary" onClick={() => setCompare([v.version - 1, v.version])}>
                    {t('knowledge:compare')} {v.version - 1} ↔ {v.version}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {compare && <VersionDiff articleId={id} from={compare[0]} to={compare[1]} />}
        </>
      )}
    </article>
  );
}

function VersionDiff({ articleId, from, to }: { articleId: string; from: number; to: number }) {
  const load = (version: number) =>
    client.GET('/api/knowledge/articles/{articleId}/versions/{version}', { params: { path: { articleId, version } } });
  const a = useApi(() => load(from), `v:${articleId}:${from}`);
  const b = useApi(() => load(to), `v:${articleId}:${to}`);
  if (!a.data || !b.data) return null;
  const parts = diffWords(`${a.data.title}\n\n${a.data.body}`, `${b.data.title}\n\n${b.data.body}`);
  return (
    <pre class="diff" data-testid="kb-diff" style="white-space:pre-wrap">
      {parts.map((p, i) =>
        p.added ? <ins key={i}>{p.value}</ins> : p.removed ? <del key={i}>{p.value}</del> : <span key={i}>{p.value}</span>,
      )}
    </pre>
  );
}

type Kind = 'known_error' | 'procedure' | 'faq' | 'workaround';
type Audience = 'internal' | 'all_clients' | 'companies';

/** New article (`/knowledge/new`) or a new version of one (`/knowledge/:articleId/edit`), with a live preview. */
export function KnowledgeEditorPage({ t, params }: PageProps) {
  const id = params.articleId;
  const { route } = useLocation();
  const [form, setForm] = useState({
    title: '',
    kind: 'faq' as Kind,
    body: '',
    category: '',
    tags: '',
    audience: 'internal' as Audience,
    changeNote: '',
  });
  const [loaded, setLoaded] = useState(!id);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!id) return;
    void call(client.GET('/api/knowledge/articles/{articleId}', { params: { path: { articleId: id } } })).then((a) => {
      setForm({
        title: a.content.title,
        kind: a.content.kind,
        body: a.content.body,
        category: a.content.category ?? '',
        tags: a.content.tags.join(', '),
        audience: a.audience === 'companies' ? 'internal' : a.audience,
        changeNote: '',
      });
      setLoaded(true);
    });
  }, [id]);
  const set = (field: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [field]: e.currentTarget.value });
  const save = async (e: Event) => {
    e.preventDefault();
    const body = {
      kind: form.kind,
      title: form.title,
      body: form.body,
      category: form.category.trim() || null,
      tags: form.tags
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      audience: form.audience,
      changeNote: form.changeNote.trim() || null,
    };
    try {
      if (id) {
        await call(client.PUT('/api/knowledge/articles/{articleId}', { params: { path: { articleId: id } }, body }));
        route(`/knowledge/${id}`);
      } else {
        const created = await call(client.POST('/api/knowledge/articles', { body }));
        route(`/knowledge/${created.id}`);
      }
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  if (!loaded) return <p class="muted">{t('common.loading')}</p>;
  return (
    <section>
      <h1>{id ? t('knowledge:edit') : t('knowledge:newArticle')}</h1>
      <form onSubmit={(e) => void save(e)} class="kb-editor">
        <label>
          {t('knowledge:fieldTitle')}
          <input name="title" value={form.title} onInput={set('title')} required />
        </label>
        <label>
          {t('knowledge:fieldKind')}
          <select name="kind" value={form.kind} onChange={set('kind')}>
            {(['known_error', 'procedure', 'faq', 'workaround'] as const).map((k) => (
              <option key={k} value={k}>
                {kindLabel(t, k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('knowledge:fieldAudience')}
          <select name="audience" value={form.audience} onChange={set('audience')}>
            <option value="internal">{t('knowledge:audience.internal')}</option>
            <option value="all_clients">{t('knowledge:audience.all_clients')}</option>
          </select>
        </label>
        <label>
          {t('knowledge:fieldCategory')}
          <input name="category" value={form.category} onInput={set('category')} />
        </label>
        <label>
          {t('knowledge:fieldTags')}
          <input name="tags" value={form.tags} onInput={set('tags')} />
        </label>
        <label>
          {t('knowledge:fieldBody')}
          <textarea name="body" rows={14} value={form.body} onInput={set('body')} required />
        </label>
        <label>
          {t('knowledge:fieldChangeNote')}
          <input name="changeNote" value={form.changeNote} onInput={set('changeNote')} />
        </label>
        {error && <div class="error">{error}</div>}
        <button type="submit">{t('knowledge:save')}</button>
      </form>
      <h2>{t('knowledge:preview')}</h2>
      <div data-testid="kb-preview">
        <Markdown source={form.body} />
      </div>
    </section>
  );
}
