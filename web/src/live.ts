/**
 * The tab's one live event stream (GET /api/events, docs/live.md), shared by every page that
 * listens: an EventSource opened with the first listener and closed shortly after the last. The
 * browser reconnects by itself and sends `Last-Event-ID`, so the server replays what was missed;
 * a `reset` (more was missed than it keeps) asks every listener to reload.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export interface LiveChange {
  kind: 'request' | 'timeline' | 'assignment' | 'visit' | 'message' | 'notification' | 'plan';
  requestId: string | null;
  ticketNumber: string | null;
  /** A plan's day (`kind: 'plan'`). */
  planDate: string | null;
}

interface Listener {
  change(event: LiveChange): void;
  /** Reload everything (events were missed). */
  reset(): void;
  status(up: boolean): void;
}

/** How often a page reloads while the stream is down (it is the only time a page polls). */
export const FALLBACK_POLL_MS = 30_000;

const listeners = new Set<Listener>();
let source: EventSource | null = null;
let up = false;
let closeTimer: ReturnType<typeof setTimeout> | null = null;

function setUp(next: boolean) {
  if (next === up) return;
  up = next;
  for (const l of listeners) l.status(up);
}

function open() {
  const es = new EventSource('/api/events');
  source = es;
  es.addEventListener('ready', () => setUp(true));
  es.addEventListener('reset', () => {
    setUp(true);
    for (const l of listeners) l.reset();
  });
  es.addEventListener('change', (e) => {
    const event = JSON.parse((e as MessageEvent<string>).data) as LiveChange;
    for (const l of listeners) l.change(event);
  });
  es.addEventListener('error', () => {
    setUp(false);
    // Refused (signed out, server gone for good): the browser will not retry; try again later.
    if (es.readyState === EventSource.CLOSED && source === es) {
      source = null;
      setTimeout(() => {
        if (!source && listeners.size > 0) open();
      }, FALLBACK_POLL_MS);
    }
  });
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (closeTimer) clearTimeout(closeTimer);
  closeTimer = null;
  if (!source && typeof EventSource !== 'undefined') open();
  listener.status(up);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && !closeTimer) {
      // A page change unsubscribes then subscribes again: keep the stream across it.
      closeTimer = setTimeout(() => {
        closeTimer = null;
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
          setUp(false);
        }
      }, 5_000);
    }
  };
}

/**
 * Calls `onChange` for each live change (and `onReset` when events were missed); returns whether
 * the stream is up. The callbacks may change at every render: the latest ones are called.
 */
export function useLiveEvents(onChange: (event: LiveChange) => void, onReset?: () => void): { live: boolean } {
  const [live, setLive] = useState(up);
  const latest = useRef({ onChange, onReset });
  latest.current = { onChange, onReset };
  useEffect(
    () =>
      subscribe({
        change: (event) => latest.current.onChange(event),
        reset: () => (latest.current.onReset ?? (() => undefined))(),
        status: setLive,
      }),
    [],
  );
  return { live };
}
