import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call } from '../api.js';
import { FALLBACK_POLL_MS, useLiveEvents, type LiveChange } from '../live.js';

/** Reload on the live changes `concerns` accepts (and after missed events); poll slowly only while the stream is down. */
export interface LiveReload {
  concerns: (event: LiveChange) => boolean;
}

/**
 * Loads a resource (`load` makes the typed call) and reloads it on demand, every `refresh` ms, or
 * live (`{ concerns }`: when a change it concerns arrives on the event stream); `key` names what is
 * loaded (the path and query): a new key loads again. `error` is the API's message.
 */
export function useApi<D>(
  load: () => Promise<{ data?: D; error?: unknown; response: Response }>,
  key: string,
  refresh?: number | LiveReload,
) {
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
  const liveReload = typeof refresh === 'object' ? refresh : null;
  // Several changes in a burst (a status, its timeline entry, its email) make one reload.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const soon = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      reload();
    }, 50);
  }, [reload]);
  const { live } = useLiveEvents(
    (event) => {
      if (liveReload?.concerns(event)) soon();
    },
    () => {
      if (liveReload) soon();
    },
  );
  const refreshMs = typeof refresh === 'number' ? refresh : liveReload && !live ? FALLBACK_POLL_MS : undefined;
  useEffect(() => {
    reload();
  }, [reload]);
  useEffect(() => {
    if (!refreshMs) return;
    const id = setInterval(reload, refreshMs);
    return () => clearInterval(id);
  }, [reload, refreshMs]);
  return { data, error, reload, live };
}
