import type {
  AccountLinksTable,
  AuditLogTable,
  ConsentsTable,
  CredentialTable,
  LoginThrottleTable,
  OidcLoginsTable,
  OidcProvidersTable,
  UsersTable,
} from './auth.table.js';
import type {
  AlertGroupsTable,
  AssetsTable,
  MonitoringIntegrationsTable,
  ClientContactsTable,
  ClientLocationsTable,
  ClientsTable,
  ContractSlaTargetsTable,
  ContractsTable,
  SiteClosuresTable,
  SiteOpeningHoursTable,
} from './clients.table.js';
import type { CalendarFeedTokensTable, NotificationsTable, OutboundMessagesTable, VisitInvitesTable } from './messages.table.js';
import type {
  AssignmentsTable,
  IntakeAttachmentsTable,
  IntakeIdempotencyKeysTable,
  TicketSubmittersTable,
  RequestAttachmentsTable,
  RequestEventsTable,
  ServiceRequestsTable,
} from './requests.table.js';
import type {
  TechnicianAbsencesTable,
  TechnicianCertificationsTable,
  ServiceTypeRequirementsTable,
  TechnicianShiftsTable,
  TechnicianSkillsTable,
  TechniciansTable,
} from './technicians.table.js';
import type { ContractBillingTermsTable, InvoiceCountersTable, InvoicesTable } from './billing.table.js';
import type { PartsCatalogueTable, PartsUsedTable, RemoteSessionsTable, SiteVisitsTable } from './work.table.js';
import type { DispatchPlansTable, DispatchSettingsTable } from './dispatch.table.js';
import type { InterventionReportsTable, SatisfactionSurveysTable } from './closure.table.js';
import type { KpiReportsTable, ReportSubscriptionsTable } from './kpi-reports.table.js';
import type { KpiRequestFactsTable, KpiVisitFactsTable, SurveyFollowUpsTable } from './kpi.table.js';
import type { AccountingSettingsTable, InvoicePaymentsTable } from './finance.table.js';
import type {
  KbArticleAttachmentsTable,
  KbArticleRequestsTable,
  KbArticlesTable,
  KbArticleVersionsTable,
  KbEventsTable,
  KbSearchesTable,
  KbVotesTable,
  KbWordsTable,
} from './knowledge.table.js';

/** The database as Kysely sees it (camelCase; the CamelCasePlugin maps to snake_case columns). */
export interface DB {
  clients: ClientsTable;
  clientContacts: ClientContactsTable;
  clientLocations: ClientLocationsTable;
  contracts: ContractsTable;
  contractSlaTargets: ContractSlaTargetsTable;
  assets: AssetsTable;
  monitoringIntegrations: MonitoringIntegrationsTable;
  alertGroups: AlertGroupsTable;
  technicians: TechniciansTable;
  technicianSkills: TechnicianSkillsTable;
  technicianCertifications: TechnicianCertificationsTable;
  technicianShifts: TechnicianShiftsTable;
  technicianAbsences: TechnicianAbsencesTable;
  serviceRequests: ServiceRequestsTable;
  requestAttachments: RequestAttachmentsTable;
  intakeAttachments: IntakeAttachmentsTable;
  intakeIdempotencyKeys: IntakeIdempotencyKeysTable;
  ticketSubmitters: TicketSubmittersTable;
  assignments: AssignmentsTable;
  requestEvents: RequestEventsTable;
  outboundMessages: OutboundMessagesTable;
  visitInvites: VisitInvitesTable;
  calendarFeedTokens: CalendarFeedTokensTable;
  notifications: NotificationsTable;
  siteVisits: SiteVisitsTable;
  remoteSessions: RemoteSessionsTable;
  partsCatalogue: PartsCatalogueTable;
  partsUsed: PartsUsedTable;
  dispatchPlans: DispatchPlansTable;
  dispatchSettings: DispatchSettingsTable;
  contractBillingTerms: ContractBillingTermsTable;
  invoiceCounters: InvoiceCountersTable;
  invoices: InvoicesTable;
  invoicePayments: InvoicePaymentsTable;
  accountingSettings: AccountingSettingsTable;
  interventionReports: InterventionReportsTable;
  satisfactionSurveys: SatisfactionSurveysTable;
  users: UsersTable;
  sessions: CredentialTable;
  apiTokens: CredentialTable;
  loginThrottle: LoginThrottleTable;
  oidcProviders: OidcProvidersTable;
  oidcLogins: OidcLoginsTable;
  auditLog: AuditLogTable;
  consents: ConsentsTable;
  kpiRequestFacts: KpiRequestFactsTable;
  kpiVisitFacts: KpiVisitFactsTable;
  surveyFollowUps: SurveyFollowUpsTable;
  reportSubscriptions: ReportSubscriptionsTable;
  kpiReports: KpiReportsTable;
  kbArticles: KbArticlesTable;
  kbArticleVersions: KbArticleVersionsTable;
  kbWords: KbWordsTable;
  kbArticleRequests: KbArticleRequestsTable;
  kbVotes: KbVotesTable;
  kbEvents: KbEventsTable;
  kbSearches: KbSearchesTable;
  kbArticleAttachments: KbArticleAttachmentsTable;
  siteOpeningHours: SiteOpeningHoursTable;
  siteClosures: SiteClosuresTable;
  accountLinks: AccountLinksTable;
  serviceTypeRequirements: ServiceTypeRequirementsTable;
}

export * from './enums.js';
export type * from './clients.table.js';
export type * from './technicians.table.js';
export type * from './requests.table.js';
export type * from './messages.table.js';
export type * from './work.table.js';
export type * from './dispatch.table.js';
export type * from './billing.table.js';
export type * from './closure.table.js';
export type * from './auth.table.js';
export type * from './kpi.table.js';
export type * from './kpi-reports.table.js';
export type * from './knowledge.table.js';
