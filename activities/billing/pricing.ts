/**
 * Invoice arithmetic, pure and in integer cents. The rounding follows EN 16931: each line net
 * amount is rounded to the cent (BT-131); VAT is computed once per rate on the sum of the line
 * amounts of that rate (BR-CO-17: BT-117 = BT-116 × BT-119 / 100, rounded to the cent), never by
 * summing per-line VAT; the document totals are plain sums of those rounded figures
 * (BR-CO-10 … BR-CO-16). Rounding is half away from zero, done on integers (BigInt), so no
 * binary float ever touches an amount.
 */

import { amountString, decimalString, formatRate, type VatBreakdown, type VatCategory } from '../../workflows/billing/billing.format.js';

// Formatting lives in a pure shared module (the API's CSV export uses it too); re-exported for
// the renderers and tests that read it from here.
export {
  amountString,
  decimalString,
  formatMoney,
  formatRate,
  type VatBreakdown,
  type VatCategory,
} from '../../workflows/billing/billing.format.js';

/** UN/ECE Rec 20 unit codes used on our lines: hour, kilometre, one (piece, flat fee). */
export type UnitCode = 'HUR' | 'KMT' | 'C62';
export type LineKind = 'labour' | 'travel' | 'part';

export interface PricedLine {
  /** 1-based, stable: credit notes point at it. */
  lineId: number;
  kind: LineKind;
  sku: string | null;
  /** What the client reads (French). */
  description: string;
  /** Why the line is free or discounted (contract coverage, warranty), French; null otherwise. */
  coverageNote: string | null;
  /** Decimal string, at most 4 decimals (BT-129). */
  quantity: string;
  unitCode: UnitCode;
  /** Catalogue or contract price before a coverage discount; equals unitPriceCents without one. */
  grossUnitPriceCents: number;
  /** Net price per unit (BT-146), after the discount. */
  unitPriceCents: number;
  /** BT-131: rounded to the cent. */
  netAmountCents: number;
  vatCategory: VatCategory;
  /** 2000 = 20 %. */
  vatRateBasisPoints: number;
  /** Set on credit-note lines: the credited invoice line. */
  sourceLineId?: number;
}

export interface DocumentTotals {
  /** BT-106 (= BT-109 here: no document-level allowances or charges). */
  lineTotalCents: number;
  taxBasisTotalCents: number;
  /** BT-110. */
  vatTotalCents: number;
  /** BT-112 (= BT-115 amount due: nothing prepaid). */
  grandTotalCents: number;
  vat: VatBreakdown[];
}

/** n / d rounded half away from zero, on integers. */
export function roundDiv(n: bigint | number, d: bigint | number): number {
  const num = BigInt(n);
  const den = BigInt(d);
  if (den <= 0n) throw new RangeError('divisor must be positive');
  const negative = num < 0n;
  const abs = negative ? -num : num;
  const q = (abs * 2n + den) / (den * 2n);
  const result = Number(negative ? -q : q);
  if (!Number.isSafeInteger(result)) throw new RangeError('amount out of range');
  return result;
}

/** VAT on a basis: BR-CO-17. */
export function vatOf(basisCents: number, rateBasisPoints: number): number {
  return roundDiv(BigInt(basisCents) * BigInt(rateBasisPoints), 10_000n);
}

export function vatCategoryOf(rateBasisPoints: number): VatCategory {
  return rateBasisPoints === 0 ? 'Z' : 'S';
}

/** Totals per VAT rate and for the document, from already-rounded line amounts. */
export function computeTotals(lines: readonly Pick<PricedLine, 'netAmountCents' | 'vatCategory' | 'vatRateBasisPoints'>[]): DocumentTotals {
  const byRate = new Map<string, VatBreakdown>();
  for (const line of lines) {
    const key = `${line.vatCategory}:${line.vatRateBasisPoints}`;
    const entry = byRate.get(key) ?? {
      vatCategory: line.vatCategory,
      vatRateBasisPoints: line.vatRateBasisPoints,
      basisCents: 0,
      vatCents: 0,
    };
    entry.basisCents += line.netAmountCents;
    byRate.set(key, entry);
  }
  const vat = [...byRate.values()]
    .map((entry) => ({ ...entry, vatCents: vatOf(entry.basisCents, entry.vatRateBasisPoints) }))
    .sort((a, b) => b.vatRateBasisPoints - a.vatRateBasisPoints);
  const lineTotalCents = lines.reduce((sum, line) => sum + line.netAmountCents, 0);
  const vatTotalCents = vat.reduce((sum, entry) => sum + entry.vatCents, 0);
  return {
    lineTotalCents,
    taxBasisTotalCents: lineTotalCents,
    vatTotalCents,
    grandTotalCents: lineTotalCents + vatTotalCents,
    vat,
  };
}

