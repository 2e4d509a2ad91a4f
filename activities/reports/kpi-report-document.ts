/**
 * What a scheduled KPI report says (docs/kpis.md "Scheduled reports"): the figures of one scope
 * for one period, the labels of the PDF and email in the report's language, and the CSV. Pure:
 * the activity gathers the figures, this file turns them into text.
 */
import { stringify } from 'csv-stringify/sync';
import type { SqlSummary } from '../../db/repositories/kpis.repository.js';
import type { ReportPeriod } from '../../workflows/reports/report-period.contract.js';

export type ReportLanguage = 'fr' | 'en';

export interface KpiReportFigures {
  scope: { kind: 'management' } | { kind: 'client'; clientId: string; companyName: string };
  period: ReportPeriod;
  summary: SqlSummary;
  /** Requests created per day of the period (every day, zeros included). */
  daily: { day: string; created: number }[];
  byServiceType: { serviceType: string; created: number }[];
  /** The last buckets (weeks for a weekly report, months for a monthly one) up to the period's end. */
  trend: { period: string; created: number; resolved: number; slaResolutionRate: number | null }[];
  recurring: { label: string; serviceType: string; requests: number; recurrences: number }[];
  /** Management only: the technicians' figures are not a client's business. */
  technicians: {
    name: string;
    visits: number;
    onSiteHours: number;
    resolved: number;
    firstTimeFixRate: number | null;
    meanRating: number | null;
  }[];
  /** Invoiced amount excl. VAT (credit notes deducted), in cents, and included hours used. */
  invoicedExclVatCents: number;
  includedHoursUsed: number;
}

