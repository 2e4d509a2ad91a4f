/**
 * The knowledge base on a request's page: the linked articles and "workaround in place" (clients
 * and staff); for staff, the articles suggested from the request's text (attach one as a
 * workaround, or as the one that solved it) and "document this solution" once it is resolved.
 */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, call, client } from '../api.js';
import type { T } from '../session.js';
import { kindLabel, Snippet } from './knowledge.js';
import { useApi } from './use-api.js';

const RESOLVED = ['validated', 'invoiced', 'survey', 'closed'];

export function RequestKnowledge({
  t,
  ticket,
  staff,
  status,
  text,
}: {
  t: T;
  ticket: string;
  staff: boolean;
  status: string;
  text: string;
}) {
  const { route } = useLocation();
  const [error, setError] = useState<string | null>(null);
  const linked = useApi(() => client.GET('/api/requests/{ticket}/knowledge', { params: { path: { ticket } } }), `kb-links:${ticket}`);
  const suggested = useApi(
    () =>
      staff
        ? client.GET('/api/knowledge/suggestions', { params: { query: { text: text.slice(0, 2000), limit: 3 } } })
        : Promise.resolve({ data: null, response: new Response() }),
    `kb-suggest:${ticket}`,
  );
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(null);
      linked.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const link = (articleId: string, relation: 'workaround' | 'solved_by') =>
    attempt(() => call(client.POST('/api/requests/{ticket}/knowledge', { params: { path: { ticket } }, body: { articleId, relation } })));
  const document = () =>
    attempt(async () => {
      const created = await call(client.POST('/api/requests/{ticket}/knowledge/document', { params: { path: { ticket } } }));
      route(`/knowledge/${created.id}/edit`);
    });
  const items = linked.data?.items ?? [];
  if (!staff && items.length === 0) return null;
  return (
    <div class="panel" data-testid="request-knowledge">
      <h2>{t('knowledge:linkedArticles')}</h2>
      {linked.data?.workaroundInPlace && (
        <p class="notice" data-testid="workaround-in-place">
          {t('knowledge:workaroundInPlace')}
        </p>
      )}
      <ul class="plain">
        {items.map((a) => (
          <li key={`${a.id}:${a.relation}`}>
            <a href={`/knowledge/${a.id}`}>{a.title}</a> <span class="chip kb">{kindLabel(t, a.kind)}</span>
          </li>
        ))}
      </ul>
      {staff && RESOLVED.includes(status) && (
        <button type="button" onClick={() => void document()} data-testid="kb-document">
          {t('knowledge:document')}
        </button>
      )}
      {staff && suggested.data && suggested.data.items.length > 0 && (
        <>
          <h3>{t('knowledge:suggestedForRequest')}</h3>
          <ul class="plain" data-testid="kb-request-suggestions">
            {suggested.data.items.map((hit) => (
              <li key={hit.id}>
                <a href={`/knowledge/${hit.id}`}>{hit.title}</a> <span class="chip kb">{kindLabel(t, hit.kind)}</span>
                <Snippet segments={hit.snippet} />
                {!RESOLVED.includes(status) && status !== 'cancelled' && (
                  <button type="button" class="secondary" onClick={() => void link(hit.id, 'workaround')}>
                    {t('knowledge:attachWorkaround')}
                  </button>
                )}{' '}
                <button type="button" class="secondary" onClick={() => void link(hit.id, 'solved_by')}>
                  {t('knowledge:markSolved')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && <div class="error">{error}</div>}
    </div>
  );
}
