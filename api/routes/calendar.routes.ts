import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/index.js';
import { createFeed, listFeeds, renderFeed, revokeFeed } from '../calendar/feeds.js';
import { notFound } from '../errors.js';
import { route, type RouteSpec } from '../routing.js';
import { calendarFeedCreatedSchema, calendarFeedListSchema } from '../schemas/calendar.response.js';

export interface CalendarRoutesDeps {
  /** The feed is public (its secret is the access): it reads outside any principal's scope. */
  db: Kysely<DB>;
  publicUrl?: string;
}

const MANAGERS = ['technician', 'dispatcher', 'admin'] as const;
const technicianParams = z.object({ technicianId: z.uuid() });

/** Technicians' calendar subscriptions: create, list, revoke, and the feed itself. */
export function calendarRoutes(deps: CalendarRoutesDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/technicians/:technicianId/calendar-feeds',
      tag: 'calendar',
      summary: "A technician's calendar subscriptions (without their secret URL, shown once at creation)",
      access: MANAGERS,
      params: technicianParams,
      responses: { 200: 'The subscriptions, newest first, revoked ones included', 403: "Another technician's" },
      response: { 200: calendarFeedListSchema },
      async handler({ res, db, params, principal }) {
        res.json({ items: await listFeeds(db, principal, params.technicianId) });
      },
    }),
    route({
      method: 'post',
      path: '/technicians/:technicianId/calendar-feeds',
      tag: 'calendar',
      summary: 'Create a calendar subscription URL for a technician: their next 14 days as an iCalendar feed (webcal://), shown once',
      access: MANAGERS,
      params: technicianParams,
      responses: { 201: 'The subscription and its URL', 403: "Another technician's", 404: 'No such technician' },
      response: { 201: calendarFeedCreatedSchema },
      async handler({ req, res, db, params, principal }) {
        const baseUrl = deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;
        res.status(201).json(await createFeed(db, principal, params.technicianId, baseUrl));
      },
    }),
    route({
      method: 'delete',
      path: '/technicians/:technicianId/calendar-feeds/:feedId',
      tag: 'calendar',
      summary: 'Revoke a calendar subscription: its URL answers 404 from now on',
      access: MANAGERS,
      params: technicianParams.extend({ feedId: z.uuid() }),
      responses: { 204: 'Revoked', 403: "Another technician's", 404: 'No such live subscription' },
      async handler({ res, db, params, principal }) {
        await revokeFeed(db, principal, params.technicianId, params.feedId);
        res.status(204).end();
      },
    }),
    route({
      method: 'get',
      path: '/calendar/:token.ics',
      tag: 'calendar',
      summary: "A technician's calendar feed (iCalendar, next 14 days), for Google Calendar, Outlook and Apple Calendar to subscribe to",
      access: 'public',
      audit: 'none',
      params: z.object({ token: z.string().min(20).max(200) }),
      produces: 'text/calendar',
      responses: { 200: 'The feed (VCALENDAR, Europe/Paris)', 404: 'Unknown or revoked URL' },
      async handler({ res, params }) {
        const feed = await renderFeed(deps.db, params.token, new Date());
        if (!feed) throw notFound('calendar feed');
        res.type('text/calendar; charset=utf-8').set('Cache-Control', 'private, max-age=300').send(feed);
      },
    }),
  ];
}
