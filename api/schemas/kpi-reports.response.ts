/** What the scheduled-report routes answer (docs/kpis.md "Scheduled reports"). */
import { z } from 'zod';
import { calendarDate, instant, role } from './common.response.js';

const subscription = z.object({
  userId: z.string(),
  displayName: z.string(),
  email: z.string(),
  weekly: z.boolean(),
  monthly: z.boolean(),
  createdAt: instant,
});

export const reportSubscriptionsSchema = z
  .object({
    /** management: the staff-wide report (admins manage it); client: the caller's company. */
    scope: z.enum(['management', 'client']),
    clientId: z.string().nullable(),
    items: z.array(subscription),
    /** The accounts that may be subscribed: active staff (management), the company's active accounts (client). */
    accounts: z.array(z.object({ userId: z.string(), displayName: z.string(), email: z.string(), role })),
  })
  .meta({ id: 'ReportSubscriptions' });

export const kpiReportListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        scope: z.enum(['management', 'client']),
        clientId: z.string().nullable(),
        companyName: z.string().nullable(),
        periodKind: z.enum(['weekly', 'monthly']),
        periodStart: calendarDate,
        /** The last day of the period (included). */
        periodLastDay: calendarDate,
        createdAt: instant,
        links: z.object({ pdf: z.string(), csv: z.string() }),
      }),
    ),
  })
  .meta({ id: 'KpiReportList' });
