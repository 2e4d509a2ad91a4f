/**
 * Value lists of the data model. The intervention vocabulary (service types, priorities,
 * statuses) is owned by the workflow's contract; the lists only the database needs live here.
 */
export * from '../../workflows/intervention/intervention.vocabulary.js';

export const ASSIGNMENT_STATUSES = ['proposed', 'confirmed', 'en_route', 'on_site', 'completed', 'cancelled'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const CONTRACT_KINDS = ['standard', 'premium', 'flat_rate', 'time_and_materials'] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];

export const COVERAGES = ['business_hours', '24_7'] as const;
export type Coverage = (typeof COVERAGES)[number];

export const TECHNICIAN_LEVELS = ['N1', 'N2', 'N3'] as const;
export type TechnicianLevel = (typeof TECHNICIAN_LEVELS)[number];

export const ASSET_KINDS = ['workstation', 'laptop', 'server', 'printer', 'network', 'nas', 'phone', 'other'] as const;

export const ASSET_STATUSES = ['in_service', 'in_repair', 'retired'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];
export type AssetKind = (typeof ASSET_KINDS)[number];
