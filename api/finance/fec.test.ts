import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNTING_SETTINGS,
  FEC_COLUMNS,
  fecAmount,
  fecFileName,
  fecLines,
  fecText,
  UnbalancedEntryError,
  type FecDocument,
} from './fec.js';

/**
 * An invoice worked out by hand: 1 h 30 of labour at 80 € (120,00), travel 45,00, a part at
 * 19,99 € with 5,5 % VAT. VAT 20 % on 165,00 = 33,00; 5,5 % on 19,99 = 1,0995 → 1,10.
 * Total excl. VAT 184,99; incl. VAT 184,99 + 33,00 + 1,10 = 219,09.
 */
const invoice: FecDocument = {
  typeCode: 380,
  number: 'FA-2031-000002',
  issueDate: '2031-04-02',
  clientId: '7d3c1e52-9b1e-4a63-8f1e-0123456789ab',
  clientName: 'Boulangerie Martin',
  clientSiren: '552 100 554',
  lines: [
    { kind: 'labour', netAmountCents: 12000 },
    { kind: 'travel', netAmountCents: 4500 },
    { kind: 'part', netAmountCents: 1999 },
  ],
  vatBreakdown: [
    { vatRateBasisPoints: 550, vatCents: 110 },
    { vatRateBasisPoints: 2000, vatCents: 3300 },
  ],
  totalExclVatCents: 18499,
  totalInclVatCents: 21909,
};

/** A credit note of the travel line: 45,00 + 9,00 VAT = 54,00, issued the day after; no SIREN. */
const creditNote: FecDocument = {
  typeCode: 381,
  number: 'AV-2031-000001',
  issueDate: '2031-04-03',
  clientId: '7d3c1e52-9b1e-4a63-8f1e-0123456789ab',
  clientName: 'Boulangerie Martin',
  clientSiren: null,
  lines: [{ kind: 'travel', netAmountCents: 4500 }],
  vatBreakdown: [{ vatRateBasisPoints: 2000, vatCents: 900 }],
  totalExclVatCents: 4500,
  totalInclVatCents: 5400,
};

const pick = (columns: readonly string[]) => (line: Record<string, string>) => columns.map((c) => line[c]).join(' ');

describe('FEC builder', () => {
  it('writes amounts with a comma decimal and no thousands separator', () => {
    expect([fecAmount(0), fecAmount(5), fecAmount(21909), fecAmount(123456789), fecAmount(-5)]).toEqual([
      '0,00',
      '0,05',
      '219,09',
      '1234567,89',
      '-0,05',
    ]);
  });

  it('turns an invoice into one balanced entry: client debit = sales credits + VAT credits', () => {
    const lines = fecLines([invoice], DEFAULT_ACCOUNTING_SETTINGS);
    expect(lines.map(pick(['EcritureNum', 'CompteNum', 'CompAuxNum', 'Debit', 'Credit']))).toEqual([
      '1 411000 411552100554 219,09 0,00',
      '1 706000  0,00 120,00',
      '1 708500  0,00 45,00',
      '1 707000  0,00 19,99',
      '1 445712  0,00 33,00',
      '1 445713  0,00 1,10',
    ]);
    expect(lines[0]).toEqual({
      JournalCode: 'VE',
      JournalLib: 'Journal des ventes',
      EcritureNum: '1',
      EcritureDate: '20310402',
      CompteNum: '411000',
      CompteLib: 'Clients',
      CompAuxNum: '411552100554',
      CompAuxLib: 'Boulangerie Martin',
      PieceRef: 'FA-2031-000002',
      PieceDate: '20310402',
      EcritureLib: 'Facture FA-2031-000002 Boulangerie Martin',
      Debit: '219,09',
      Credit: '0,00',
      EcritureLet: '',
      DateLet: '',
      ValidDate: '20310402',
      Montantdevise: '',
      Idevise: '',
    });
  });

  it('reverses a credit note, numbers entries in date order, and uses the id when there is no SIREN', () => {
    const lines = fecLines([creditNote, invoice], DEFAULT_ACCOUNTING_SETTINGS);
    expect(lines.slice(6).map(pick(['EcritureNum', 'EcritureDate', 'CompteNum', 'CompAuxNum', 'Debit', 'Credit', 'EcritureLib']))).toEqual([
      '2 20310403 411000 4117D3C1E52 0,00 54,00 Avoir AV-2031-000001 Boulangerie Martin',
      '2 20310403 708500  45,00 0,00 Avoir AV-2031-000001 Boulangerie Martin',
      '2 20310403 445712  9,00 0,00 Avoir AV-2031-000001 Boulangerie Martin',
    ]);
  });

  it('follows the configured journal, accounts and VAT accounts (an unknown rate goes to the default account)', () => {
    const settings = {
      ...DEFAULT_ACCOUNTING_SETTINGS,
      journalCode: 'VT',
      clientAuxiliaryPrefix: 'C',
      salesAccounts: { ...DEFAULT_ACCOUNTING_SETTINGS.salesAccounts, travel: { number: '706000', label: 'Prestations' } },
      vatAccounts: [{ rateBasisPoints: 2000, number: '44571200', label: 'TVA 20' }],
    };
    const lines = fecLines([invoice], settings);
    expect(lines.map(pick(['JournalCode', 'CompteNum', 'CompAuxNum', 'Debit', 'Credit']))).toEqual([
      'VT 411000 C552100554 219,09 0,00',
      'VT 706000  0,00 165,00',
      'VT 707000  0,00 19,99',
      'VT 44571200  0,00 33,00',
      'VT 445710  0,00 1,10',
    ]);
  });

  it('refuses a document whose totals do not balance', () => {
    expect(() => fecLines([{ ...invoice, totalInclVatCents: 21910 }], DEFAULT_ACCOUNTING_SETTINGS)).toThrow(UnbalancedEntryError);
  });

  it('writes the 18 columns of article A47 A-1, tab- or pipe-separated, CRLF line ends', () => {
    const lines = fecLines([invoice], DEFAULT_ACCOUNTING_SETTINGS);
    const tab = fecText(lines).split('\r\n');
    expect(tab[0]).toBe(FEC_COLUMNS.join('\t'));
    expect(tab[0]!.split('\t')).toHaveLength(18);
    expect(tab[1]).toBe(
      'VE\tJournal des ventes\t1\t20310402\t411000\tClients\t411552100554\tBoulangerie Martin\tFA-2031-000002\t20310402\tFacture FA-2031-000002 Boulangerie Martin\t219,09\t0,00\t\t\t20310402\t\t',
    );
    expect(tab.at(-1)).toBe('');
    const pipe = fecText(lines, 'pipe').split('\r\n');
    expect(pipe[2]).toBe(
      'VE|Journal des ventes|1|20310402|706000|Prestations de services|||FA-2031-000002|20310402|Facture FA-2031-000002 Boulangerie Martin|0,00|120,00|||20310402||',
    );
    const withSeparators = fecLines([{ ...invoice, clientName: 'A|B\tC' }], DEFAULT_ACCOUNTING_SETTINGS);
    expect(withSeparators[0]!.CompAuxLib).toBe('A B C');
  });

  it('names the file <SIREN>FEC<closing date>.txt', () => {
    expect(fecFileName('123 456 789', '2031-12-31')).toBe('123456789FEC20311231.txt');
  });
});
