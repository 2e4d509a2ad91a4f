import type { Kysely } from 'kysely';
import type { DB } from '../db/index.js';
import { createDispatchActivities } from './dispatch/dispatch.activities.js';
import { createBillingActivities } from './billing/billing.activities.js';
import type { SellerProfile } from './billing/seller-profile.js';
import type { Mailer } from './notifications/mailer.js';
import { createLifecycleActivities } from './lifecycle/lifecycle.activities.js';
import { createRecordActivities } from './records/records.activities.js';
import { createRetentionActivities } from './retention/retention.activities.js';
import { createReportActivities } from './reports/reports.activities.js';
import { createKpiReportActivities } from './reports/kpi-report.activities.js';

export interface ActivityDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  /** Invoicing identity: the composition root builds it from SELLER_* (sellerProfileFromConfig). */
  seller: SellerProfile;
  /** Where invoices and credit notes are sent (FINANCE_EMAIL). */
  financeEmail: string;
  /** Where SLA alerts and support notifications go, and who organises the invitations (SUPPORT_EMAIL). */
  supportEmail: string;
  /** The road-network travel-time service for the plans (ROUTING_URL); absent: the offline model. */
  routingUrl?: string;
}

/** Every activity the worker registers, built over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createRecordActivities(deps),
    ...createDispatchActivities({
      db: deps.db,
      mailer: deps.mailer,
      supportEmail: deps.supportEmail,
      ...(deps.routingUrl ? { routing: { url: deps.routingUrl } } : {}),
    }),
    ...createBillingActivities({ db: deps.db, mailer: deps.mailer, seller: deps.seller, financeEmail: deps.financeEmail }),
    ...createLifecycleActivities(deps),
    ...createRetentionActivities(deps),
    ...createReportActivities(deps),
    ...createKpiReportActivities(deps),
  };
}

export { classifyActivityErrors } from './errors.js';
export { createBillingActivities, type BillingDeps } from './billing/billing.activities.js';
export { sellerProfileFromConfig, type SellerProfile } from './billing/seller-profile.js';
export { createMailer, type Mailer, type EmailMessage } from './notifications/mailer.js';
