/** What the finance workspace's routes answer (besides the invoice routes). */
import { z } from 'zod';

export { accountingSettingsResponseSchema } from '../finance/accounting-settings.js';

export const contractConsumptionSchema = z.object({
  /** YYYY-MM, the months covered. */
  from: z.string(),
  to: z.string(),
  items: z.array(
    z
      .object({
        contractId: z.string(),
        reference: z.string(),
        name: z.string(),
        kind: z.string(),
        clientId: z.string(),
        companyName: z.string(),
        month: z.string(),
        includedMinutes: z.number(),
        usedMinutes: z.number(),
        remainingMinutes: z.number(),
        /** Labour and travel at the contract's rates that the contract covered (flat rate, included hours). */
        coveredCents: z.number(),
        /** Invoices minus credit notes, excl. VAT, for services delivered that month. */
        billedExclVatCents: z.number(),
        invoiceCount: z.number(),
      })
      .meta({ id: 'ContractConsumption' }),
  ),
});
