/**
 * Live updates and the notification centre (issue 17, docs/live.md).
 *
 * GET /events is a server-sent event stream: declared here like every route (access, OpenAPI),
 * with `produces: text/event-stream` and `transaction: 'steps'` so that no transaction or pooled
 * connection is held while it is open. Its handler resolves when the client goes away.
 */
import { z } from 'zod';
import type { Request, Response } from 'express';
import type { LiveHub, LiveSink } from '../live/live-hub.js';
import { HEARTBEAT_MS } from '../live/live-hub.js';
import { markAllRead, markRead, notificationsOf } from '../live/notifications.js';
import { ROLES, route, type RouteSpec } from '../routing.js';
import { markedReadSchema, notificationListSchema } from '../schemas/live.response.js';

const idParams = z.object({ notificationId: z.uuid({ message: 'expected a notification id (uuid)' }) });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() });
const eventsQuery = z.object({ lastEventId: z.string().max(100).optional() });

export interface LiveRouteDeps {
  live: LiveHub;
  /** Comment lines keeping proxies from closing an idle stream (HEARTBEAT_MS when absent). */
  heartbeatMs?: number;
}

/** Writes one SSE frame and pushes it out now (no buffering on the way). */
function frame(res: Response, lines: string): void {
  res.write(`${lines}\n\n`);
}

export function liveRoutes(deps: LiveRouteDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/events',
      summary:
        'Server-sent events of the changes the caller may see (request, timeline, assignment, visit, message, notification): ids and kinds only. `Last-Event-ID` (or ?lastEventId=) resumes; a `reset` event means reload everything',
      tag: 'live',
      access: ROLES,
      query: eventsQuery,
      produces: 'text/event-stream',
      transaction: 'steps',
      responses: { 200: 'The stream (events `ready`, `change`, `reset`; comment lines as heartbeats)' },
      async handler({ req, res, principal, query }) {
        await stream(deps, req, res, principal!, (req.header('last-event-id') ?? query.lastEventId ?? '').trim() || null);
      },
    }),
    route({
      method: 'get',
      path: '/notifications',
      summary: 'The caller’s notifications, newest first, and how many are unread',
      tag: 'live',
      access: ROLES,
      query: listQuery,
      response: { 200: notificationListSchema },
      async handler({ db, principal, query, res }) {
        res.json(await notificationsOf(db, principal!, query.limit ?? 30));
      },
    }),
    route({
      method: 'post',
      path: '/notifications/:notificationId/read',
      summary: 'Mark one of the caller’s notifications read',
      tag: 'live',
      access: ROLES,
      params: idParams,
      audit: 'none',
      responses: { 200: 'Marked', 404: 'Not one of the caller’s notifications' },
      response: { 200: markedReadSchema },
      async handler({ db, principal, params, res }) {
        res.json(await markRead(db, principal!, params.notificationId));
      },
    }),
    route({
      method: 'post',
      path: '/notifications/read-all',
      summary: 'Mark all the caller’s notifications read',
      tag: 'live',
      access: ROLES,
      audit: 'none',
      response: { 200: markedReadSchema },
      async handler({ db, principal, res }) {
        res.json(await markAllRead(db, principal!));
      },
    }),
  ];
}

async function stream(
  deps: LiveRouteDeps,
  req: Request,
  res: Response,
  principal: NonNullable<Parameters<LiveHub['subscribe']>[0]>,
  lastEventId: string | null,
) {
  res.status(200);
  res.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    // no-transform: a compressing proxy must not buffer it; X-Accel-Buffering: nginx neither.
    'Cache-Control': 'no-store, no-transform',
    'X-Accel-Buffering': 'no',
    Connection: 'keep-alive',
  });
  res.flushHeaders();
  req.socket.setNoDelay(true);
  req.socket.setTimeout(0);
  frame(res, 'retry: 2000');
  const send = (event: string, id: string | null, data: unknown) =>
    frame(res, `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}`);
  const sink: LiveSink = {
    event: (id, data) => send('change', id, data),
    reset: (id) => send('reset', id, {}),
    ready: (id) => send('ready', id, {}),
  };
  const unsubscribe = deps.live.subscribe(principal, lastEventId, sink);
  const heartbeat = setInterval(() => res.write(': ping\n\n'), deps.heartbeatMs ?? HEARTBEAT_MS);
  await new Promise<void>((resolve) => {
    res.on('close', () => resolve());
  });
  clearInterval(heartbeat);
  unsubscribe();
}
