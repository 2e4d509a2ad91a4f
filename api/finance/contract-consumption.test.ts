import { describe, expect, it } from 'vitest';
import { consumption, monthsBetween, type ConsumptionContract, type ConsumptionDocument } from './contract-consumption.js';
import { paymentStatusOf } from './invoice-selection.js';

const contract: ConsumptionContract = {
  id: 'k1',
  reference: 'CTR-1',
  name: 'Premium',
  kind: 'premium',
  clientId: 'c1',
  companyName: 'Boulangerie Martin',
  includedHoursPerMonth: '2.5',
  startsOn: '2032-02-15',
  endsOn: null,
};

/** 150 minutes of labour at 80 €/h, 120 of them included: 200,00 gross, 40,00 charged; travel 45,00 charged. */
const march: ConsumptionDocument = {
  contractId: 'k1',
  typeCode: 380,
  deliveryDate: '2032-03-10',
  includedMinutesUsed: 120,
  totalExclVatCents: 8500,
  lines: [
    { kind: 'labour', quantity: '2.5', grossUnitPriceCents: 8000, netAmountCents: 4000 },
    { kind: 'travel', quantity: '1', grossUnitPriceCents: 4500, netAmountCents: 4500 },
    { kind: 'part', quantity: '1', grossUnitPriceCents: 1999, netAmountCents: 0 },
  ],
};

describe('contract consumption', () => {
  it('lists the months of a range', () => {
    expect(monthsBetween('2031-11', '2032-02')).toEqual(['2031-11', '2031-12', '2032-01', '2032-02']);
  });

  it('gives per month in force: included, used, remaining, covered and billed (credit notes deducted)', () => {
    const credit: ConsumptionDocument = { ...march, typeCode: 381, includedMinutesUsed: 0, totalExclVatCents: 4500, lines: [] };
    const rows = consumption([contract], [march, credit, { ...march, contractId: 'other' }], ['2032-01', '2032-02', '2032-03']);
    // January is before the contract starts.
    expect(rows.map((r) => r.month)).toEqual(['2032-02', '2032-03']);
    expect(rows[0]).toMatchObject({
      includedMinutes: 150,
      usedMinutes: 0,
      remainingMinutes: 150,
      coveredCents: 0,
      billedExclVatCents: 0,
      invoiceCount: 0,
    });
    // Covered: 20000 − 4000 of labour (the warranty part is not the contract's coverage).
    expect(rows[1]).toMatchObject({
      includedMinutes: 150,
      usedMinutes: 120,
      remainingMinutes: 30,
      coveredCents: 16000,
      billedExclVatCents: 4000,
      invoiceCount: 1,
    });
  });

  it('derives the payment status: paid, unpaid until the due date, overdue after it; none for a credit note', () => {
    expect(paymentStatusOf({ typeCode: 380, dueDate: '2032-04-30', paidOn: null }, '2032-04-30')).toBe('unpaid');
    expect(paymentStatusOf({ typeCode: 380, dueDate: '2032-04-30', paidOn: null }, '2032-05-01')).toBe('overdue');
    expect(paymentStatusOf({ typeCode: 380, dueDate: '2032-04-30', paidOn: '2032-05-03' }, '2032-06-01')).toBe('paid');
    expect(paymentStatusOf({ typeCode: 381, dueDate: '2032-04-30', paidOn: null }, '2032-06-01')).toBeNull();
  });
});
