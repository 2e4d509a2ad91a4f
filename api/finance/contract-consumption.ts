/**
 * Contract consumption per contract and month: the included hours, the minutes invoices drew
 * from them and what remains, the value of the work the contract covered (labour and travel
 * priced at the contract's rates but not charged: flat rate or included hours), and the amount
 * billed (invoices minus credit notes, excl. VAT). Months are those of the services delivered.
 */
import { DateTime } from 'luxon';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { contractDocuments, contractsInForce } from '../../db/repositories/finance.repository.js';
import { HttpError } from '../errors.js';

export interface ConsumptionContract {
  id: string;
  reference: string;
  name: string;
  kind: string;
  clientId: string;
  companyName: string;
  /** numeric, as a decimal string. */
  includedHoursPerMonth: string;
  startsOn: string;
  endsOn: string | null;
}

export interface ConsumptionDocument {
  contractId: string | null;
  typeCode: number;
  deliveryDate: string | null;
  includedMinutesUsed: number;
  totalExclVatCents: number;
  lines: readonly { kind: string; quantity: string; grossUnitPriceCents: number; netAmountCents: number }[];
}

export interface ConsumptionRow {
  contractId: string;
  reference: string;
  name: string;
  kind: string;
  clientId: string;
  companyName: string;
  /** YYYY-MM. */
  month: string;
  includedMinutes: number;
  usedMinutes: number;
  remainingMinutes: number;
  coveredCents: number;
  billedExclVatCents: number;
  invoiceCount: number;
}

/** The months from `from` to `to` (YYYY-MM), inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = DateTime.fromISO(`${from}-01`); m.toFormat('yyyy-MM') <= to; m = m.plus({ months: 1 })) months.push(m.toFormat('yyyy-MM'));
  return months;
}

/** The value of a line the contract covered: its gross price × quantity minus what was charged. */
function coveredValue(line: ConsumptionDocument['lines'][number]): number {
  if (line.kind !== 'labour' && line.kind !== 'travel') return 0;
  return Math.max(0, Math.round(line.grossUnitPriceCents * Number(line.quantity)) - line.netAmountCents);
}

/** Pure: one row per contract and month it was in force. */
export function consumption(
  contracts: readonly ConsumptionContract[],
  documents: readonly ConsumptionDocument[],
  months: readonly string[],
): ConsumptionRow[] {
  const rows: ConsumptionRow[] = [];
  for (const contract of contracts) {
    const includedMinutes = Math.round(Number(contract.includedHoursPerMonth) * 60);
    for (const month of months) {
      const inForce = contract.startsOn.slice(0, 7) <= month && (contract.endsOn === null || contract.endsOn.slice(0, 7) >= month);
      if (!inForce) continue;
      const docs = documents.filter((d) => d.contractId === contract.id && d.deliveryDate?.slice(0, 7) === month);
      const invoices = docs.filter((d) => d.typeCode === 380);
      const usedMinutes = invoices.reduce((s, d) => s + d.includedMinutesUsed, 0);
      rows.push({
        contractId: contract.id,
        reference: contract.reference,
        name: contract.name,
        kind: contract.kind,
        clientId: contract.clientId,
        companyName: contract.companyName,
        month,
        includedMinutes,
        usedMinutes,
        remainingMinutes: Math.max(0, includedMinutes - usedMinutes),
        coveredCents: invoices.reduce((s, d) => s + d.lines.reduce((t, l) => t + coveredValue(l), 0), 0),
        billedExclVatCents: docs.reduce((s, d) => s + (d.typeCode === 381 ? -1 : 1) * d.totalExclVatCents, 0),
        invoiceCount: invoices.length,
      });
    }
  }
  return rows;
}

const MAX_MONTHS = 24;

export async function contractConsumption(
  db: Kysely<DB>,
  query: { from?: string | undefined; to?: string | undefined; clientId?: string | undefined },
  now = new Date(),
) {
  const current = DateTime.fromJSDate(now).setZone('Europe/Paris');
  const to = query.to ?? current.toFormat('yyyy-MM');
  const from = query.from ?? DateTime.fromISO(`${to}-01`).minus({ months: 5 }).toFormat('yyyy-MM');
  if (from > to)
    throw new HttpError(400, 'validation_failed', 'from: must not be after `to`', [
      { field: 'query.from', message: 'must not be after `to`' },
    ]);
  const months = monthsBetween(from, to);
  if (months.length > MAX_MONTHS) {
    throw new HttpError(400, 'validation_failed', `from: at most ${MAX_MONTHS} months`, [
      { field: 'query.from', message: `at most ${MAX_MONTHS} months` },
    ]);
  }
  const firstDay = `${from}-01`;
  const lastDay = DateTime.fromISO(`${to}-01`).endOf('month').toISODate()!;
  const contracts = await contractsInForce(db, firstDay, lastDay, query.clientId);
  const documents = await contractDocuments(
    db,
    contracts.map((c) => c.id),
    firstDay,
    lastDay,
  );
  return { from, to, items: consumption(contracts, documents as ConsumptionDocument[], months) };
}
