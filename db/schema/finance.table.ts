import type { ColumnType, Generated } from 'kysely';

/** One payment per invoice (migration 0220); no row: unpaid. */
export interface InvoicePaymentsTable {
  invoiceId: string;
  clientId: string;
  /** YYYY-MM-DD. */
  paidOn: ColumnType<string, string, string>;
  recordedByUserId: string | null;
  recordedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The accounting settings of the FEC export (migration 0221): one row, JSON validated by the API. */
export interface AccountingSettingsTable {
  id: Generated<boolean>;
  settings: ColumnType<unknown, unknown, unknown>;
  updatedByUserId: string | null;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}
