/** What the administration routes answer: master data with every detail the admin screens edit. */
import { z } from 'zod';
import { CONTACT_MODES } from '../../workflows/intervention/intervention.contract.js';
import { calendarDate, decimal, instant, itemsOf, priority, serviceType } from './common.response.js';

const openingRange = z.object({ weekday: z.number(), opensAt: z.string(), closesAt: z.string() });
const closure = z.object({ id: z.string(), startsOn: calendarDate, endsOn: calendarDate, reason: z.string().nullable() });

export const siteSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    name: z.string(),
    addressLine1: z.string(),
    addressLine2: z.string().nullable(),
    postalCode: z.string(),
    city: z.string(),
    departmentCode: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    accessInstructions: z.string().nullable(),
    onSiteContactName: z.string().nullable(),
    onSiteContactPhone: z.string().nullable(),
    /** Ranges per ISO weekday (1 = Monday), 'HH:MM:SS'; a weekday without ranges is closed. */
    hours: z.array(openingRange),
    closures: z.array(closure),
  })
  .meta({ id: 'Site' });

export const contactSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    jobTitle: z.string().nullable(),
    email: z.string(),
    phone: z.string().nullable(),
    preferredContactMode: z.enum(CONTACT_MODES),
    isPrimary: z.boolean(),
  })
  .meta({ id: 'Contact' });

export const contractSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    reference: z.string(),
    name: z.string(),
    kind: z.enum(['standard', 'premium', 'flat_rate', 'time_and_materials']),
    coverage: z.enum(['business_hours', '24_7']),
    timezone: z.string(),
    startsOn: calendarDate,
    endsOn: calendarDate.nullable(),
    slaPausesWhenWaiting: z.boolean(),
    hourlyRateCents: z.number(),
    travelFeeCents: z.number(),
    includedHoursPerMonth: decimal,
    dataRetentionMonths: z.number(),
    requiredCertifications: z.array(z.string()),
    slaTargets: z.array(z.object({ priority, responseMinutes: z.number(), resolutionMinutes: z.number() })),
    billingTerms: z
      .object({
        roundingIncrementMinutes: z.number(),
        minimumBilledMinutes: z.number(),
        travelMode: z.enum(['flat', 'per_km', 'included']),
        travelPerKmCents: z.number(),
        rateN1Cents: z.number().nullable(),
        rateN2Cents: z.number().nullable(),
        rateN3Cents: z.number().nullable(),
        paymentTermsDays: z.number().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'Contract' });

export const serviceTypeRequirementSchema = z
  .object({ serviceType: serviceType, requiredCertifications: z.array(z.string()) })
  .meta({ id: 'ServiceTypeRequirement' });
export const serviceTypeRequirementListSchema = z.object({ items: z.array(serviceTypeRequirementSchema) });

const companyFields = {
  id: z.string(),
  companyName: z.string(),
  legalName: z.string().nullable(),
  siren: z.string().nullable(),
  siret: z.string().nullable(),
  vatNumber: z.string().nullable(),
  addressLine1: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string(),
  industry: z.string().nullable(),
  preferences: z.object({
    language: z.enum(['fr', 'en']).optional(),
    notificationChannels: z.array(z.enum(CONTACT_MODES)).optional(),
    preferredSlots: z.array(z.string()).optional(),
    invoiceEmail: z.string().optional(),
  }),
  updatedAt: instant,
};
export const companySchema = z.object(companyFields).meta({ id: 'Company' });
export const companyListSchema = itemsOf(companySchema);
export const companyDetailSchema = z
  .object({ ...companyFields, sites: z.array(siteSchema), contacts: z.array(contactSchema), contracts: z.array(contractSchema) })
  .meta({ id: 'CompanyDetail' });

export const technicianDetailSchema = z
  .object({
    id: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    level: z.enum(['N1', 'N2', 'N3']),
    bio: z.string().nullable(),
    languages: z.array(z.string()),
    homeAddress: z.string(),
    homeLatitude: z.number(),
    homeLongitude: z.number(),
    hourlyCostCents: z.number(),
    maxOvertimeMinutes: z.number(),
    active: z.boolean(),
    skills: z.array(z.object({ skill: z.string(), level: z.number() })),
    /** `current`: obtained and not expired today; an expired certification no longer counts. */
    certifications: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        issuer: z.string(),
        obtainedOn: calendarDate,
        expiresOn: calendarDate.nullable(),
        current: z.boolean(),
      }),
    ),
    shifts: z.array(
      z.object({
        weekday: z.number(),
        startsAt: z.string(),
        endsAt: z.string(),
        lunchEarliest: z.string().nullable(),
        lunchLatest: z.string().nullable(),
        lunchMinutes: z.number(),
      }),
    ),
    absences: z.array(z.object({ id: z.string(), startsAt: instant, endsAt: instant, reason: z.string() })),
  })
  .meta({ id: 'TechnicianDetail' });

export const catalogueEntrySchema = z
  .object({ sku: z.string(), label: z.string(), unitPriceCents: z.number(), vatRateBasisPoints: z.number(), active: z.boolean() })
  .meta({ id: 'CatalogueEntry' });
export const catalogueSchema = itemsOf(catalogueEntrySchema);

export const accountLinkSentSchema = z.object({
  userId: z.string(),
  purpose: z.enum(['invite', 'reset']),
  sentTo: z.string(),
  expiresAt: instant,
});
export const accountLinkAcceptedSchema = z.object({ email: z.string() });
