import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AssetKind, AssetStatus, ContactMode, ContractKind, Coverage, Priority } from './enums.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns are read as ISO strings (YYYY-MM-DD): no time-zone shift. */
type DateOnly = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, T | string | undefined, T | string>;

export interface ClientPreferences {
  language?: 'fr' | 'en';
  /** Channels the client wants notifications on, in order. */
  notificationChannels?: ContactMode[];
  /** Preferred visit slots, e.g. ["morning"]. */
  preferredSlots?: string[];
  invoiceEmail?: string;
}

export interface ClientsTable {
  id: Generated<string>;
  companyName: string;
  legalName: string | null;
  siren: string | null;
  siret: string | null;
  vatNumber: string | null;
  addressLine1: string | null;
  postalCode: string | null;
  city: string | null;
  country: Generated<string>;
  industry: string | null;
  crmExternalId: string | null;
  preferences: ColumnType<ClientPreferences, ClientPreferences | string | undefined, ClientPreferences | string>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface ClientContactsTable {
  id: Generated<string>;
  clientId: string;
  firstName: string;
  lastName: string;
  jobTitle: string | null;
  email: string;
  phone: string | null;
  preferredContactMode: ColumnType<ContactMode, ContactMode | undefined, ContactMode>;
  isPrimary: Generated<boolean>;
  createdAt: CreatedAt;
}

export interface ClientLocationsTable {
  id: Generated<string>;
  clientId: string;
  name: string;
  addressLine1: string;
  addressLine2: string | null;
  postalCode: string;
  city: string;
  departmentCode: string | null;
  latitude: number | null;
  longitude: number | null;
  accessInstructions: string | null;
  onSiteContactName: string | null;
  onSiteContactPhone: string | null;
  openingHours: Json<Record<string, string>>;
  createdAt: CreatedAt;
}

/** Opening hours of a site: one or more ranges per ISO weekday (1 = Monday); migration 0200. */
export interface SiteOpeningHoursTable {
  locationId: string;
  weekday: number;
  /** `time` columns are read as 'HH:MM:SS'. */
  opensAt: string;
  closesAt: string;
}

/** Dates a site is closed (inclusive), e.g. the August shutdown. */
export interface SiteClosuresTable {
  id: Generated<string>;
  locationId: string;
  startsOn: DateOnly;
  endsOn: DateOnly;
  reason: string | null;
}

export interface ContractsTable {
  id: Generated<string>;
  clientId: string;
  reference: string;
  name: string;
  kind: ContractKind;
  coverage: Coverage;
  timezone: Generated<string>;
  startsOn: DateOnly;
  endsOn: DateOnly | null;
  slaPausesWhenWaiting: Generated<boolean>;
  hourlyRateCents: number;
  travelFeeCents: Generated<number>;
  /** numeric: read as a string to keep exact decimals. */
  includedHoursPerMonth: ColumnType<string, string | number | undefined, string | number>;
  dataRetentionMonths: Generated<number>;
  /** Certifications every visit under this contract requires (migration 0300). */
  requiredCertifications: ColumnType<string[], string[] | undefined, string[]>;
  createdAt: CreatedAt;
}

export interface ContractSlaTargetsTable {
  contractId: string;
  priority: Priority;
  responseMinutes: number;
  resolutionMinutes: number;
}

export interface AssetsTable {
  id: Generated<string>;
  clientId: string;
  locationId: string | null;
  kind: AssetKind;
  brand: string;
  model: string;
  serialNumber: string | null;
  operatingSystem: string | null;
  purchaseDate: DateOnly | null;
  warrantyEndsOn: DateOnly | null;
  notes: string | null;
  hostname: string | null;
  department: string | null;
  contractId: string | null;
  status: Generated<AssetStatus>;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MonitoringIntegrationsTable {
  id: Generated<string>;
  clientId: string;
  name: string;
  locationId: string;
  serviceType: string;
  tokenHash: string;
  createdByUserId: string | null;
  createdAt: CreatedAt;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface AlertGroupsTable {
  id: Generated<string>;
  integrationId: string;
  clientId: string;
  groupKey: string;
  ticketNumber: string | null;
  assetId: string | null;
  open: Generated<boolean>;
  alertStatus: 'firing' | 'resolved';
  notifications: Generated<number>;
  firstNotifiedAt: CreatedAt;
  lastNotifiedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  resolvedAt: Date | null;
  closeProposedAt: Date | null;
}

export type ClientRow = Selectable<ClientsTable>;
export type NewClientRow = Insertable<ClientsTable>;
export type ClientRowUpdate = Updateable<ClientsTable>;
export type ClientContactRow = Selectable<ClientContactsTable>;
export type ClientLocationRow = Selectable<ClientLocationsTable>;
export type ContractRow = Selectable<ContractsTable>;
export type ContractSlaTargetRow = Selectable<ContractSlaTargetsTable>;
export type AssetRow = Selectable<AssetsTable>;
