/**
 * Scheduled KPI reports (docs/kpis.md "Scheduled reports"): which scopes have subscribers, the
 * production of one report (figures, PDF with charts, CSV) stored once per scope and period, and
 * its email to each subscriber, claimed in the outbox once per report and recipient. Every
 * activity can run again with the same input and change nothing.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  findReport,
  insertReportOnce,
  reportCompany,
  reportForEmail,
  scopesWithSubscribers,
  subscribersOf,
} from '../../db/repositories/kpi-reports.repository.js';
import {
  kpiDailyCreated,
  kpiFinance,
  kpiRecurring,
  kpiSeries,
  kpiSummary,
  kpiTechnicians,
  type KpiFilters,
} from '../../db/repositories/kpis.repository.js';
import type { ReportScope } from '../../workflows/reports/kpi-report.contract.js';
import { parisMidnight, type ReportPeriod, type ReportPeriodKind } from '../../workflows/reports/report-period.contract.js';
import type { Mailer } from '../notifications/mailer.js';
import { REPORT_LABELS, reportCsv, titleOf, type KpiReportFigures, type ReportLanguage } from './kpi-report-document.js';
import { renderKpiReportPdf } from './kpi-report-pdf.js';

export interface KpiReportDeps {
  db: Kysely<DB>;
  mailer: Mailer;
}

const DAY = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const addMonths = (date: string, months: number) => {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 10);
};

/** The scope's company name and the language its report is written in (the company's preference; French by default). */
async function scopeDetails(db: Kysely<DB>, scope: ReportScope) {
  if (scope.kind === 'management') return { companyName: null, language: 'fr' as ReportLanguage };
  return reportCompany(db, scope.clientId);
}

/** Everything a report shows, from the indicator facts (the same queries as the dashboards). */
export async function gatherReportFigures(
  db: Kysely<DB>,
  scope: ReportScope,
  period: ReportPeriod,
  companyName: string | null,
): Promise<KpiReportFigures> {
  const f: KpiFilters = {
    from: new Date(period.from),
    to: new Date(period.to),
    clientId: scope.kind === 'client' ? scope.clientId : undefined,
  };
  const trendFrom = period.kind === 'weekly' ? addDays(period.start, -7 * 7) : addMonths(period.start, -5);
  // Invoices carry an issue date (no time): compared as calendar dates.
  const byDate: KpiFilters = { ...f, from: new Date(`${period.start}T00:00:00Z`), to: new Date(`${period.end}T00:00:00Z`) };
  const [summary, daily, series, recurring, technicians, finance] = await Promise.all([
    kpiSummary(db, f),
    kpiDailyCreated(db, f),
    kpiSeries(db, { ...f, from: parisMidnight(trendFrom) }, period.kind === 'weekly' ? 'week' : 'month'),
    kpiRecurring(db, f, 10),
    scope.kind === 'management' ? kpiTechnicians(db, f) : Promise.resolve([]),
    kpiFinance(db, byDate),
  ]);
  const perDay = new Map<string, number>();
  const perService = new Map<string, number>();
  for (const row of daily) {
    perDay.set(row.day, (perDay.get(row.day) ?? 0) + row.count);
    perService.set(row.serviceType, (perService.get(row.serviceType) ?? 0) + row.count);
  }
  const days: string[] = [];
  for (let d = period.start; d < period.end; d = addDays(d, 1)) days.push(d);
  return {
    scope:
      scope.kind === 'management' ? { kind: 'management' } : { kind: 'client', clientId: scope.clientId, companyName: companyName ?? '' },
    period,
    summary,
    daily: days.map((day) => ({ day, created: perDay.get(day) ?? 0 })),
    byServiceType: [...perService]
      .map(([serviceType, created]) => ({ serviceType, created }))
      .sort((a, b) => b.created - a.created || a.serviceType.localeCompare(b.serviceType)),
    trend: series.map((b) => ({ period: b.period, created: b.created, resolved: b.resolved, slaResolutionRate: b.slaResolutionRate })),
    recurring: recurring.map((r) => ({
      label: r.assetLabel ? `${r.assetLabel} (${r.locationName})` : r.locationName,
      serviceType: r.serviceType,
      requests: r.requests,
      recurrences: r.recurrences,
    })),
    technicians: technicians.map((r) => {
      const resolved = r.resolved;
      return {
        name: r.name,
        visits: r.visits,
        onSiteHours: r.onSiteMinutes / 60,
        resolved,
        firstTimeFixRate: resolved > 0 ? r.firstTimeFix / resolved : null,
        meanRating: r.meanRating,
      };
    }),
    invoicedExclVatCents: finance.reduce((sum, r) => sum + Number(r.totalExclVatCents), 0),
    includedHoursUsed: finance.reduce((sum, r) => sum + Number(r.includedMinutesUsed ?? 0), 0) / 60,
  };
}