/** Parses a numeric(…,2) string from PostgreSQL into hundredths, exactly. */
export function parseHundredths(value: string | number): number {
  const text = typeof value === 'number' ? value.toFixed(2) : value.trim();
  const match = /^(\d+)(?:\.(\d{1,2})\d*)?$/.exec(text);
  if (!match) throw new RangeError(`not a non-negative decimal: ${text}`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

// ---------------------------------------------------------------------------------------------
// From an intervention to lines.

export type TechnicianLevel = 'N1' | 'N2' | 'N3';

/** The contract's billing rules (contracts + contract_billing_terms, defaults applied). */
export interface BillingTerms {
  kind: 'standard' | 'premium' | 'flat_rate' | 'time_and_materials';
  hourlyRateCents: number;
  /** Per level, overriding hourlyRateCents when set. */
  ratePerLevelCents: Partial<Record<TechnicianLevel, number>>;
  roundingIncrementMinutes: number;
  minimumBilledMinutes: number;
  travelMode: 'flat' | 'per_km' | 'included';
  travelFeeCents: number;
  travelPerKmCents: number;
  /** Included hours per calendar month, in minutes. */
  includedMinutesPerMonth: number;
  /** 10000 = parts fully covered by the contract. */
  partsDiscountBasisPoints: number;
  labourVatBasisPoints: number;
  travelVatBasisPoints: number;
  /**
   * Remote support time (a support agent's remote resolution): 'included' treats it like on-site
   * labour (free on a flat-rate contract, else drawn from the included hours, the rest billed),
   * 'billed' always bills it, 'not_billed' leaves it off the invoice.
   */
  remoteSupportBilling: 'included' | 'billed' | 'not_billed';
  /** Hourly rate of remote support; hourlyRateCents when null. */
  remoteSupportRateCents: number | null;
}

export const DEFAULT_TERMS: Omit<BillingTerms, 'kind' | 'hourlyRateCents' | 'travelFeeCents' | 'includedMinutesPerMonth'> = {
  ratePerLevelCents: {},
  roundingIncrementMinutes: 15,
  minimumBilledMinutes: 30,
  travelMode: 'flat',
  travelPerKmCents: 0,
  partsDiscountBasisPoints: 0,
  labourVatBasisPoints: 2000,
  travelVatBasisPoints: 2000,
  remoteSupportBilling: 'included',
  remoteSupportRateCents: null,
};

export interface VisitInput {
  checkedInAt: Date;
  checkedOutAt: Date;
  mode: 'on_site' | 'remote';
  /** numeric(7,2) as hundredths of a km. */
  travelHundredthsKm: number;
  technicianLevel: TechnicianLevel;
}

/** Time support declared for a remote resolution (no check-in/out: the minutes are the record). */
export interface RemoteSessionInput {
  performedAt: Date;
  minutes: number;
}

export interface PartInput {
  sku: string;
  label: string;
  quantity: number;
  unitPriceCents: number;
  vatRateBasisPoints: number;
  underWarranty: boolean;
}

export interface PricingInput {
  terms: BillingTerms;
  visits: readonly VisitInput[];
  parts: readonly PartInput[];
  /** Remote support sessions; none when absent. */
  remoteSessions?: readonly RemoteSessionInput[];
  /** Included minutes of this contract already consumed this month by earlier invoices. */
  includedMinutesAlreadyUsed: number;
  /** IANA zone for the dates printed on lines. */
  timezone: string;
}

export interface PricingResult {
  lines: PricedLine[];
  totals: DocumentTotals;
  /** Minutes of the monthly allowance this invoice consumes. */
  includedMinutesUsed: number;
  /** Time actually spent, before rounding (for the record). */
  actualMinutes: number;
  billedMinutes: number;
}

/** The contract rule: whole increments, at least the minimum. */
export function billedMinutesFor(
  actualMinutes: number,
  terms: Pick<BillingTerms, 'roundingIncrementMinutes' | 'minimumBilledMinutes'>,
): number {
  if (actualMinutes <= 0 && terms.minimumBilledMinutes === 0) return 0;
  const step = terms.roundingIncrementMinutes;
  const rounded = Math.ceil(actualMinutes / step) * step;
  return Math.max(rounded, terms.minimumBilledMinutes);
}

/** Minutes between check-in and check-out, whole minutes (a started minute is not billed). */
export function actualMinutesOf(visit: Pick<VisitInput, 'checkedInAt' | 'checkedOutAt'>): number {
  return Math.max(0, Math.floor((visit.checkedOutAt.getTime() - visit.checkedInAt.getTime()) / 60_000));
}

function hoursQuantity(minutes: number): string {
  // Four decimals at most (BT-129); the amount is computed from the exact minutes.
  return decimalString(roundDiv(minutes * 10_000, 60), 4);
}

function dateLabel(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: timezone, day: '2-digit', month: '2-digit', year: 'numeric' }).format(date);
}

