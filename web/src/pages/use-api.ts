import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../api.js';

/**
 * Loads a resource (`load` makes the typed call) and reloads it on demand or every `refreshMs`;
 * `key` names what is loaded (the path and query): a new key loads again. `error` is the API's message.
 */
export function useApi<D>(load: () => Promise<{ data?: D; error?: unknown; response: Response }>, key: string, refreshMs?: number) {
  const [data, setData] = useState<D | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    call(load())
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? `${e.status} — ${e.message}` : String(e)));
    // `load` is a new function at each render; `key` says when it loads something else.
  }, [key]);
  useEffect(() => {
    reload();
    if (!refreshMs) return;
    const id = setInterval(reload, refreshMs);
    return () => clearInterval(id);
  }, [reload, refreshMs]);
  return { data, error, reload };
}
