/**
 * Self-help beside the intake form's problem field: published articles matching what the client
 * types, readable in place. An article opened and then the form left without submitting (another
 * page, tab closed) is recorded as a deflection: the request that was not needed.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, client } from '../api.js';
import type { T } from '../session.js';
import { Snippet, kindLabel } from './knowledge.js';
import { Markdown } from './knowledge-article.js';
import { useApi } from './use-api.js';

/** The problem text after the client paused typing for this long. */
const PAUSE_MS = 400;
const MIN_LENGTH = 8;

export function SelfHelp({ t, text, submitted }: { t: T; text: string; submitted: { current: boolean } }) {
  const [settled, setSettled] = useState('');
  const [open, setOpen] = useState<{ id: string; body: string } | null>(null);
  const opened = useRef(new Set<string>());
  useEffect(() => {
    const id = setTimeout(() => setSettled(text.trim()), PAUSE_MS);
    return () => clearTimeout(id);
  }, [text]);
  const { data } = useApi(
    () =>
      settled.length >= MIN_LENGTH
        ? client.GET('/api/knowledge/suggestions', { params: { query: { text: settled.slice(0, 2000) } } })
        : Promise.resolve({ data: null, response: new Response() }),
    `suggest:${settled}`,
  );
  useEffect(() => {
    const leave = () => {
      if (submitted.current) return;
      for (const articleId of opened.current) {
        // keepalive: the request outlives a closing tab.
        void client.POST('/api/knowledge/articles/{articleId}/events', {
          params: { path: { articleId } },
          body: { kind: 'deflection' },
          keepalive: true,
        });
      }
      opened.current.clear();
    };
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, []);
  const read = async (id: string) => {
    if (open?.id === id) return setOpen(null);
    const article = await call(client.GET('/api/knowledge/articles/{articleId}', { params: { path: { articleId: id } } }));
    opened.current.add(id);
    void client.POST('/api/knowledge/articles/{articleId}/events', { params: { path: { articleId: id } }, body: { kind: 'view' } });
    setOpen({ id, body: article.content.body });
  };
  if (!data || data.items.length === 0) return null;
  return (
    <aside class="self-help" data-testid="kb-suggestions" aria-live="polite">
      <h3>{t('knowledge:suggestions')}</h3>
      <p class="muted">{t('knowledge:suggestionsHelp')}</p>
      <ul class="plain">
        {data.items.map((hit) => (
          <li key={hit.id}>
            <strong>{hit.title}</strong> <span class="chip kb">{kindLabel(t, hit.kind)}</span>{' '}
            <button type="button" class="secondary" onClick={() => void read(hit.id)}>
              {open?.id === hit.id ? t('knowledge:close') : t('knowledge:open')}
            </button>
            <Snippet segments={hit.snippet} />
            {open?.id === hit.id && (
              <div data-testid="kb-suggestion-body">
                <Markdown source={open.body} />
                <a href={`/knowledge/${hit.id}`}>{t('knowledge:title')} →</a>
              </div>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
