import { describe, expect, it } from 'vitest';
import {
  amountString,
  billedMinutesFor,
  computeTotals,
  creditLines,
  DEFAULT_TERMS,
  formatMoney,
  parseHundredths,
  priceIntervention,
  roundDiv,
  type BillingTerms,
  type VisitInput,
} from './pricing.js';

const terms = (overrides: Partial<BillingTerms> = {}): BillingTerms => ({
  ...DEFAULT_TERMS,
  kind: 'standard',
  hourlyRateCents: 9000,
  travelFeeCents: 4500,
  includedMinutesPerMonth: 0,
  ...overrides,
});

const visit = (minutes: number, overrides: Partial<VisitInput> = {}): VisitInput => ({
  checkedInAt: new Date('2026-11-20T09:00:00Z'),
  checkedOutAt: new Date(Date.parse('2026-11-20T09:00:00Z') + minutes * 60_000),
  mode: 'on_site',
  travelHundredthsKm: 0,
  technicianLevel: 'N2',
  ...overrides,
});

const price = (t: BillingTerms, visits: VisitInput[], parts: Parameters<typeof priceIntervention>[0]['parts'] = [], used = 0) =>
  priceIntervention({ terms: t, visits, parts, includedMinutesAlreadyUsed: used, timezone: 'Europe/Paris' });

const line = (netAmountCents: number, vatRateBasisPoints = 2000) => ({ netAmountCents, vatRateBasisPoints, vatCategory: 'S' as const });

describe('rounding', () => {
  it('rounds half away from zero on integers', () => {
    expect(roundDiv(5, 2)).toBe(3);
    expect(roundDiv(-5, 2)).toBe(-3);
    expect(roundDiv(4, 3)).toBe(1);
    expect(roundDiv(5, 3)).toBe(2);
    expect(roundDiv(44995, 10)).toBe(4500);
  });

  it('bills whole 15-minute increments with a 30-minute minimum', () => {
    const rule = { roundingIncrementMinutes: 15, minimumBilledMinutes: 30 };
    expect([0, 7, 30, 31, 45, 46, 98].map((m) => billedMinutesFor(m, rule))).toEqual([30, 30, 30, 45, 45, 60, 105]);
    expect(billedMinutesFor(0, { roundingIncrementMinutes: 10, minimumBilledMinutes: 0 })).toBe(0);
    expect(billedMinutesFor(11, { roundingIncrementMinutes: 10, minimumBilledMinutes: 0 })).toBe(20);
  });

  it('prints amounts with two decimals and French money with a comma', () => {
    expect(amountString(123456)).toBe('1234.56');
    expect(amountString(-5)).toBe('-0.05');
    expect(formatMoney(123456)).toBe('1 234,56 €');
    expect(formatMoney(4000, 'en')).toBe('€40.00');
    expect(parseHundredths('12.5')).toBe(1250);
    expect(parseHundredths('0.00')).toBe(0);
  });
});

describe('totals per VAT rate (EN 16931 BR-CO-17, BR-CO-10..16)', () => {
  it('computes VAT once on the sum of the lines of a rate, not line by line', () => {
    // Three 1-cent lines at 20 %: per line 0.2 c rounds to 0, on the 3 c basis it is 0.6 c → 1 c.
    const totals = computeTotals([line(1), line(1), line(1)]);
    expect(totals.vat).toEqual([{ vatCategory: 'S', vatRateBasisPoints: 2000, basisCents: 3, vatCents: 1 }]);
    expect(totals.grandTotalCents).toBe(4);
  });

  it('keeps one breakdown per rate and sums totals from the rounded figures', () => {
    const totals = computeTotals([line(10_001), line(3_333, 1000), line(1_999, 550), line(999, 210), line(2_500), line(1, 550)]);
    expect(totals.vat).toEqual([
      { vatCategory: 'S', vatRateBasisPoints: 2000, basisCents: 12_501, vatCents: 2_500 }, // 2500.2
      { vatCategory: 'S', vatRateBasisPoints: 1000, basisCents: 3_333, vatCents: 333 }, // 333.3
      { vatCategory: 'S', vatRateBasisPoints: 550, basisCents: 2_000, vatCents: 110 }, // 110.0
      { vatCategory: 'S', vatRateBasisPoints: 210, basisCents: 999, vatCents: 21 }, // 20.979
    ]);
    expect(totals.lineTotalCents).toBe(18_833);
    expect(totals.vatTotalCents).toBe(2_964);
    expect(totals.grandTotalCents).toBe(21_797);
  });

  it('rounds a half cent of VAT up (5.5 % of 0.10 € = 0.55 c → 1 c)', () => {
    expect(computeTotals([line(10, 550)]).vatTotalCents).toBe(1);
    expect(computeTotals([line(9, 550)]).vatTotalCents).toBe(0);
  });
});

