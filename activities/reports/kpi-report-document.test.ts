/**
 * The CSV of a scheduled report says each figure once, in the report's language, as a spreadsheet
 * reads it: `;`-separated, UTF-8 BOM, decimal comma in French, durations in hours, rates 0–1.
 */
import { describe, expect, it } from 'vitest';
import type { SqlDistribution, SqlRate, SqlSummary } from '../../db/repositories/kpis.repository.js';
import { periodJustEnded } from '../../workflows/reports/report-period.contract.js';
import { csvNumber, lastDayOf, reportCsv, titleOf, type KpiReportFigures } from './kpi-report-document.js';

/** RFC 4180 reading of `;`-separated text (quotes, doubled quotes): enough for the report's rows. */
function parse(text: string, _options: { delimiter: ';' }): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  const endValue = () => {
    row.push(value);
    value = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        value += '"';
        i++;
      } else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') endValue();
    else if (c === '\n') {
      endValue();
      rows.push(row);
      row = [];
    } else if (c !== '\r') value += c;
  }
  if (value || row.length) {
    endValue();
    rows.push(row);
  }
  return rows;
}

const dist = (median: number | null, mean: number | null, p90: number | null, count = 0): SqlDistribution => ({ count, median, mean, p90 });
const rate = (numerator: number, denominator: number): SqlRate => ({
  numerator,
  denominator,
  rate: denominator === 0 ? null : numerator / denominator,
});

function figures(): KpiReportFigures {
  const summary: SqlSummary = {
    created: 4,
    closed: 3,
    cancelled: 1,
    firstResponse: { wall: dist(30, 40, 90, 4), business: dist(30, 45, 90, 4) },
    // 90 business minutes median = 1.5 h.
    resolution: { wall: dist(200, 250, 400, 3), business: dist(90, 150, 270, 3) },
    slaResponse: rate(3, 4),
    slaResolution: rate(2, 3),
    escalation: { ...rate(1, 4), delay: dist(60, 60, 60, 1) },
    firstTimeFix: rate(2, 3),
    recurrence: rate(0, 3),
    satisfaction: { mean: 4.5, promoters: rate(2, 2), responseRate: rate(2, 3) },
  };
  return {
    scope: { kind: 'client', clientId: '11111111-1111-1111-1111-111111111111', companyName: 'Boulangerie Dupré; fils' },
    period: periodJustEnded('weekly', new Date('2026-11-30T05:00:00Z')),
    summary,
    daily: [
      { day: '2026-11-23', created: 3 },
      { day: '2026-11-24', created: 1 },
    ],
    byServiceType: [{ serviceType: 'security', created: 4 }],
    trend: [{ period: '2026-11-23', created: 4, resolved: 3, slaResolutionRate: 2 / 3 }],
    recurring: [],
    technicians: [],
    invoicedExclVatCents: 123456,
    includedHoursUsed: 2.5,
  };
}

const cell = (rows: string[][], section: string, indicator: string, key = '') =>
  rows.filter((r) => r[0] === section && r[1] === indicator && r[3] === key).map((r) => r[4]);

describe('reportCsv', () => {
  it('writes every figure in French with decimal commas, hours and fractions', () => {
    const csv = reportCsv(figures(), 'fr');
    expect(csv.startsWith('\ufeff')).toBe(true);
    const rows: string[][] = parse(csv.slice(1), { delimiter: ';' });
    expect(rows[0]).toEqual(['section', 'indicateur', 'libellé', 'clé', 'valeur']);
    expect(cell(rows, 'period', 'start')).toEqual(['2026-11-23']);
    expect(cell(rows, 'period', 'last_day')).toEqual(['2026-11-29']);
    // The company name keeps its `;` (quoted), not a new column.
    expect(cell(rows, 'period', 'scope')).toEqual(['Boulangerie Dupré; fils']);
    expect(cell(rows, 'volume', 'created')).toEqual(['4']);
    expect(cell(rows, 'volume', 'closed')).toEqual(['3']);
    expect(cell(rows, 'volume', 'cancelled')).toEqual(['1']);
    expect(cell(rows, 'times', 'resolution_business_hours', 'median')).toEqual(['1,5']);
    expect(cell(rows, 'times', 'resolution_business_hours', 'p90')).toEqual(['4,5']);
    expect(cell(rows, 'times', 'first_response_business_hours', 'mean')).toEqual(['0,75']);
    expect(cell(rows, 'quality', 'sla_response_rate')).toEqual(['0,75']);
    expect(cell(rows, 'quality', 'sla_resolution_rate')).toEqual(['0,67']);
    expect(cell(rows, 'quality', 'recurrence_rate')).toEqual(['0']);
    expect(cell(rows, 'quality', 'satisfaction_mean')).toEqual(['4,5']);
    expect(cell(rows, 'finance', 'invoiced_excl_vat_eur')).toEqual(['1234,56']);
    expect(cell(rows, 'finance', 'included_hours_used')).toEqual(['2,5']);
    expect(cell(rows, 'daily', 'created', '2026-11-23')).toEqual(['3']);
    expect(cell(rows, 'daily', 'created', '2026-11-24')).toEqual(['1']);
    expect(rows.find((r) => r[0] === 'service_type')).toEqual(['service_type', 'created', 'Sécurité', 'security', '4']);
    expect(cell(rows, 'trend', 'sla_resolution_rate', '2026-11-23')).toEqual(['0,67']);
    // Every row has the five columns.
    expect(rows.every((r) => r.length === 5)).toBe(true);
  });

  it('writes English labels and decimal points, and leaves a figure without data empty', () => {
    const f = figures();
    f.summary.slaResponse = rate(0, 0);
    f.summary.satisfaction.mean = null;
    const rows: string[][] = parse(reportCsv(f, 'en').slice(1), { delimiter: ';' });
    expect(rows[0]).toEqual(['section', 'indicator', 'label', 'key', 'value']);
    expect(rows.find((r) => r[1] === 'created' && r[0] === 'volume')?.[2]).toBe('Requests created');
    expect(cell(rows, 'times', 'resolution_business_hours', 'median')).toEqual(['1.5']);
    expect(cell(rows, 'quality', 'sla_response_rate')).toEqual(['']);
    expect(cell(rows, 'quality', 'satisfaction_mean')).toEqual(['']);
  });
});

describe('report text', () => {
  it('names the period by its first and last day', () => {
    const f = figures();
    expect(lastDayOf(f.period)).toBe('2026-11-29');
    expect(titleOf(f, 'fr')).toEqual({
      title: 'Rapport hebdomadaire',
      scope: 'Boulangerie Dupré; fils',
      period: 'du 23/11/2026 au 29/11/2026',
    });
    expect(titleOf({ ...f, scope: { kind: 'management' } }, 'en').scope).toBe('Management (all clients)');
  });

  it('rounds numbers to two decimals', () => {
    expect(csvNumber(1 / 3, 'fr')).toBe('0,33');
    expect(csvNumber(null, 'fr')).toBe('');
    expect(csvNumber(12, 'en')).toBe('12');
  });
});
