/**
 * The one LISTEN connection of a process (migration 0380's `live_events` channel): a dedicated
 * connection beside the pool (a pooled one would be recycled), reopened after a loss with a
 * backoff of 1 s, 2 s… up to 30 s. Notifications sent while it was down are lost: `onUp` tells the
 * owner each time it (re)starts listening, so it can tell its subscribers to reload.
 */
import pg from 'pg';
import type { Kysely } from 'kysely';
import { connectionOptionsOf } from './client.js';
import type { DB } from './schema/index.js';

export const LIVE_CHANNEL = 'live_events';

/** What the triggers of migration 0380 send (ids and kinds only). */
export interface LiveNotification {
  kind: 'request' | 'timeline' | 'assignment' | 'visit' | 'message' | 'notification' | 'plan';
  requestId: string | null;
  ticketNumber: string | null;
  clientId: string | null;
  technicianId: string | null;
  userId: string | null;
  /** A plan's day (`kind: 'plan'`), YYYY-MM-DD. */
  planDate: string | null;
}

export interface LiveListener {
  close(): Promise<void>;
}

export function startLiveListener(
  db: Kysely<DB>,
  handlers: { onNotification(n: LiveNotification): void; onUp(): void; onDown(err: unknown): void },
): LiveListener {
  const options = connectionOptionsOf(db);
  let client: pg.Client | null = null;
  let closed = false;
  let delayMs = 1_000;
  let timer: NodeJS.Timeout | null = null;

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: options.connectionString, application_name: `${options.applicationName ?? 'api'}-live` });
    client = c;
    let down = false;
    const lost = (err: unknown) => {
      if (down) return;
      down = true;
      client = null;
      c.removeAllListeners('notification');
      void c.end().catch(() => {});
      if (closed) return;
      handlers.onDown(err);
      timer = setTimeout(() => void connect(), delayMs);
      delayMs = Math.min(delayMs * 2, 30_000);
    };
    c.on('error', lost);
    c.on('end', () => lost(new Error('LISTEN connection ended')));
    c.on('notification', (msg) => {
      if (msg.channel !== LIVE_CHANNEL || !msg.payload) return;
      try {
        const raw = JSON.parse(msg.payload) as Partial<LiveNotification>;
        handlers.onNotification({
          kind: raw.kind!,
          requestId: raw.requestId ?? null,
          ticketNumber: raw.ticketNumber ?? null,
          clientId: raw.clientId ?? null,
          technicianId: raw.technicianId ?? null,
          userId: raw.userId ?? null,
          planDate: raw.planDate ?? null,
        });
      } catch {
        // Not ours: ignored.
      }
    });
    try {
      await c.connect();
      await c.query(`listen ${LIVE_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      delayMs = 1_000;
      handlers.onUp();
    } catch (err) {
      lost(err);
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => {});
    },
  };
}
