/**
 * The sales journal in the layout of the French Fichier des Écritures Comptables (FEC, article
 * A47 A-1 of the Livre des procédures fiscales): pure, no I/O.
 *
 * Each invoice is one balanced entry (écriture): the client's auxiliary account is debited the
 * total incl. VAT, the sales accounts are credited the net amounts of the lines (by line kind:
 * labour, travel, parts) and the VAT-collected accounts the VAT per rate. A credit note is the
 * same entry reversed. Entries are numbered 1, 2, … in the order of the documents (issue date,
 * then number); amounts are written with a comma decimal and no thousands separator, dates as
 * YYYYMMDD; the accounting currency is the euro, so Montantdevise and Idevise stay empty.
 */

/** The 18 columns, in the order of article A47 A-1. */
export const FEC_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

export type FecColumn = (typeof FEC_COLUMNS)[number];
export type FecLine = Record<FecColumn, string>;

export interface Account {
  number: string;
  label: string;
}

export type SalesLineKind = 'labour' | 'travel' | 'part';

export interface AccountingSettings {
  journalCode: string;
  journalLabel: string;
  /** The collective client account (general ledger), e.g. 411000. */
  clientAccount: Account;
  /** Auxiliary client account = prefix + the client's code (its SIREN, else the start of its id). */
  clientAuxiliaryPrefix: string;
  /** Sales (revenue) account per invoice line kind. */
  salesAccounts: Record<SalesLineKind, Account>;
  /** VAT-collected account per rate (basis points: 2000 = 20 %). */
  vatAccounts: (Account & { rateBasisPoints: number })[];
  /** For a rate without its own account. */
  defaultVatAccount: Account;
}

/** The French chart of accounts' usual choices (Plan comptable général). */
export const DEFAULT_ACCOUNTING_SETTINGS: AccountingSettings = {
  journalCode: 'VE',
  journalLabel: 'Journal des ventes',
  clientAccount: { number: '411000', label: 'Clients' },
  clientAuxiliaryPrefix: '411',
  salesAccounts: {
    labour: { number: '706000', label: 'Prestations de services' },
    travel: { number: '708500', label: 'Ports et frais accessoires facturés' },
    part: { number: '707000', label: 'Ventes de marchandises' },
  },
  vatAccounts: [
    { rateBasisPoints: 2000, number: '445712', label: 'TVA collectée 20 %' },
    { rateBasisPoints: 1000, number: '445711', label: 'TVA collectée 10 %' },
    { rateBasisPoints: 550, number: '445713', label: 'TVA collectée 5,5 %' },
    { rateBasisPoints: 210, number: '445714', label: 'TVA collectée 2,1 %' },
  ],
  defaultVatAccount: { number: '445710', label: 'TVA collectée' },
};

/** What the FEC reads of an issued document. */
export interface FecDocument {
  typeCode: 380 | 381;
  number: string;
  /** YYYY-MM-DD. */
  issueDate: string;
  clientId: string;
  clientName: string;
  clientSiren: string | null;
  lines: readonly { kind: string; netAmountCents: number }[];
  vatBreakdown: readonly { vatRateBasisPoints: number; vatCents: number }[];
  totalExclVatCents: number;
  totalInclVatCents: number;
}

/** 123456 → "1234,56"; -5 → "-0,05". */
export function fecAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** 2031-04-02 → 20310402. */
export const fecDate = (isoDate: string): string => isoDate.replaceAll('-', '');

/** The client's code in its auxiliary account: its SIREN, else the first 8 characters of its id. */
export function clientCode(doc: Pick<FecDocument, 'clientId' | 'clientSiren'>): string {
  return doc.clientSiren?.replace(/\s/g, '') || doc.clientId.replaceAll('-', '').slice(0, 8).toUpperCase();
}

/** Text fields must not carry the separators or line breaks. */
const clean = (text: string): string => text.replace(/[\t|\r\n]+/g, ' ').trim();

export class UnbalancedEntryError extends Error {}

