/**
 * The finance workspace's routes beside the invoices: the accounting settings of the FEC export
 * and the contracts' consumption per month. Finance and admins only.
 */
import { z } from 'zod';
import { accountingSettings, accountingSettingsSchema, updateAccountingSettings } from '../finance/accounting-settings.js';
import { contractConsumption } from '../finance/contract-consumption.js';
import { route, type RouteSpec } from '../routing.js';
import { accountingSettingsResponseSchema, contractConsumptionSchema } from '../schemas/finance.response.js';

const FINANCE = ['finance', 'admin'] as const;
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM');

export function financeRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/finance/accounting-settings',
      tag: 'finance',
      summary: 'The accounting settings of the FEC export (the defaults until saved)',
      access: FINANCE,
      response: { 200: accountingSettingsResponseSchema },
      async handler({ res, db }) {
        res.json(await accountingSettings(db));
      },
    }),
    route({
      method: 'put',
      path: '/finance/accounting-settings',
      tag: 'finance',
      summary: 'Change the accounting settings: journal, sales accounts, VAT-collected accounts per rate, client accounts (audited)',
      access: FINANCE,
      body: accountingSettingsSchema,
      responses: { 200: 'Saved', 400: 'An invalid account number, label or rate (the field is named)' },
      response: { 200: accountingSettingsResponseSchema },
      async handler({ res, db, body, principal }) {
        res.json(await updateAccountingSettings(db, principal, body));
      },
    }),
    route({
      method: 'get',
      path: '/finance/contract-consumption',
      tag: 'finance',
      summary: 'Per contract and month (of the services): included hours used and remaining, covered and billed amounts',
      access: FINANCE,
      query: z.object({ from: month.optional(), to: month.optional(), clientId: z.uuid().optional() }),
      response: { 200: contractConsumptionSchema },
      async handler({ res, db, query }) {
        res.json(await contractConsumption(db, query));
      },
    }),
  ];
}