describe('pricing an intervention', () => {
  it('bills labour in contract increments at the hourly rate, plus the flat travel fee', () => {
    const result = price(terms(), [visit(98)]);
    expect(result.lines.map((l) => [l.kind, l.quantity, l.unitCode, l.unitPriceCents, l.netAmountCents])).toEqual([
      ['labour', '1.75', 'HUR', 9000, 15_750],
      ['travel', '1', 'C62', 4500, 4500],
    ]);
    expect(result.totals.taxBasisTotalCents).toBe(20_250);
    expect(result.totals.vatTotalCents).toBe(4_050);
    expect(result.actualMinutes).toBe(98);
    expect(result.billedMinutes).toBe(105);
  });

  it('rounds the labour amount half up when the rate does not divide evenly', () => {
    // 30 min at 89.99 €/h = 44.995 € → 45.00 €.
    const result = price(terms({ hourlyRateCents: 8999, travelFeeCents: 0 }), [visit(25)]);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]!.netAmountCents).toBe(4500);
  });

  it('uses the rate of the technician level when the contract sets one', () => {
    const result = price(terms({ ratePerLevelCents: { N3: 12_000 } }), [
      visit(60, { technicianLevel: 'N3' }),
      visit(60, { technicianLevel: 'N1' }),
    ]);
    const labour = result.lines.filter((l) => l.kind === 'labour');
    expect(labour.map((l) => l.unitPriceCents)).toEqual([12_000, 9000]);
  });

  it('bills travel per kilometre with the amount rounded to the cent', () => {
    const result = price(terms({ travelMode: 'per_km', travelPerKmCents: 45 }), [visit(60, { travelHundredthsKm: 1250 })]);
    const travel = result.lines.find((l) => l.kind === 'travel')!;
    expect([travel.quantity, travel.unitCode, travel.netAmountCents]).toEqual(['12.5', 'KMT', 563]); // 5.625 €
  });

  it('charges no travel for a remote session', () => {
    const result = price(terms(), [visit(45, { mode: 'remote' })]);
    expect(result.lines.map((l) => l.kind)).toEqual(['labour']);
  });

  it('consumes the included hours of the month as a zero-priced line and bills the rest', () => {
    const result = price(terms({ includedMinutesPerMonth: 60 }), [visit(98)], [], 0);
    const labour = result.lines.filter((l) => l.kind === 'labour');
    expect(labour.map((l) => [l.quantity, l.unitPriceCents, l.netAmountCents, l.coverageNote !== null])).toEqual([
      ['1', 0, 0, true],
      ['0.75', 9000, 6750, false],
    ]);
    expect(result.includedMinutesUsed).toBe(60);
    // The month's allowance already used up: everything is billed.
    const later = price(terms({ includedMinutesPerMonth: 60 }), [visit(98)], [], 60);
    expect(later.includedMinutesUsed).toBe(0);
    expect(later.lines.filter((l) => l.kind === 'labour').map((l) => l.netAmountCents)).toEqual([15_750]);
  });

  it('shows labour and travel of a flat-rate contract as zero-priced lines and still bills parts', () => {
    const result = price(
      terms({ kind: 'flat_rate' }),
      [visit(120)],
      [{ sku: 'RAM-16', label: 'Barrette 16 Go', quantity: 2, unitPriceCents: 5990, vatRateBasisPoints: 2000, underWarranty: false }],
    );
    expect(result.lines.map((l) => [l.kind, l.netAmountCents, l.coverageNote])).toEqual([
      ['labour', 0, 'Inclus au forfait du contrat'],
      ['travel', 0, 'Inclus au forfait du contrat'],
      ['part', 11_980, null],
    ]);
    expect(result.totals.grandTotalCents).toBe(14_376);
  });

  it('prices warranty parts at zero and applies the contract parts discount to the others', () => {
    const result = price(
      terms({ partsDiscountBasisPoints: 1000, travelFeeCents: 0 }),
      [],
      [
        { sku: 'PSU-500', label: 'Alimentation 500 W', quantity: 1, unitPriceCents: 7999, vatRateBasisPoints: 2000, underWarranty: true },
        { sku: 'SSD-1TB', label: 'SSD 1 To', quantity: 3, unitPriceCents: 8999, vatRateBasisPoints: 2000, underWarranty: false },
      ],
    );
    expect(result.lines.map((l) => [l.sku, l.grossUnitPriceCents, l.unitPriceCents, l.netAmountCents, l.coverageNote])).toEqual([
      ['PSU-500', 7999, 0, 0, 'Pièce sous garantie'],
      ['SSD-1TB', 8999, 8099, 24_297, 'Remise contrat 10 %'], // discount 899.9 c → 900 c
    ]);
  });

  it('covers parts entirely when the contract includes them', () => {
    const result = price(
      terms({ partsDiscountBasisPoints: 10_000 }),
      [],
      [{ sku: 'KB', label: 'Clavier', quantity: 1, unitPriceCents: 2500, vatRateBasisPoints: 2000, underWarranty: false }],
    );
    expect(result.lines[0]).toMatchObject({ unitPriceCents: 0, netAmountCents: 0, coverageNote: 'Pièce couverte par le contrat' });
    expect(result.totals.grandTotalCents).toBe(0);
  });
});

