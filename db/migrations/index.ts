/**
 * Every migration, in order. A static list (rather than a folder scan) loads the same way under
 * tsx, vitest and a bundled build. Listed in name order, which is the order they run in (Kysely sorts by name); each has its own
 * number. Add new migrations at the end.
 */
import type { Migration } from 'kysely';
import * as dataModel from './2026_11_21_0001_data_model.js';
import * as siteWork from './2026_11_21_0002_site_work.js';
import * as accessControl from './2026_11_21_0003_access_control.js';
import * as dispatchPlans from './2026_11_21_0004_dispatch_plans.js';
import * as closure from './2026_11_21_0005_closure.js';
import * as billing from './2026_11_21_0040_billing.js';
import * as tenantPolicies from './2026_11_21_0050_tenant_policies.js';
import * as ticketSequence from './2026_11_21_0060_ticket_sequence.js';
import * as remoteSupport from './2026_11_21_0070_remote_support.js';
import * as oidcProviderConfig from './2026_11_21_0080_oidc_provider_config.js';
import * as planOverrides from './2026_11_21_0090_plan_overrides.js';
import * as intakeAttachments from './2026_11_21_0100_intake_attachments.js';
import * as timelineDetails from './2026_11_21_0110_timeline_details.js';
import * as intakeIdempotency from './2026_11_21_0130_intake_idempotency.js';
import * as rateLimits from './2026_11_21_0150_rate_limits.js';
import * as ticketSubmitters from './2026_11_30_0145_ticket_submitters.js';
import * as adminMasterData from './2026_11_30_0200_admin_master_data.js';
import * as invoicePayments from './2026_11_30_0220_invoice_payments.js';
import * as accountingSettings from './2026_11_30_0221_accounting_settings.js';
import * as knowledgeBase from './2026_11_30_0240_knowledge_base.js';
import * as kbSearchSpeed from './2026_11_30_0250_kb_search_speed.js';
import * as kbAttachments from './2026_11_30_0251_kb_attachments.js';
import * as kpiRequestFacts from './2026_11_30_0260_kpi_request_facts.js';
import * as surveyFollowUps from './2026_11_30_0261_survey_follow_ups.js';
import * as kpiReports from './2026_11_30_0280_kpi_reports.js';
import * as kpiSpeed from './2026_11_30_0290_kpi_speed.js';
import * as certificationRequirements from './2026_11_30_0300_certification_requirements.js';
import * as assetRegistry from './2026_11_30_0330_asset_registry.js';
import * as monitoringIntegrations from './2026_11_30_0340_monitoring_integrations.js';
import * as calendarInvites from './2026_11_30_0350_calendar_invites.js';
import * as dispatchSettings from './2026_11_30_0360_dispatch_settings.js';
import * as appointmentWindows from './2026_11_30_0361_appointment_windows.js';
import * as liveEvents from './2026_11_30_0380_live_events.js';

export const migrations: Record<string, Migration> = {
  '2026_11_21_0001_data_model': dataModel,
  '2026_11_21_0002_site_work': siteWork,
  '2026_11_21_0003_access_control': accessControl,
  '2026_11_21_0004_dispatch_plans': dispatchPlans,
  '2026_11_21_0005_closure': closure,
  '2026_11_21_0040_billing': billing,
  '2026_11_21_0050_tenant_policies': tenantPolicies,
  '2026_11_21_0060_ticket_sequence': ticketSequence,
  '2026_11_21_0070_remote_support': remoteSupport,
  '2026_11_21_0080_oidc_provider_config': oidcProviderConfig,
  '2026_11_21_0090_plan_overrides': planOverrides,
  '2026_11_21_0100_intake_attachments': intakeAttachments,
  '2026_11_21_0110_timeline_details': timelineDetails,
  '2026_11_21_0130_intake_idempotency': intakeIdempotency,
  '2026_11_21_0150_rate_limits': rateLimits,
  '2026_11_30_0145_ticket_submitters': ticketSubmitters,
  '2026_11_30_0200_admin_master_data': adminMasterData,
  '2026_11_30_0220_invoice_payments': invoicePayments,
  '2026_11_30_0221_accounting_settings': accountingSettings,
  '2026_11_30_0240_knowledge_base': knowledgeBase,
  '2026_11_30_0250_kb_search_speed': kbSearchSpeed,
  '2026_11_30_0251_kb_attachments': kbAttachments,
  '2026_11_30_0260_kpi_request_facts': kpiRequestFacts,
  '2026_11_30_0261_survey_follow_ups': surveyFollowUps,
  '2026_11_30_0280_kpi_reports': kpiReports,
  '2026_11_30_0290_kpi_speed': kpiSpeed,
  '2026_11_30_0300_certification_requirements': certificationRequirements,
  '2026_11_30_0330_asset_registry': assetRegistry,
  '2026_11_30_0340_monitoring_integrations': monitoringIntegrations,
  '2026_11_30_0350_calendar_invites': calendarInvites,
  '2026_11_30_0360_dispatch_settings': dispatchSettings,
  '2026_11_30_0361_appointment_windows': appointmentWindows,
  '2026_11_30_0380_live_events': liveEvents,
};

/**
 * Names under which databases migrated before the renumbering recorded two migrations (two files
 * shared the 0003 prefix). `renameLegacyMigrations` rewrites them before the migrator runs; the
 * order of execution they record is the same as the new names' order.
 */
export const LEGACY_MIGRATION_NAMES: readonly (readonly [legacy: string, current: string])[] = [
  ['2026_11_21_0004_closure', '2026_11_21_0005_closure'],
  ['2026_11_21_0003_dispatch_plans', '2026_11_21_0004_dispatch_plans'],
];
