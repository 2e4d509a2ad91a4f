import { describe, expect, it } from 'vitest';
import { hoursOf, percent, toCsv, type Column } from './kpi-table.js';

type Row = { label: string; rate: number | null; minutes: number };
const columns: Column<Row>[] = [
  { header: 'Période', value: (r) => r.label },
  { header: 'Taux; en %', value: (r) => percent(r.rate), numeric: true },
  { header: 'Durée (h)', value: (r) => hoursOf(r.minutes), numeric: true },
];
const rows: Row[] = [
  { label: '2025-09-01', rate: 2 / 3, minutes: 95 },
  { label: 'Site "A", Paris', rate: null, minutes: 0 },
];

describe('dashboard CSV', () => {
  it('writes French CSV with ";", decimal commas, a header row, quoting only where needed, and a BOM', () => {
    // The quotes of the second row force its quoting; "Taux; en %" holds the separator.
    expect(toCsv('fr', columns, rows)).toBe('\ufeffPériode;"Taux; en %";Durée (h)\r\n2025-09-01;66,7;1,6\r\n"Site ""A"", Paris";;0\r\n');
  });

  it('writes English CSV with "," and decimal points', () => {
    expect(toCsv('en', columns, rows)).toBe('\ufeffPériode,Taux; en %,Durée (h)\r\n2025-09-01,66.7,1.6\r\n"Site ""A"", Paris",,0\r\n');
  });

  it('gives a column shown as "expected (low–high)" its three figures in three CSV columns', () => {
    type Week = { type: string; expected: number; low: number; high: number };
    const forecast: Column<Week>[] = [
      { header: 'Type', value: (r) => r.type },
      {
        header: 'Semaine du 7 déc.',
        value: (r) => r.expected,
        format: (v, r) => `${v} (${r.low}–${r.high})`,
        csv: [
          { header: 'Attendu', value: (r) => r.expected },
          { header: 'Bas', value: (r) => r.low },
          { header: 'Haut', value: (r) => r.high },
        ],
      },
    ];
    expect(toCsv('fr', forecast, [{ type: 'réseau', expected: 4.5, low: 2, high: 7.1 }])).toBe(
      '\ufeffType;Attendu;Bas;Haut\r\nréseau;4,5;2;7,1\r\n',
    );
  });

  it('rounds shares to a percentage and minutes to hours with one decimal, keeping "no value"', () => {
    expect([percent(0.8333), percent(null), hoursOf(90), hoursOf(null)]).toEqual([83.3, null, 1.5, null]);
  });
});