function timeLabel(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

/** Prices an intervention: labour per visit and remote session, travel per on-site visit, parts, coverage. */
export function priceIntervention(input: PricingInput): PricingResult {
  const { terms } = input;
  const lines: Omit<PricedLine, 'lineId'>[] = [];
  const flatRate = terms.kind === 'flat_rate';
  let allowance = Math.max(0, terms.includedMinutesPerMonth - input.includedMinutesAlreadyUsed);
  let includedMinutesUsed = 0;
  let actualTotal = 0;
  let billedTotal = 0;

  const labour = (minutes: number, rate: number, description: string, coverageNote: string | null, free: boolean) => {
    if (minutes <= 0) return;
    lines.push({
      kind: 'labour',
      sku: null,
      description,
      coverageNote,
      quantity: hoursQuantity(minutes),
      unitCode: 'HUR',
      grossUnitPriceCents: rate,
      unitPriceCents: free ? 0 : rate,
      netAmountCents: free ? 0 : roundDiv(BigInt(minutes) * BigInt(rate), 60n),
      vatCategory: vatCategoryOf(terms.labourVatBasisPoints),
      vatRateBasisPoints: terms.labourVatBasisPoints,
    });
  };
  /** The contract's labour coverage: all of it on a flat rate, else the included hours first. */
  const coveredLabour = (billed: number, rate: number, label: string) => {
    if (flatRate) {
      labour(billed, rate, label, 'Inclus au forfait du contrat', true);
      return;
    }
    const covered = Math.min(allowance, billed);
    allowance -= covered;
    includedMinutesUsed += covered;
    labour(covered, rate, label, `Heures incluses au contrat (${decimalString(roundDiv(covered * 100, 60), 2).replace('.', ',')} h)`, true);
    labour(billed - covered, rate, label, null, false);
  };

  // Visits and remote sessions in the order they happened: the included hours go to the earliest.
  type Work = { at: Date; visit: VisitInput; remote?: never } | { at: Date; remote: RemoteSessionInput; visit?: never };
  const remoteSessions = terms.remoteSupportBilling === 'not_billed' ? [] : (input.remoteSessions ?? []);
  const work: Work[] = [
    ...input.visits.map((visit) => ({ at: visit.checkedInAt, visit })),
    ...remoteSessions.map((remote) => ({ at: remote.performedAt, remote })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const item of work) {
    if (item.remote) {
      const { remote } = item;
      const billed = billedMinutesFor(remote.minutes, terms);
      actualTotal += remote.minutes;
      billedTotal += billed;
      const rate = terms.remoteSupportRateCents ?? terms.hourlyRateCents;
      const label = `Assistance à distance — ${dateLabel(remote.performedAt, input.timezone)} ${timeLabel(remote.performedAt, input.timezone)}, ${remote.minutes} min réalisées`;
      if (terms.remoteSupportBilling === 'billed') labour(billed, rate, label, null, false);
      else coveredLabour(billed, rate, label);
      continue;
    }
    const { visit } = item;
    const actual = actualMinutesOf(visit);
    const billed = billedMinutesFor(actual, terms);
    actualTotal += actual;
    billedTotal += billed;
    const rate = terms.ratePerLevelCents[visit.technicianLevel] ?? terms.hourlyRateCents;
    const when = `${dateLabel(visit.checkedInAt, input.timezone)} ${timeLabel(visit.checkedInAt, input.timezone)}–${timeLabel(visit.checkedOutAt, input.timezone)}`;
    const label = `Main d'œuvre technicien ${visit.technicianLevel}${visit.mode === 'remote' ? ' (à distance)' : ''} — ${when}, ${actual} min réalisées`;
    coveredLabour(billed, rate, label);

    if (visit.mode === 'on_site') {
      const travelFree = flatRate || terms.travelMode === 'included';
      const note = flatRate ? 'Inclus au forfait du contrat' : travelFree ? 'Déplacement inclus au contrat' : null;
      const vat = { vatCategory: vatCategoryOf(terms.travelVatBasisPoints), vatRateBasisPoints: terms.travelVatBasisPoints };
      if (terms.travelMode === 'per_km') {
        const price = terms.travelPerKmCents;
        lines.push({
          kind: 'travel',
          sku: null,
          description: `Déplacement — ${dateLabel(visit.checkedInAt, input.timezone)}, ${decimalString(visit.travelHundredthsKm, 2).replace('.', ',')} km`,
          coverageNote: note,
          quantity: decimalString(visit.travelHundredthsKm, 2),
          unitCode: 'KMT',
          grossUnitPriceCents: price,
          unitPriceCents: travelFree ? 0 : price,
          netAmountCents: travelFree ? 0 : roundDiv(BigInt(visit.travelHundredthsKm) * BigInt(price), 100n),
          ...vat,
        });
      } else {
        const price = terms.travelFeeCents;
        if (price > 0 || travelFree) {
          lines.push({
            kind: 'travel',
            sku: null,
            description: `Déplacement forfaitaire — ${dateLabel(visit.checkedInAt, input.timezone)}`,
            coverageNote: note,
            quantity: '1',
            unitCode: 'C62',
            grossUnitPriceCents: price,
            unitPriceCents: travelFree ? 0 : price,
            netAmountCents: travelFree ? 0 : price,
            ...vat,
          });
        }
      }
    }
  }

  for (const part of input.parts) {
    const discount = part.underWarranty
      ? part.unitPriceCents
      : roundDiv(BigInt(part.unitPriceCents) * BigInt(terms.partsDiscountBasisPoints), 10_000n);
    const net = part.unitPriceCents - discount;
    const coverageNote = part.underWarranty
      ? 'Pièce sous garantie'
      : terms.partsDiscountBasisPoints === 10_000
        ? 'Pièce couverte par le contrat'
        : terms.partsDiscountBasisPoints > 0
          ? `Remise contrat ${formatRate(terms.partsDiscountBasisPoints)}`
          : null;
    lines.push({
      kind: 'part',
      sku: part.sku,
      description: `${part.label} (réf. ${part.sku})`,
      coverageNote,
      quantity: String(part.quantity),
      unitCode: 'C62',
      grossUnitPriceCents: part.unitPriceCents,
      unitPriceCents: net,
      netAmountCents: net * part.quantity,
      vatCategory: vatCategoryOf(part.vatRateBasisPoints),
      vatRateBasisPoints: part.vatRateBasisPoints,
    });
  }

  const numbered = lines.map((line, index) => ({ lineId: index + 1, ...line }));
  return {
    lines: numbered,
    totals: computeTotals(numbered),
    includedMinutesUsed,
    actualMinutes: actualTotal,
    billedMinutes: billedTotal,
  };
}

export interface CreditSelection {
  lineId: number;
  /** Part of the line amount to credit; the whole remaining amount when absent. */
  amountCents?: number;
}

/**
 * Credit-note lines for an invoice: the whole invoice, or chosen lines (fully or for an amount),
 * never more than what is still uncredited on each line. Amounts are positive: the document
 * type (381) carries the sign.
 */
export function creditLines(
  invoiceLines: readonly PricedLine[],
  alreadyCredited: ReadonlyMap<number, number>,
  selection: readonly CreditSelection[] | 'all',
): PricedLine[] {
  const wanted: readonly CreditSelection[] = selection === 'all' ? invoiceLines.map((l) => ({ lineId: l.lineId })) : selection;
  const result: PricedLine[] = [];
  for (const pick of wanted) {
    const source = invoiceLines.find((l) => l.lineId === pick.lineId);
    if (!source) throw new CreditError(`line ${pick.lineId} is not on the invoice`, 'lines');
    const remaining = source.netAmountCents - (alreadyCredited.get(source.lineId) ?? 0);
    const amount = pick.amountCents ?? remaining;
    if (amount <= 0 && pick.amountCents !== undefined) throw new CreditError(`line ${pick.lineId}: the amount must be positive`, 'lines');
    if (amount > remaining) {
      throw new CreditError(
        `line ${pick.lineId}: ${amountString(amount)} exceeds the ${amountString(remaining)} still creditable`,
        'lines',
      );
    }
    if (amount === 0) continue;
    const whole = amount === source.netAmountCents;
    result.push({
      ...source,
      lineId: result.length + 1,
      sourceLineId: source.lineId,
      coverageNote: null,
      description: whole ? source.description : `Avoir partiel — ${source.description}`,
      quantity: whole ? source.quantity : '1',
      unitCode: whole ? source.unitCode : 'C62',
      grossUnitPriceCents: whole ? source.unitPriceCents : amount,
      unitPriceCents: whole ? source.unitPriceCents : amount,
      netAmountCents: amount,
    });
  }
  if (result.length === 0) throw new CreditError('nothing left to credit on this invoice', 'lines');
  return result;
}

export class CreditError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}
