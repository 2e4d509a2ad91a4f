import type { Kysely } from 'kysely';
import type { DB } from '../db/index.js';
import { createDispatchActivities } from './dispatch/dispatch.activities.js';
import { loadConfig } from '../scripts/config.js';
import { createBillingActivities } from './billing/billing.activities.js';
import { sellerProfileFromConfig, type SellerProfile } from './billing/seller-profile.js';
import type { Mailer } from './notifications/mailer.js';
import { createLifecycleActivities } from './lifecycle/lifecycle.activities.js';
import { createNotificationActivities } from './notifications/notifications.activities.js';
import { createRecordActivities } from './records/records.activities.js';
import { createRetentionActivities } from './retention/retention.activities.js';

export interface ActivityDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  /** Invoicing identity; defaults to the SELLER_* environment (scripts/config.ts). */
  seller?: SellerProfile;
  /** Where invoices are sent; defaults to FINANCE_EMAIL. */
  financeEmail?: string;
  /** Where SLA alerts go (support desk). */
  supportEmail?: string;
}

/** Every activity the worker registers, built over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  const config = deps.seller && deps.financeEmail ? null : loadConfig();
  return {
    ...createRecordActivities(deps),
    ...createNotificationActivities(deps),
    ...createDispatchActivities(deps),
    ...createBillingActivities({
      db: deps.db,
      mailer: deps.mailer,
      seller: deps.seller ?? sellerProfileFromConfig(config!),
      financeEmail: deps.financeEmail ?? config!.FINANCE_EMAIL,
    }),
    ...createLifecycleActivities(deps),
    ...createRetentionActivities(deps),
  };
}

export { createBillingActivities, type BillingDeps } from './billing/billing.activities.js';
export { sellerProfileFromConfig, type SellerProfile } from './billing/seller-profile.js';
export { createMailer, type Mailer, type EmailMessage } from './notifications/mailer.js';
