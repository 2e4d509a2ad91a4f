/**
 * Every migration, in order. A static list (rather than a folder scan) loads the same way under
 * tsx, vitest and a bundled build. Add new migrations at the end; names sort by timestamp.
 */
import type { Migration } from 'kysely';
import * as dataModel from './2026_11_21_0001_data_model.js';
import * as siteWork from './2026_11_21_0002_site_work.js';
import * as dispatchPlans from './2026_11_21_0003_dispatch_plans.js';
import * as closure from './2026_11_21_0004_closure.js';
import * as billing from './2026_11_21_0040_billing.js';
import * as accessControl from './2026_11_21_0003_access_control.js';
import * as tenantPolicies from './2026_11_21_0050_tenant_policies.js';
import * as ticketSequence from './2026_11_21_0060_ticket_sequence.js';
import * as remoteSupport from './2026_11_21_0070_remote_support.js';
import * as oidcProviderConfig from './2026_11_21_0080_oidc_provider_config.js';
import * as planOverrides from './2026_11_21_0090_plan_overrides.js';
import * as intakeAttachments from './2026_11_21_0100_intake_attachments.js';
import * as timelineDetails from './2026_11_21_0110_timeline_details.js';
import * as intakeIdempotency from './2026_11_21_0130_intake_idempotency.js';
import * as ticketSubmitters from './2026_11_30_0145_ticket_submitters.js';

export const migrations: Record<string, Migration> = {
  '2026_11_21_0001_data_model': dataModel,
  '2026_11_21_0002_site_work': siteWork,
  '2026_11_21_0003_dispatch_plans': dispatchPlans,
  '2026_11_21_0004_closure': closure,
  '2026_11_21_0040_billing': billing,
  '2026_11_21_0003_access_control': accessControl,
  '2026_11_21_0050_tenant_policies': tenantPolicies,
  '2026_11_21_0060_ticket_sequence': ticketSequence,
  '2026_11_21_0070_remote_support': remoteSupport,
  '2026_11_21_0080_oidc_provider_config': oidcProviderConfig,
  '2026_11_21_0090_plan_overrides': planOverrides,
  '2026_11_21_0100_intake_attachments': intakeAttachments,
  '2026_11_21_0110_timeline_details': timelineDetails,
  '2026_11_21_0130_intake_idempotency': intakeIdempotency,
  '2026_11_30_0145_ticket_submitters': ticketSubmitters,
};
