import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type DateOnly = ColumnType<string, string, never>;
/** Issued documents are immutable (a trigger rejects UPDATE/DELETE): no column is updatable. */
type Frozen<T> = ColumnType<T, T, never>;
type FrozenJson<T> = ColumnType<T, T | string, never>;

export interface ContractBillingTermsTable {
  contractId: string;
  roundingIncrementMinutes: Generated<number>;
  minimumBilledMinutes: Generated<number>;
  rateN1Cents: number | null;
  rateN2Cents: number | null;
  rateN3Cents: number | null;
  travelMode: ColumnType<'flat' | 'per_km' | 'included', 'flat' | 'per_km' | 'included' | undefined>;
  travelPerKmCents: Generated<number>;
  partsDiscountBasisPoints: Generated<number>;
  labourVatBasisPoints: Generated<number>;
  travelVatBasisPoints: Generated<number>;
  paymentTermsDays: number | null;
  /** How remote support time is billed (migration 0070). */
  remoteSupportBilling: ColumnType<RemoteSupportBilling, RemoteSupportBilling | undefined, RemoteSupportBilling>;
  /** Hourly rate of remote support; the contract's hourly rate when null. */
  remoteSupportRateCents: number | null;
}

/**
 * 'included': like on-site labour (free on a flat-rate contract, else drawn from the included
 * hours, the rest billed); 'billed': always billed; 'not_billed': never billed.
 */
export type RemoteSupportBilling = 'included' | 'billed' | 'not_billed';

export interface InvoiceCountersTable {
  series: 'FA' | 'AV';
  year: number;
  lastValue: number;
}

export interface InvoicesTable {
  id: Generated<string>;
  typeCode: Frozen<380 | 381>;
  series: Frozen<'FA' | 'AV'>;
  year: Frozen<number>;
  sequence: Frozen<number>;
  number: Frozen<string>;
  idempotencyKey: Frozen<string>;
  requestId: Frozen<string | null>;
  ticketNumber: Frozen<string | null>;
  creditedInvoiceId: Frozen<string | null>;
  clientId: Frozen<string>;
  contractId: Frozen<string | null>;
  issueDate: DateOnly;
  dueDate: DateOnly;
  deliveryDate: ColumnType<string | null, string | null, never>;
  currency: ColumnType<string, string | undefined, never>;
  /** Snapshots (SellerProfile, BuyerParty, PricedLine[], VatBreakdown[]): the document as issued. */
  seller: FrozenJson<unknown>;
  buyer: FrozenJson<unknown>;
  lines: FrozenJson<unknown>;
  vatBreakdown: FrozenJson<unknown>;
  totalExclVatCents: Frozen<number>;
  totalVatCents: Frozen<number>;
  totalInclVatCents: Frozen<number>;
  includedMinutesUsed: ColumnType<number, number | undefined, never>;
  reason: Frozen<string | null>;
  pdf: Frozen<Buffer>;
  xml: Frozen<Buffer>;
  createdAt: CreatedAt;
}

export type ContractBillingTermsRow = Selectable<ContractBillingTermsTable>;
export type InvoiceRow = Selectable<InvoicesTable>;
