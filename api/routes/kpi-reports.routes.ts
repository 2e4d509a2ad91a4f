/**
 * Scheduled KPI reports (docs/kpis.md "Scheduled reports"): who receives them, and the reports
 * produced. An admin manages the subscriptions of the management report, a client_admin those of
 * its own company's report; the back office reads every stored report, a client_admin its own
 * company's only (row-level security on kpi_reports).
 */
import { z } from 'zod';
import { reportFile, reportsOf, subscribe, subscriptionsOf, unsubscribe } from '../kpis/report-subscriptions.js';
import { route, type RouteSpec } from '../routing.js';
import { kpiReportListSchema, reportSubscriptionsSchema } from '../schemas/kpi-reports.response.js';

const MANAGERS = ['admin', 'client_admin'] as const;
const READERS = ['admin', 'support_agent', 'dispatcher', 'finance', 'client_admin'] as const;

const userParams = z.object({ userId: z.uuid({ message: 'expected an account id (uuid)' }) });
const reportParams = z.object({ reportId: z.uuid({ message: 'expected a report id (uuid)' }) });
const frequencyBody = z
  .object({ weekly: z.boolean(), monthly: z.boolean() })
  .refine((b) => b.weekly || b.monthly, { message: 'choose weekly, monthly or both', path: ['weekly'] });
const listQuery = z.object({ scope: z.enum(['management', 'client']).optional() });

const FILES = {
  pdf: { contentType: 'application/pdf', disposition: 'inline', summary: 'The report as a PDF (charts and tables), as produced' },
  csv: {
    contentType: 'text/csv; charset=utf-8',
    disposition: 'attachment',
    summary: 'The figures of the report as CSV (;-separated, UTF-8 with BOM)',
  },
} as const;

export function kpiReportRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/kpi-reports/subscriptions',
      summary:
        'Subscribers of the caller’s scheduled report (management for an admin, its company for a client admin), and the accounts that may subscribe',
      tag: 'kpis',
      access: MANAGERS,
      response: { 200: reportSubscriptionsSchema },
      async handler({ db, principal, res }) {
        res.json(await subscriptionsOf(db, principal));
      },
    }),
    route({
      method: 'put',
      path: '/kpi-reports/subscriptions/:userId',
      summary: 'Subscribe an account to the weekly and/or monthly report of the caller’s scope (or change its frequencies)',
      tag: 'kpis',
      access: MANAGERS,
      params: userParams,
      body: frequencyBody,
      responses: { 200: 'The subscriptions after the change', 400: 'Not an account of the scope, or no frequency', 404: 'No such account' },
      response: { 200: reportSubscriptionsSchema },
      async handler({ db, principal, params, body, res }) {
        res.json(await subscribe(db, principal, params.userId, body));
      },
    }),
    route({
      method: 'delete',
      path: '/kpi-reports/subscriptions/:userId',
      summary: 'Remove an account from the subscribers of the caller’s scope',
      tag: 'kpis',
      access: MANAGERS,
      params: userParams,
      responses: { 200: 'The subscriptions after the change (also when the account was not subscribed)', 404: 'No such account' },
      response: { 200: reportSubscriptionsSchema },
      async handler({ db, principal, params, res }) {
        res.json(await unsubscribe(db, principal, params.userId));
      },
    }),
    route({
      method: 'get',
      path: '/kpi-reports',
      summary: 'Scheduled reports produced, newest first (a client admin: its company’s only)',
      tag: 'kpis',
      access: READERS,
      query: listQuery,
      response: { 200: kpiReportListSchema },
      async handler({ db, principal, query, res }) {
        res.json(await reportsOf(db, principal, query));
      },
    }),
    ...(['pdf', 'csv'] as const).map((kind) =>
      route({
        method: 'get',
        path: `/kpi-reports/:reportId/${kind}`,
        summary: FILES[kind].summary,
        tag: 'kpis',
        access: READERS,
        params: reportParams,
        produces: FILES[kind].contentType,
        async handler({ db, params, res }) {
          const file = await reportFile(db, params.reportId, kind);
          res
            .status(200)
            .type(FILES[kind].contentType)
            .setHeader('Content-Disposition', `${FILES[kind].disposition}; filename="${file.fileName}"`);
          res.send(file.body);
        },
      }),
    ),
  ];
}
