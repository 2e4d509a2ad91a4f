/** What the indicator routes answer (docs/kpis.md defines each figure). */
import { z } from 'zod';
import { instant } from './common.response.js';

const distribution = z
  .object({ count: z.number(), median: z.number().nullable(), mean: z.number().nullable(), p90: z.number().nullable() })
  .meta({ id: 'KpiDistribution' });
const rate = z.object({ numerator: z.number(), denominator: z.number(), rate: z.number().nullable() }).meta({ id: 'KpiRate' });

const period = z.object({ from: instant, to: instant });

export const kpiSummarySchema = z
  .object({
    period,
    created: z.number(),
    closed: z.number(),
    cancelled: z.number(),
    firstResponse: z.object({ wall: distribution, business: distribution }),
    resolution: z.object({ wall: distribution, business: distribution }),
    slaResponse: rate,
    slaResolution: rate,
    escalation: rate.extend({ delay: distribution }),
    firstTimeFix: rate,
    recurrence: rate,
    satisfaction: z.object({ mean: z.number().nullable(), promoters: rate, responseRate: rate }),
    backlog: z.array(z.object({ status: z.string(), age: z.string(), count: z.number(), breached: z.number(), atRisk: z.number() })),
  })
  .meta({ id: 'KpiSummary' });

export const kpiSeriesSchema = z.object({
  bucket: z.enum(['week', 'month']),
  items: z.array(
    z.object({
      period: z.string(),
      created: z.number(),
      resolved: z.number(),
      slaResolutionRate: z.number().nullable(),
      firstTimeFixRate: z.number().nullable(),
      meanRating: z.number().nullable(),
      resolutionBusinessMedian: z.number().nullable(),
    }),
  ),
});

export const kpiTechniciansSchema = z.object({
  items: z.array(
    z.object({
      technicianId: z.string(),
      name: z.string(),
      visits: z.number(),
      onSiteHours: z.number(),
      travelHours: z.number(),
      travelShare: z.number().nullable(),
      utilisation: z.number().nullable(),
      resolved: z.number(),
      firstTimeFixRate: z.number().nullable(),
      meanRating: z.number().nullable(),
      rating: z.number().nullable(),
    }),
  ),
});

export const kpiFinanceSchema = z.object({
  items: z.array(
    z.object({
      month: z.string(),
      clientId: z.string(),
      companyName: z.string(),
      contractId: z.string().nullable(),
      invoices: z.number(),
      totalExclVatCents: z.number(),
      includedMinutesUsed: z.number(),
    }),
  ),
});

export const kpiRecurringSchema = z.object({
  items: z.array(
    z.object({
      assetId: z.string().nullable(),
      assetLabel: z.string().nullable(),
      locationId: z.string(),
      locationName: z.string(),
      serviceType: z.string(),
      requests: z.number(),
      recurrences: z.number(),
    }),
  ),
});

export const kpiDrillDownSchema = z.object({
  measure: z.string(),
  items: z.array(
    z.object({
      ticketNumber: z.string(),
      title: z.string(),
      clientId: z.string(),
      companyName: z.string(),
      serviceType: z.string(),
      priority: z.string(),
      status: z.string(),
      createdAt: instant,
      resolvedAt: instant.nullable(),
      resolutionBusinessMinutes: z.number().nullable(),
      rating: z.number().nullable(),
    }),
  ),
});

export const followUpListSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      ticketNumber: z.string(),
      companyName: z.string(),
      technicianName: z.string().nullable(),
      rating: z.number(),
      comment: z.string().nullable(),
      createdAt: instant,
    }),
  ),
});

const weekForecast = z.object({ weekStart: z.string(), expected: z.number(), low: z.number(), high: z.number() });
export const kpiForecastSchema = z.object({
  weeks: z.array(weekForecast.extend({ capacityHours: z.number(), capacityInterventions: z.number().nullable() })),
  byServiceType: z.array(z.object({ serviceType: z.string(), weeks: z.array(weekForecast) })),
});