describe('pricing remote support time', () => {
  // Support proposed the solution at 10:05 Paris time and declared 25 minutes.
  const session = (minutes = 25, at = '2026-11-20T09:05:00Z') => ({ performedAt: new Date(at), minutes });
  const remote = (t: BillingTerms, sessions: { performedAt: Date; minutes: number }[], visits: VisitInput[] = [], used = 0) =>
    priceIntervention({
      terms: t,
      visits,
      parts: [],
      remoteSessions: sessions,
      includedMinutesAlreadyUsed: used,
      timezone: 'Europe/Paris',
    });

  it('bills the time at the remote-support rate, rounded by the contract rule, with no travel', () => {
    const result = remote(terms({ remoteSupportBilling: 'billed', remoteSupportRateCents: 6000 }), [session(25)]);
    // 25 min → 30 min (15-minute increments, 30-minute minimum) at 60 €/h = 30,00 €.
    expect(result.lines).toEqual([
      {
        lineId: 1,
        kind: 'labour',
        sku: null,
        description: 'Assistance à distance — 20/11/2026 10:05, 25 min réalisées',
        coverageNote: null,
        quantity: '0.5',
        unitCode: 'HUR',
        grossUnitPriceCents: 6000,
        unitPriceCents: 6000,
        netAmountCents: 3000,
        vatCategory: 'S',
        vatRateBasisPoints: 2000,
      },
    ]);
    expect(result.totals).toMatchObject({ taxBasisTotalCents: 3000, vatTotalCents: 600, grandTotalCents: 3600 });
    expect([result.actualMinutes, result.billedMinutes]).toEqual([25, 30]);
  });

  it('falls back to the contract hourly rate and applies other rounding rules', () => {
    // 47 min in 10-minute increments, no minimum: 50 min at 89,99 €/h = 74,991 € → 74,99 €.
    const result = remote(terms({ hourlyRateCents: 8999, roundingIncrementMinutes: 10, minimumBilledMinutes: 0 }), [session(47)]);
    expect(result.lines.map((l) => [l.quantity, l.unitPriceCents, l.netAmountCents])).toEqual([['0.8333', 8999, 7499]]);
    // A 5-minute fix still bills the contract minimum.
    const short = remote(terms({ remoteSupportRateCents: 6000 }), [session(5)]);
    expect(short.lines.map((l) => [l.quantity, l.netAmountCents])).toEqual([['0.5', 3000]]);
  });

  it('draws included remote time from the monthly included hours, zero-priced, and bills the rest', () => {
    const t = terms({ includedMinutesPerMonth: 120, remoteSupportRateCents: 6000 });
    // 100 of the 120 minutes already used this month: 20 covered, 10 billed at the remote rate.
    const result = remote(t, [session(25)], [], 100);
    expect(result.lines.map((l) => [l.quantity, l.grossUnitPriceCents, l.unitPriceCents, l.netAmountCents, l.coverageNote])).toEqual([
      ['0.3333', 6000, 0, 0, 'Heures incluses au contrat (0,33 h)'],
      ['0.1667', 6000, 6000, 1000, null],
    ]);
    expect(result.includedMinutesUsed).toBe(20);
    // The allowance goes to the earliest work: the remote session before a later visit.
    const both = remote(terms({ includedMinutesPerMonth: 30 }), [session(25, '2026-11-19T09:05:00Z')], [visit(60)]);
    expect(both.lines.map((l) => [l.description.split(' — ')[0], l.netAmountCents])).toEqual([
      ['Assistance à distance', 0],
      ["Main d'œuvre technicien N2", 9000],
      ['Déplacement forfaitaire', 4500],
    ]);
    expect(both.includedMinutesUsed).toBe(30);
  });

  it('keeps billed remote time out of the included hours', () => {
    const result = remote(terms({ includedMinutesPerMonth: 600, remoteSupportBilling: 'billed' }), [session(25)]);
    expect(result.lines.map((l) => [l.netAmountCents, l.coverageNote])).toEqual([[4500, null]]);
    expect(result.includedMinutesUsed).toBe(0);
  });

  it('shows included remote time of a flat-rate contract as a zero-priced line', () => {
    const result = remote(terms({ kind: 'flat_rate' }), [session(25)]);
    expect(result.lines.map((l) => [l.kind, l.quantity, l.grossUnitPriceCents, l.netAmountCents, l.coverageNote])).toEqual([
      ['labour', '0.5', 9000, 0, 'Inclus au forfait du contrat'],
    ]);
    expect(result.totals.grandTotalCents).toBe(0);
    expect(result.includedMinutesUsed).toBe(0);
  });

  it('leaves remote time off the invoice when the contract never bills it', () => {
    const result = remote(terms({ remoteSupportBilling: 'not_billed' }), [session(25)], [visit(60)]);
    expect(result.lines.map((l) => l.description.split(' — ')[0])).toEqual(["Main d'œuvre technicien N2", 'Déplacement forfaitaire']);
    expect(result.actualMinutes).toBe(60);
  });
});

describe('credit-note lines', () => {
  const invoiceLines = price(terms(), [visit(98)]).lines;

  it('credits every line in full', () => {
    const lines = creditLines(invoiceLines, new Map(), 'all');
    expect(lines.map((l) => [l.sourceLineId, l.netAmountCents])).toEqual([
      [1, 15_750],
      [2, 4500],
    ]);
  });

  it('credits part of a line and refuses to credit more than what remains', () => {
    const partial = creditLines(invoiceLines, new Map(), [{ lineId: 2, amountCents: 1500 }]);
    expect(partial).toMatchObject([{ sourceLineId: 2, quantity: '1', unitPriceCents: 1500, netAmountCents: 1500 }]);
    expect(() => creditLines(invoiceLines, new Map([[2, 1500]]), [{ lineId: 2, amountCents: 3001 }])).toThrow(/exceeds/);
    expect(creditLines(invoiceLines, new Map([[2, 1500]]), [{ lineId: 2 }])[0]!.netAmountCents).toBe(3000);
    expect(() => creditLines(invoiceLines, new Map(), [{ lineId: 9 }])).toThrow(/not on the invoice/);
  });
});