export const REPORT_LABELS = {
  fr: {
    weekly: 'Rapport hebdomadaire',
    monthly: 'Rapport mensuel',
    management: 'Direction (tous clients)',
    periodOf: (start: string, lastDay: string) => `du ${frDate(start)} au ${frDate(lastDay)}`,
    volume: 'Volume',
    created: 'Demandes créées',
    closed: 'Demandes clôturées',
    cancelled: 'Demandes annulées',
    times: 'Délais (heures ouvrées)',
    firstResponse: 'Première réponse',
    resolution: 'Résolution',
    median: 'médiane',
    mean: 'moyenne',
    p90: 'p90',
    quality: 'Qualité',
    slaResponse: 'SLA réponse respecté',
    slaResolution: 'SLA résolution respecté',
    escalation: 'Taux d’escalade',
    firstTimeFix: 'Résolution au premier passage',
    recurrence: 'Récurrence à 30 jours',
    satisfactionMean: 'Satisfaction moyenne (/5)',
    promoters: 'Notes 4–5',
    surveyResponse: 'Taux de réponse à l’enquête',
    finance: 'Facturation',
    invoiced: 'Facturé HT',
    includedHours: 'Heures incluses consommées',
    dailyChart: 'Demandes créées par jour',
    serviceChart: 'Demandes créées par type de service',
    trendChart: (kind: 'weekly' | 'monthly') => (kind === 'weekly' ? 'Tendance sur 8 semaines' : 'Tendance sur 6 mois'),
    trendCreated: 'créées',
    trendResolved: 'résolues',
    recurringTitle: 'Problèmes récurrents',
    requests: 'Demandes',
    recurrences: 'Récurrences',
    technicians: 'Techniciens',
    technician: 'Technicien',
    visits: 'Visites',
    onSiteHours: 'Heures sur site',
    resolved: 'Résolues',
    rating: 'Note',
    day: 'Jour',
    serviceType: 'Type de service',
    period: 'Période',
    none: 'Aucun',
    hours: 'h',
    notAvailable: '—',
    serviceTypes: {
      hardware_repair: 'Réparation matériel',
      software_troubleshooting: 'Dépannage logiciel',
      network_configuration: 'Réseau',
      data_recovery: 'Récupération de données',
      security: 'Sécurité',
      hardware_upgrade: 'Évolution matériel',
    } as Record<string, string>,
    subject: (title: string, scope: string, period: string) => `${title} des indicateurs — ${scope} — ${period}`,
    body: (name: string, title: string, scope: string, period: string) =>
      `Bonjour ${name},\n\nVeuillez trouver ci-joint le ${title.toLowerCase()} des indicateurs de support (${scope}), ${period} : le PDF avec les graphiques et les tableaux, et le CSV des chiffres.\n\nVous recevez ce message car vous êtes abonné à ce rapport ; l’abonnement se gère dans l’application, page « Rapports programmés ».`,
    csvHeader: ['section', 'indicateur', 'libellé', 'clé', 'valeur'],
  },
  en: {
    weekly: 'Weekly report',
    monthly: 'Monthly report',
    management: 'Management (all clients)',
    periodOf: (start: string, lastDay: string) => `from ${start} to ${lastDay}`,
    volume: 'Volume',
    created: 'Requests created',
    closed: 'Requests closed',
    cancelled: 'Requests cancelled',
    times: 'Times (business hours)',
    firstResponse: 'First response',
    resolution: 'Resolution',
    median: 'median',
    mean: 'mean',
    p90: 'p90',
    quality: 'Quality',
    slaResponse: 'Response SLA met',
    slaResolution: 'Resolution SLA met',
    escalation: 'Escalation rate',
    firstTimeFix: 'First-time fix',
    recurrence: '30-day recurrence',
    satisfactionMean: 'Mean satisfaction (/5)',
    promoters: 'Ratings 4–5',
    surveyResponse: 'Survey response rate',
    finance: 'Invoicing',
    invoiced: 'Invoiced excl. VAT',
    includedHours: 'Included hours used',
    dailyChart: 'Requests created per day',
    serviceChart: 'Requests created per service type',
    trendChart: (kind: 'weekly' | 'monthly') => (kind === 'weekly' ? 'Trend over 8 weeks' : 'Trend over 6 months'),
    trendCreated: 'created',
    trendResolved: 'resolved',
    recurringTitle: 'Recurring problems',
    requests: 'Requests',
    recurrences: 'Recurrences',
    technicians: 'Technicians',
    technician: 'Technician',
    visits: 'Visits',
    onSiteHours: 'On-site hours',
    resolved: 'Resolved',
    rating: 'Rating',
    day: 'Day',
    serviceType: 'Service type',
    period: 'Period',
    none: 'None',
    hours: 'h',
    notAvailable: '—',
    serviceTypes: {
      hardware_repair: 'Hardware repair',
      software_troubleshooting: 'Software troubleshooting',
      network_configuration: 'Network',
      data_recovery: 'Data recovery',
      security: 'Security',
      hardware_upgrade: 'Hardware upgrade',
    } as Record<string, string>,
    subject: (title: string, scope: string, period: string) => `${title} of the indicators — ${scope} — ${period}`,
    body: (name: string, title: string, scope: string, period: string) =>
      `Hello ${name},\n\nAttached is the ${title.toLowerCase()} of the support indicators (${scope}), ${period}: the PDF with the charts and tables, and the CSV of the figures.\n\nYou receive this message because you subscribed to this report; manage the subscription in the app, page "Scheduled reports".`,
    csvHeader: ['section', 'indicator', 'label', 'key', 'value'],
  },
} as const;

export type ReportLabels = (typeof REPORT_LABELS)[ReportLanguage];

function frDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** The last day of the period (its end is exclusive). */
export function lastDayOf(period: Pick<ReportPeriod, 'end'>): string {
  return new Date(Date.parse(`${period.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

export function titleOf(
  figures: Pick<KpiReportFigures, 'scope'> & { period: Pick<ReportPeriod, 'kind' | 'start' | 'end'> },
  language: ReportLanguage,
) {
  const t = REPORT_LABELS[language];
  const scope = figures.scope.kind === 'management' ? t.management : figures.scope.companyName;
  return { title: t[figures.period.kind], scope, period: t.periodOf(figures.period.start, lastDayOf(figures.period)) };
}

/** A number as the report's language writes it in a spreadsheet cell (decimal comma in French). */
export function csvNumber(value: number | null, language: ReportLanguage): string {
  if (value === null || !Number.isFinite(value)) return '';
  const rounded = Math.round(value * 100) / 100;
  return language === 'fr' ? String(rounded).replace('.', ',') : String(rounded);
}

/**
 * The CSV: one row per figure (section, indicator id, label in the report's language, key of the
 * row within its section, value), `;`-separated with a UTF-8 BOM so spreadsheet software reads it
 * as written. Durations are business hours; rates are fractions (0–1).
 */
export function reportCsv(figures: KpiReportFigures, language: ReportLanguage): string {
  const t = REPORT_LABELS[language];
  const n = (v: number | null) => csvNumber(v, language);
  const h = (minutes: number | null) => (minutes === null ? '' : n(minutes / 60));
  const s = figures.summary;
  const rows: string[][] = [
    ['period', 'kind', t.period, '', figures.period.kind],
    ['period', 'start', t.period, '', figures.period.start],
    ['period', 'last_day', t.period, '', lastDayOf(figures.period)],
    ['period', 'scope', t.period, '', figures.scope.kind === 'management' ? 'management' : figures.scope.companyName],
    ['volume', 'created', t.created, '', String(s.created)],
    ['volume', 'closed', t.closed, '', String(s.closed)],
    ['volume', 'cancelled', t.cancelled, '', String(s.cancelled)],
    ['times', 'first_response_business_hours', t.firstResponse, 'median', h(s.firstResponse.business.median)],
    ['times', 'first_response_business_hours', t.firstResponse, 'mean', h(s.firstResponse.business.mean)],
    ['times', 'first_response_business_hours', t.firstResponse, 'p90', h(s.firstResponse.business.p90)],
    ['times', 'resolution_business_hours', t.resolution, 'median', h(s.resolution.business.median)],
    ['times', 'resolution_business_hours', t.resolution, 'mean', h(s.resolution.business.mean)],
    ['times', 'resolution_business_hours', t.resolution, 'p90', h(s.resolution.business.p90)],
    ['quality', 'sla_response_rate', t.slaResponse, '', n(s.slaResponse.rate)],
    ['quality', 'sla_resolution_rate', t.slaResolution, '', n(s.slaResolution.rate)],
    ['quality', 'escalation_rate', t.escalation, '', n(s.escalation.rate)],
    ['quality', 'first_time_fix_rate', t.firstTimeFix, '', n(s.firstTimeFix.rate)],
    ['quality', 'recurrence_rate', t.recurrence, '', n(s.recurrence.rate)],
    ['quality', 'satisfaction_mean', t.satisfactionMean, '', n(s.satisfaction.mean)],
    ['quality', 'satisfaction_promoters_rate', t.promoters, '', n(s.satisfaction.promoters.rate)],
    ['quality', 'survey_response_rate', t.surveyResponse, '', n(s.satisfaction.responseRate.rate)],
    ['finance', 'invoiced_excl_vat_eur', t.invoiced, '', n(figures.invoicedExclVatCents / 100)],
    ['finance', 'included_hours_used', t.includedHours, '', n(figures.includedHoursUsed)],
    ...figures.daily.map((d) => ['daily', 'created', t.dailyChart, d.day, String(d.created)]),
    ...figures.byServiceType.map((d) => [
      'service_type',
      'created',
      t.serviceTypes[d.serviceType] ?? d.serviceType,
      d.serviceType,
      String(d.created),
    ]),
    ...figures.trend.flatMap((b) => [
      ['trend', 'created', t.trendCreated, b.period, String(b.created)],
      ['trend', 'resolved', t.trendResolved, b.period, String(b.resolved)],
      ['trend', 'sla_resolution_rate', t.slaResolution, b.period, n(b.slaResolutionRate)],
    ]),
    ...figures.recurring.flatMap((r) => [
      ['recurring', 'requests', r.label, r.serviceType, String(r.requests)],
      ['recurring', 'recurrences', r.label, r.serviceType, String(r.recurrences)],
    ]),
    ...figures.technicians.flatMap((r) => [
      ['technicians', 'visits', r.name, '', String(r.visits)],
      ['technicians', 'on_site_hours', r.name, '', n(r.onSiteHours)],
      ['technicians', 'resolved', r.name, '', String(r.resolved)],
      ['technicians', 'first_time_fix_rate', r.name, '', n(r.firstTimeFixRate)],
      ['technicians', 'mean_rating', r.name, '', n(r.meanRating)],
    ]),
  ];
  return `\ufeff${stringify([[...t.csvHeader], ...rows], { delimiter: ';' })}`;
}