export function reportFileName(kind: ReportPeriodKind, start: string, companyName: string | null, ext: 'pdf' | 'csv'): string {
  const scope = companyName
    ? companyName
        .normalize('NFD')
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase()
    : 'direction';
  return `rapport-kpi-${scope}-${kind === 'weekly' ? 'hebdo' : 'mensuel'}-${start}.${ext}`;
}

export function createKpiReportActivities({ db, mailer }: KpiReportDeps) {
  return {
    /** The scopes with at least one subscriber to this frequency: management first, then the companies. */
    async reportScopes({ kind }: { kind: ReportPeriodKind }): Promise<ReportScope[]> {
      const scopes = await scopesWithSubscribers(db, kind);
      return scopes
        .map((clientId): ReportScope => (clientId === null ? { kind: 'management' } : { kind: 'client', clientId }))
        .sort((a, b) => (a.kind === 'management' ? -1 : b.kind === 'management' ? 1 : a.clientId.localeCompare(b.clientId)));
    },

    /** Computes, renders and stores the report, unless it is stored already: then returns that one. */
    async produceKpiReport(input: {
      scope: ReportScope;
      period: ReportPeriod;
      workflowId: string;
    }): Promise<{ reportId: string; created: boolean }> {
      const clientId = input.scope.kind === 'client' ? input.scope.clientId : null;
      const existing = await findReport(db, clientId, input.period.kind, input.period.start);
      if (existing) return { reportId: existing.id, created: false };
      const { companyName, language } = await scopeDetails(db, input.scope);
      const figures = await gatherReportFigures(db, input.scope, input.period, companyName);
      const pdf = await renderKpiReportPdf(figures, language);
      const csv = reportCsv(figures, language);
      const stored = await insertReportOnce(db, {
        clientId,
        periodKind: input.period.kind,
        periodStart: input.period.start,
        periodEnd: input.period.end,
        language,
        figures,
        pdf,
        csv,
        workflowId: input.workflowId,
      });
      return { reportId: stored.id, created: stored.created };
    },

    /** Emails the stored report to each current subscriber, once per recipient (outbox key per report and account). */
    async emailKpiReport({ reportId }: { reportId: string }): Promise<{ sent: number; duplicates: number }> {
      const report = await reportForEmail(db, reportId);
      const recipients = await subscribersOf(db, report.clientId, report.periodKind);
      const scope = report.clientId
        ? { kind: 'client' as const, clientId: report.clientId, companyName: report.companyName ?? '' }
        : { kind: 'management' as const };
      const attachments = [
        {
          filename: reportFileName(report.periodKind, report.periodStart, report.companyName, 'pdf'),
          contentType: 'application/pdf',
          content: report.pdf,
        },
        {
          filename: reportFileName(report.periodKind, report.periodStart, report.companyName, 'csv'),
          contentType: 'text/csv; charset=utf-8',
          content: Buffer.from(report.csv, 'utf8'),
        },
      ];
      let sent = 0;
      let duplicates = 0;
      for (const recipient of recipients) {
        const language: ReportLanguage = recipient.locale === 'en' ? 'en' : 'fr';
        const t = REPORT_LABELS[language];
        const {
          title,
          scope: scopeName,
          period,
        } = titleOf({ scope, period: { kind: report.periodKind, start: report.periodStart, end: report.periodEnd } }, language);
        const result = await mailer.send({
          idempotencyKey: `kpi-report:${reportId}:${recipient.userId}`,
          to: [recipient.email],
          subject: t.subject(title, scopeName, period),
          text: t.body(recipient.displayName, title, scopeName, period),
          attachments,
        });
        if (result.duplicate) duplicates += 1;
        else sent += 1;
      }
      return { sent, duplicates };
    },
  };
}
