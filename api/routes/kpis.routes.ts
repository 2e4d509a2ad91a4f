/**
 * Indicators (docs/kpis.md): the management, client-company and technician dashboards read these.
 * Every route takes the same filters; a client_admin sees its company only and a technician their
 * own figures (scopedFilters, and row-level security on kpi_request_facts).
 */
import { z } from 'zod';
import { PRIORITIES, SERVICE_TYPES } from '../../workflows/intervention/intervention.vocabulary.js';
import { DRILL_MEASURES } from '../../db/repositories/kpis.repository.js';
import { forecastOf } from '../kpis/forecast-of.js';
import { listOpenFollowUps } from '../../db/repositories/quality.repository.js';
import { drillDownOf, financeOf, recurringOf, seriesOf, summaryOf, techniciansOf } from '../kpis/dashboard.js';
import { route, type RouteSpec } from '../routing.js';
import {
  followUpListSchema,
  kpiForecastSchema,
  kpiDrillDownSchema,
  kpiFinanceSchema,
  kpiRecurringSchema,
  kpiSeriesSchema,
  kpiSummarySchema,
  kpiTechniciansSchema,
} from '../schemas/kpis.response.js';

const STAFF = ['support_agent', 'dispatcher', 'admin'] as const;
const SUPPORT_READERS = [...STAFF, 'finance', 'client_admin', 'technician'] as const;
const FINANCE_READERS = ['finance', 'admin', 'client_admin'] as const;
const TECHNICIAN_READERS = [...STAFF, 'technician'] as const;

const isoDate = z.iso.date({ message: 'expected a date YYYY-MM-DD' });
export const kpiFilterQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    clientId: z.uuid({ message: 'expected a client id (uuid)' }).optional(),
    locationId: z.uuid({ message: 'expected a site id (uuid)' }).optional(),
    serviceType: z.enum(SERVICE_TYPES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    technicianId: z.uuid({ message: 'expected a technician id (uuid)' }).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after `to`', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 800 * 86_400_000, {
    message: 'the period is at most 800 days',
    path: ['from'],
  });

const seriesQuery = z.intersection(kpiFilterQuery, z.object({ bucket: z.enum(['week', 'month']).optional() }));
const drillQuery = z.intersection(kpiFilterQuery, z.object({ measure: z.enum(DRILL_MEASURES) }));

export function kpiRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/kpis/summary',
      summary:
        'Indicators of a period: volume, response and resolution times, SLA, escalation, first-time fix, recurrence, satisfaction, backlog',
      tag: 'kpis',
      access: SUPPORT_READERS,
      query: kpiFilterQuery,
      response: { 200: kpiSummarySchema },
      async handler({ db, principal, query, res }) {
        res.json(await summaryOf(db, principal, query));
      },
    }),
    route({
      method: 'get',
      path: '/kpis/series',
      summary: 'Indicators per week or month of the period',
      tag: 'kpis',
      access: SUPPORT_READERS,
      query: seriesQuery,
      response: { 200: kpiSeriesSchema },
      async handler({ db, principal, query, res }) {
        res.json(await seriesOf(db, principal, query));
      },
    }),
    route({
      method: 'get',
      path: '/kpis/requests',
      summary: 'The requests behind a figure (drill-down), newest first, at most 200',
      tag: 'kpis',
      access: SUPPORT_READERS,
      query: drillQuery,
      response: { 200: kpiDrillDownSchema },
      async handler({ db, principal, query, res }) {
        res.json(await drillDownOf(db, principal, query));
      },
    }),
    route({
      method: 'get',
      path: '/kpis/recurring',
      summary: 'Recurring problems: assets (or site and service type) with requests again within 30 days',
      tag: 'kpis',
      access: SUPPORT_READERS,
      query: kpiFilterQuery,
      response: { 200: kpiRecurringSchema },
      async handler({ db, principal, query, res }) {
        res.json(await recurringOf(db, principal, query));
      },
    }),
    route({
      method: 'get',
      path: '/kpis/technicians',
      summary: 'Per technician: visits, on-site and travel hours, utilisation, first-time fix, satisfaction',
      tag: 'kpis',
      access: TECHNICIAN_READERS,
      query: kpiFilterQuery,
      response: { 200: kpiTechniciansSchema },
      async handler({ db, principal, query, res }) {
        res.json(await techniciansOf(db, principal, query));
      },
    }),
    route({
      method: 'get',
      path: '/kpis/finance',
      summary: 'Invoiced amounts per month, client and contract; included hours used',
      tag: 'kpis',
      access: FINANCE_READERS,
      query: kpiFilterQuery,
      response: { 200: kpiFinanceSchema },
      async handler({ db, principal, query, res }) {
        res.json(await financeOf(db, principal, query));
      },
    }),
    route({
      method: 'get',
      path: '/kpis/forecast',
      summary: 'Requests expected per week for the next 8 weeks (80 % interval), per service type, with technician capacity',
      tag: 'kpis',
      access: STAFF,
      response: { 200: kpiForecastSchema },
      async handler({ db, res }) {
        res.json(await forecastOf(db));
      },
    }),
    route({
      method: 'get',
      path: '/quality/follow-ups',
      summary: 'Open follow-ups of low survey ratings (2 or less), oldest first',
      tag: 'kpis',
      access: STAFF,
      response: { 200: followUpListSchema },
      async handler({ db, res }) {
        res.json({ items: await listOpenFollowUps(db) });
      },
    }),
  ];
}
