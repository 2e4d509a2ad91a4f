/**
 * The FEC export of a period: the documents issued in it (by issue date), written with the
 * accounting settings in force by the pure builder (fec.ts).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { documentsForJournal } from '../../db/repositories/finance.repository.js';
import { accountingSettings } from './accounting-settings.js';
import { fecFileName, fecLines, fecText, type FecDocument, type FecSeparator } from './fec.js';

export async function exportFec(db: Kysely<DB>, period: { from: string; to: string }, separator: FecSeparator) {
  const { settings } = await accountingSettings(db);
  const rows = await documentsForJournal(db, period.from, period.to);
  const documents: FecDocument[] = rows.map((r) => {
    const buyer = r.buyer as { name: string; siren: string | null };
    return {
      typeCode: r.typeCode,
      number: r.number,
      issueDate: r.issueDate,
      clientId: r.clientId,
      clientName: buyer.name,
      clientSiren: buyer.siren,
      lines: r.lines as FecDocument['lines'],
      vatBreakdown: r.vatBreakdown as FecDocument['vatBreakdown'],
      totalExclVatCents: r.totalExclVatCents,
      totalInclVatCents: r.totalInclVatCents,
    };
  });
  const siren = (rows.at(-1)?.seller as { siren?: string } | undefined)?.siren ?? '';
  return { text: fecText(fecLines(documents, settings), separator), fileName: fecFileName(siren, period.to), documents: rows.length };
}
