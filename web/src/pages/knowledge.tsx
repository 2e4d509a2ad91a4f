/**
 * The knowledge base: search (French, typo-tolerant, highlighted passages) for everyone; for
 * clients the FAQ by category; for staff the filters, the review queue and the usage figures.
 * Reading, voting, history and the editor are on their own pages (knowledge-article.tsx).
 */
import { useState } from 'preact/hooks';
import { client } from '../api.js';
import type { PageProps, T } from '../session.js';
import { useApi } from './use-api.js';

type Kind = 'known_error' | 'procedure' | 'faq' | 'workaround';
type Status = 'draft' | 'review' | 'published' | 'archived';
const KINDS: Kind[] = ['known_error', 'procedure', 'faq', 'workaround'];
const STATUSES: Status[] = ['draft', 'review', 'published', 'archived'];
const SERVICES = [
  'hardware_repair',
  'software_troubleshooting',
  'network_configuration',
  'data_recovery',
  'security',
  'hardware_upgrade',
] as const;

export const kindLabel = (t: T, kind: Kind) =>
  ({
    known_error: t('knowledge:kind.known_error'),
    procedure: t('knowledge:kind.procedure'),
    faq: t('knowledge:kind.faq'),
    workaround: t('knowledge:kind.workaround'),
  })[kind];
export const statusLabel = (t: T, status: Status) =>
  ({
    draft: t('knowledge:status.draft'),
    review: t('knowledge:status.review'),
    published: t('knowledge:status.published'),
    archived: t('knowledge:status.archived'),
  })[status];

/** Highlighted passages: text segments, the matched words in <mark> (no HTML from the server). */
export function Snippet({ segments }: { segments: { text: string; match: boolean }[] }) {
  return <p class="muted">{segments.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}</p>;
}

export function KnowledgePage({ t, me }: PageProps) {
  const staff = me.role === 'support_agent' || me.role === 'dispatcher' || me.role === 'admin';
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<Kind | ''>('');
  const [serviceType, setServiceType] = useState<(typeof SERVICES)[number] | ''>('');
  const [status, setStatus] = useState<Status | ''>('');
  const filters = { ...(kind ? { kind } : {}), ...(serviceType ? { serviceType } : {}), ...(status ? { status } : {}) };
  const key = JSON.stringify({ q, ...filters });
  const results = useApi(
    () =>
      q
        ? client.GET('/api/knowledge/search', { params: { query: { q, ...filters } } })
        : Promise.resolve({ data: null, response: new Response() }),
    `search:${key}`,
  );
  const list = useApi(() => client.GET('/api/knowledge/articles', { params: { query: filters } }), `list:${key}`);
  const queue = useApi(
    () =>
      staff
        ? client.GET('/api/knowledge/articles', { params: { query: { status: 'review' } } })
        : Promise.resolve({ data: null, response: new Response() }),
    'queue',
  );
  const usage = useApi(
    () =>
      staff
        ? client.GET('/api/knowledge/usage', { params: { query: { limit: 10 } } })
        : Promise.resolve({ data: null, response: new Response() }),
    'usage',
  );
  const byCategory = new Map<string, NonNullable<typeof list.data>['items']>();
  for (const a of list.data?.items ?? []) {
    const c = a.category ?? '—';
    byCategory.set(c, [...(byCategory.get(c) ?? []), a]);
  }
  return (
    <section>
      <h1>{t('knowledge:title')}</h1>
      <p class="muted">{t('knowledge:help')}</p>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(draft.trim());
        }}
      >
        <label>
          {t('knowledge:search')}
          <input
            type="search"
            name="q"
            value={draft}
            placeholder={t('knowledge:searchPlaceholder')}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('knowledge:fieldKind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind | '')}>
            <option value="">{t('knowledge:allKinds')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(t, k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('col.type')}
          <select
            name="serviceType"
            value={serviceType}
            onChange={(e) => setServiceType(e.currentTarget.value as (typeof SERVICES)[number] | '')}
          >
            <option value="">{t('knowledge:allServices')}</option>
            {SERVICES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {staff && (
          <label>
            {t('col.status')}
            <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value as Status | '')}>
              <option value="">{t('knowledge:allStatuses')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(t, s)}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit">{t('knowledge:search')}</button>
        {staff && (
          <a class="button" href="/knowledge/new">
            {t('knowledge:newArticle')}
          </a>
        )}
      </form>
      {results.error && <div class="error">{results.error}</div>}
      {q && results.data && (
        <div data-testid="kb-results">
          {Object.keys(results.data.corrections).length > 0 && (
            <p class="muted">{t('knowledge:corrected', { words: Object.values(results.data.corrections).join(', ') })}</p>
          )}
          {results.data.items.length === 0 && <p>{t('knowledge:noResult')}</p>}
          <ul class="plain">
            {results.data.items.map((hit) => (
              <li key={hit.id}>
                <a href={`/knowledge/${hit.id}`}>{hit.title}</a> <span class="chip kb">{kindLabel(t, hit.kind)}</span>
                {staff && <span class="chip kb">{statusLabel(t, hit.status)}</span>}
                <Snippet segments={hit.snippet} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {staff && queue.data && queue.data.items.length > 0 && (
        <>
          <h2>{t('knowledge:reviewQueue')}</h2>
          <ul class="plain" data-testid="kb-review-queue">
            {queue.data.items.map((a) => (
              <li key={a.id}>
                <a href={`/knowledge/${a.id}`}>{a.title}</a> <span class="chip kb">{kindLabel(t, a.kind)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {!q && (
        <>
          <h2>{staff ? t('knowledge:latest') : t('knowledge:faq')}</h2>
          {[...byCategory.entries()].map(([category, items]) => (
            <details key={category} open={staff}>
              <summary>
                {category} ({items.length})
              </summary>
              <ul class="plain">
                {items.map((a) => (
                  <li key={a.id}>
                    <a href={`/knowledge/${a.id}`}>{a.title}</a> <span class="chip kb">{kindLabel(t, a.kind)}</span>
                    {staff && <span class="chip kb">{statusLabel(t, a.status)}</span>}
                  </li>
                ))}
              </ul>
            </details>
          ))}
        </>
      )}
      {staff && usage.data && (
        <>
          <h2>{t('knowledge:usage')}</h2>
          <p>
            {t('knowledge:views')} {usage.data.totals.views} · {t('knowledge:deflections')} {usage.data.totals.deflections} ·{' '}
            {t('knowledge:votesUp')} {usage.data.totals.helpful} · {t('knowledge:votesDown')} {usage.data.totals.notHelpful} ·{' '}
            {t('knowledge:requestsSolved')} {usage.data.totals.requestsSolved}
          </p>
          <h3>{t('knowledge:unanswered')}</h3>
          <ul class="plain">
            {usage.data.unansweredSearches.map((s) => (
              <li key={s.query}>
                « {s.query} » × {s.times}
              </li>
            ))}
          </ul>
          <h3>{t('knowledge:neverUsed')}</h3>
          <ul class="plain">
            {usage.data.neverUsed.map((a) => (
              <li key={a.id}>
                <a href={`/knowledge/${a.id}`}>{a.title}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
