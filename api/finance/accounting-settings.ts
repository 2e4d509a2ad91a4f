/**
 * The accounting settings of the FEC export, editable by finance and admins: journal, sales
 * accounts per line kind, VAT-collected accounts per rate, client accounts. The defaults (the
 * usual French chart of accounts) apply until someone saves them; every save is audited with
 * the settings before and after.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/index.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import { findAccountingSettings, saveAccountingSettings } from '../../db/repositories/finance.repository.js';
import type { Principal } from '../routing.js';
import { DEFAULT_ACCOUNTING_SETTINGS, type AccountingSettings } from './fec.js';

/** FEC CompteNum: letters and digits, at least 3 (the class, e.g. 411). */
const accountNumber = z.string().regex(/^[0-9A-Za-z]{3,20}$/, 'expected 3 to 20 letters or digits');
const label = z.string().trim().min(1, 'required').max(100);
const account = z.object({ number: accountNumber, label });

export const accountingSettingsSchema = z.object({
  journalCode: z.string().regex(/^[0-9A-Za-z]{1,10}$/, 'expected 1 to 10 letters or digits'),
  journalLabel: label,
  clientAccount: account,
  clientAuxiliaryPrefix: z.string().regex(/^[0-9A-Za-z]{0,10}$/, 'expected up to 10 letters or digits'),
  salesAccounts: z.object({ labour: account, travel: account, part: account }),
  vatAccounts: z
    .array(account.extend({ rateBasisPoints: z.number().int().min(1).max(10_000) }))
    .max(20)
    .refine((list) => new Set(list.map((a) => a.rateBasisPoints)).size === list.length, 'one account per rate'),
  defaultVatAccount: account,
}) satisfies z.ZodType<AccountingSettings>;

export const accountingSettingsResponseSchema = z
  .object({
    settings: accountingSettingsSchema,
    /** false while the defaults apply (nothing saved yet). */
    saved: z.boolean(),
    updatedAt: z.string().meta({ format: 'date-time' }).nullable(),
  })
  .meta({ id: 'AccountingSettingsState' });

/** The settings in force: the saved ones, or the defaults (also if the stored JSON no longer validates). */
export async function accountingSettings(db: Kysely<DB>) {
  const row = await findAccountingSettings(db);
  const parsed = row ? accountingSettingsSchema.safeParse(row.settings) : null;
  return parsed?.success
    ? { settings: parsed.data, saved: true, updatedAt: row!.updatedAt }
    : { settings: DEFAULT_ACCOUNTING_SETTINGS, saved: false, updatedAt: null };
}

export async function updateAccountingSettings(db: Kysely<DB>, principal: Principal | null, settings: AccountingSettings) {
  const before = await accountingSettings(db);
  const row = await saveAccountingSettings(db, settings, principal?.userId ?? null);
  await appendAudit(db, {
    actorUserId: principal?.userId ?? null,
    actorRole: principal?.role ?? null,
    action: 'accounting_settings_updated',
    entityType: 'accounting_settings',
    entityId: null,
    ip: null,
    userAgent: null,
    details: JSON.stringify({ before: before.saved ? before.settings : null, after: settings }),
  });
  return { settings, saved: true, updatedAt: row.updatedAt };
}