/** The journal lines of the documents, entries numbered from `firstEntryNumber`. */
export function fecLines(documents: readonly FecDocument[], settings: AccountingSettings, firstEntryNumber = 1): FecLine[] {
  const ordered = [...documents].sort((a, b) => a.issueDate.localeCompare(b.issueDate) || a.number.localeCompare(b.number));
  const out: FecLine[] = [];
  ordered.forEach((doc, index) => {
    const entry = String(firstEntryNumber + index);
    const date = fecDate(doc.issueDate);
    const creditNote = doc.typeCode === 381;
    const label = clean(`${creditNote ? 'Avoir' : 'Facture'} ${doc.number} ${doc.clientName}`);
    const auxiliary = `${settings.clientAuxiliaryPrefix}${clientCode(doc)}`;
    const line = (account: Account, cents: number, side: 'debit' | 'credit', aux: { num: string; lib: string } | null): FecLine => {
      // A credit note swaps the sides.
      const debit = (side === 'debit') !== creditNote;
      return {
        JournalCode: settings.journalCode,
        JournalLib: clean(settings.journalLabel),
        EcritureNum: entry,
        EcritureDate: date,
        CompteNum: account.number,
        CompteLib: clean(account.label),
        CompAuxNum: aux?.num ?? '',
        CompAuxLib: aux ? clean(aux.lib) : '',
        PieceRef: doc.number,
        PieceDate: date,
        EcritureLib: label,
        Debit: fecAmount(debit ? cents : 0),
        Credit: fecAmount(debit ? 0 : cents),
        EcritureLet: '',
        DateLet: '',
        ValidDate: date,
        Montantdevise: '',
        Idevise: '',
      };
    };
    const lines: FecLine[] = [line(settings.clientAccount, doc.totalInclVatCents, 'debit', { num: auxiliary, lib: doc.clientName })];
    // Sales: the net amounts per account, in the order of the settings' kinds.
    const sales = new Map<string, { account: Account; cents: number }>();
    for (const l of doc.lines) {
      const account = settings.salesAccounts[l.kind as SalesLineKind] ?? settings.salesAccounts.labour;
      const current = sales.get(account.number) ?? { account, cents: 0 };
      current.cents += l.netAmountCents;
      sales.set(account.number, current);
    }
    for (const { account, cents } of sales.values()) if (cents !== 0) lines.push(line(account, cents, 'credit', null));
    // VAT collected per rate, highest rate first.
    const vat = new Map<string, { account: Account; cents: number }>();
    for (const v of [...doc.vatBreakdown].sort((a, b) => b.vatRateBasisPoints - a.vatRateBasisPoints)) {
      const account = settings.vatAccounts.find((a) => a.rateBasisPoints === v.vatRateBasisPoints) ?? settings.defaultVatAccount;
      const current = vat.get(account.number) ?? { account, cents: 0 };
      current.cents += v.vatCents;
      vat.set(account.number, current);
    }
    for (const { account, cents } of vat.values()) if (cents !== 0) lines.push(line(account, cents, 'credit', null));
    const credited = [...sales.values(), ...vat.values()].reduce((sum, s) => sum + s.cents, 0);
    if (credited !== doc.totalInclVatCents) {
      throw new UnbalancedEntryError(
        `${doc.number}: sales and VAT come to ${credited} cents, the total incl. VAT is ${doc.totalInclVatCents}`,
      );
    }
    out.push(...lines);
  });
  return out;
}

export type FecSeparator = 'tab' | 'pipe';

/** The file: a header line with the 18 column names, then one line per journal line (CRLF). */
export function fecText(lines: readonly FecLine[], separator: FecSeparator = 'tab'): string {
  const sep = separator === 'pipe' ? '|' : '\t';
  return [FEC_COLUMNS.join(sep), ...lines.map((l) => FEC_COLUMNS.map((c) => l[c]).join(sep))].map((l) => `${l}\r\n`).join('');
}

/** The file name the administration expects: <SIREN>FEC<closing date YYYYMMDD>.txt. */
export const fecFileName = (siren: string, closingDate: string): string =>
  `${siren.replace(/\s/g, '') || 'XXXXXXXXX'}FEC${fecDate(closingDate)}.txt`;
