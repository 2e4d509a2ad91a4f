/**
 * Bodies of the administration routes (master data). Every rule that can be checked on the body
 * alone is here, so a refusal is a 400 naming the field: a SIRET whose Luhn key is wrong,
 * overlapping shifts or opening hours, an end before a start.
 */
import { z } from 'zod';
import { CONTACT_MODES, PRIORITIES, SERVICE_TYPES } from '../../workflows/intervention/intervention.contract.js';
import { CONTRACT_KINDS, COVERAGES, TECHNICIAN_LEVELS } from '../../db/schema/enums.js';
import { sirenProblem, siretProblem, vatNumberProblem } from '../admin/french-identifiers.js';

const text = (max: number) => z.string().trim().min(1).max(max);
/** Optional free text: absent keeps, null or blank clears. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v === '' ? null : v));
const isoDate = z.iso.date();
const email = z
  .email()
  .max(254)
  .transform((e) => e.trim().toLowerCase());
/** Wall-clock time `HH:MM` (seconds accepted and dropped). */
const timeOfDay = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$/, 'expected a time HH:MM')
  .transform((t) => t.slice(0, 5));
const weekday = z.number().int().min(1, 'expected 1 (Monday) to 7 (Sunday)').max(7, 'expected 1 (Monday) to 7 (Sunday)');
const cents = z.number().int().min(0).max(100_000_000);
const timezone = z
  .string()
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'expected an IANA time zone such as Europe/Paris' },
  );

export const uuidParam = (name: string) => z.object({ [name]: z.uuid() });
export const locationIdParamSchema = z.object({ locationId: z.uuid() });
export const contactIdParamSchema = z.object({ contactId: z.uuid() });
export const contractIdParamSchema = z.object({ contractId: z.uuid() });
export const technicianIdParamSchema = z.object({ technicianId: z.uuid() });
export const skuParamSchema = z.object({ sku: z.string().min(1).max(40) });

// --- Client companies ---

export interface CompanyIdentity {
  siren?: string | null | undefined;
  siret?: string | null | undefined;
  vatNumber?: string | null | undefined;
}

/** What is wrong with a company's identifiers, field by field (checked again on the merged record of a change). */
export function identityProblems(identity: CompanyIdentity): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const { siren, siret, vatNumber } = identity;
  const sirenIssue = siren ? sirenProblem(siren) : null;
  if (sirenIssue) problems.push({ field: 'siren', message: sirenIssue });
  const siretIssue = siret ? siretProblem(siret) : null;
  if (siretIssue) problems.push({ field: 'siret', message: siretIssue });
  else if (siret && siren && !siret.startsWith(siren)) problems.push({ field: 'siret', message: 'must start with the SIREN' });
  const vatIssue = vatNumber ? vatNumberProblem(vatNumber) : null;
  if (vatIssue) problems.push({ field: 'vatNumber', message: vatIssue });
  else if (vatNumber?.startsWith('FR') && siren && vatNumber.slice(4) !== siren)
    problems.push({ field: 'vatNumber', message: 'does not match the SIREN' });
  return problems;
}

const digits = (n: number) =>
  z
    .string()
    .transform((v) => v.replace(/\s+/g, ''))
    .pipe(z.string().regex(new RegExp(`^[0-9]{${n}}$`), `expected ${n} digits`));

const preferencesSchema = z.strictObject({
  language: z.enum(['fr', 'en']).optional(),
  /** Channels to notify the company on, in order of preference. */
  notificationChannels: z
    .array(z.enum(CONTACT_MODES))
    .max(4)
    .refine((l) => new Set(l).size === l.length, 'each channel once')
    .optional(),
  invoiceEmail: email.optional(),
});

const clientFields = {
  companyName: text(200),
  legalName: optionalText(200),
  siren: digits(9).nullish(),
  siret: digits(14).nullish(),
  vatNumber: z
    .string()
    .transform((v) => v.replace(/\s+/g, '').toUpperCase())
    .pipe(z.string().max(15))
    .nullish(),
  addressLine1: optionalText(200),
  postalCode: optionalText(12),
  city: optionalText(120),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'expected an ISO country code such as FR')
    .optional(),
  industry: optionalText(120),
  preferences: preferencesSchema.optional(),
};

const checkIdentity = (value: CompanyIdentity, ctx: z.RefinementCtx) => {
  for (const problem of identityProblems(value)) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
};

export const createClientSchema = z.strictObject(clientFields).superRefine(checkIdentity);
export const updateClientSchema = z
  .strictObject({ ...clientFields, companyName: clientFields.companyName.optional() })
  .superRefine(checkIdentity)
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

/** Ranges of the same weekday must not overlap; `what` names the field of the list. */
function refuseOverlaps<T>(
  items: readonly T[],
  ctx: z.RefinementCtx,
  key: (item: T) => string,
  range: (item: T) => [string, string],
  startField: string,
  message: (other: number) => string,
): Set<number> {
  const flagged = new Set<number>();
  items.forEach((item, i) => {
    const [start, end] = range(item);
    for (let j = 0; j < i; j++) {
      const [otherStart, otherEnd] = range(items[j]!);
      if (key(items[j]!) === key(item) && start < otherEnd && otherStart < end) {
        ctx.addIssue({ code: 'custom', path: [i, startField], message: message(j) });
        flagged.add(i);
        return;
      }
    }
  });
  return flagged;
}

const openingRangeSchema = z
  .strictObject({ weekday, opensAt: timeOfDay, closesAt: timeOfDay })
  .refine((r) => r.closesAt > r.opensAt, { path: ['closesAt'], message: 'must be after opensAt' });
const openingHoursSchema = z
  .array(openingRangeSchema)
  .max(28)
  .superRefine((ranges, ctx) => {
    refuseOverlaps(
      ranges,
      ctx,
      (r) => String(r.weekday),
      (r) => [r.opensAt, r.closesAt],
      'opensAt',
      (j) => `overlaps openingHours.${j} of the same day`,
    );
  });
const closureSchema = z
  .strictObject({ startsOn: isoDate, endsOn: isoDate, reason: optionalText(200) })
  .refine((c) => c.endsOn >= c.startsOn, { path: ['endsOn'], message: 'must not be before startsOn' });

const siteFields = {
  name: text(200),
  addressLine1: text(200),
  addressLine2: optionalText(200),
  postalCode: z
    .string()
    .trim()
    .regex(/^[0-9A-Z -]{3,10}$/i, 'expected a postal code such as 75011'),
  city: text(120),
  departmentCode: z
    .string()
    .regex(/^([0-9]{2}|2A|2B|97[1-6])$/, 'expected a French département such as 75, 2A or 974')
    .nullish(),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
  accessInstructions: optionalText(2000),
  onSiteContactName: optionalText(120),
  onSiteContactPhone: optionalText(40),
  /** Replaces the whole week; a weekday without ranges is closed. */
  openingHours: openingHoursSchema.optional(),
  /** Replaces every closure of the site. */
  closures: z.array(closureSchema).max(100).optional(),
};

const bothCoordinates = (v: { latitude?: number | null | undefined; longitude?: number | null | undefined }) =>
  (v.latitude === undefined) === (v.longitude === undefined) && (v.latitude === null) === (v.longitude === null);

export const createSiteSchema = z
  .strictObject(siteFields)
  .refine(bothCoordinates, { path: ['longitude'], message: 'latitude and longitude go together' });
export const updateSiteSchema = z
  .strictObject({
    ...siteFields,
    name: siteFields.name.optional(),
    addressLine1: siteFields.addressLine1.optional(),
    postalCode: siteFields.postalCode.optional(),
    city: siteFields.city.optional(),
  })
  .refine(bothCoordinates, { path: ['longitude'], message: 'latitude and longitude go together' })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

const contactFields = {
  firstName: text(100),
  lastName: text(100),
  jobTitle: optionalText(120),
  email,
  phone: optionalText(40),
  preferredContactMode: z.enum(CONTACT_MODES).optional(),
  isPrimary: z.boolean().optional(),
};
export const createContactSchema = z.strictObject(contactFields);
export const updateContactSchema = z
  .strictObject({
    ...contactFields,
    firstName: contactFields.firstName.optional(),
    lastName: contactFields.lastName.optional(),
    email: contactFields.email.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

// --- Contracts ---

const slaTargetSchema = z
  .strictObject({
    priority: z.enum(PRIORITIES),
    responseMinutes: z.number().int().min(1).max(525_600),
    resolutionMinutes: z.number().int().min(1).max(525_600),
  })
  .refine((t) => t.resolutionMinutes >= t.responseMinutes, { path: ['resolutionMinutes'], message: 'must be at least responseMinutes' });
const slaTargetsSchema = z
  .array(slaTargetSchema)
  .max(PRIORITIES.length)
  .superRefine((targets, ctx) =>
    targets.forEach((t, i) => {
      if (targets.findIndex((o) => o.priority === t.priority) !== i)
        ctx.addIssue({ code: 'custom', path: [i, 'priority'], message: 'one target per priority' });
    }),
  );

const billingSchema = z.strictObject({
  hourlyRateCents: cents,
  travelFeeCents: cents.default(0),
  includedHoursPerMonth: z.number().min(0).max(9999).multipleOf(0.25, 'in quarters of an hour').default(0),
  roundingIncrementMinutes: z.number().int().min(1).max(240).default(15),
  minimumBilledMinutes: z.number().int().min(0).max(1440).default(30),
  travelMode: z.enum(['flat', 'per_km', 'included']).default('flat'),
  travelPerKmCents: cents.default(0),
  /** Hourly rates by technician level; the contract's hourly rate where absent. */
  rateN1Cents: cents.nullish(),
  rateN2Cents: cents.nullish(),
  rateN3Cents: cents.nullish(),
  paymentTermsDays: z.number().int().min(0).max(120).nullish(),
});

/** Names of certifications a job requires (matched exactly against the technicians' certifications). */
const requiredCertificationsSchema = z
  .array(text(120))
  .max(20)
  .superRefine((names, ctx) =>
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: [i], message: 'listed twice' });
    }),
  );

const contractFields = {
  reference: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{1,39}$/, 'expected 2-40 letters, digits, dots, dashes or slashes'),
  name: text(200),
  kind: z.enum(CONTRACT_KINDS),
  coverage: z.enum(COVERAGES),
  timezone: timezone.optional(),
  startsOn: isoDate,
  endsOn: isoDate.nullish(),
  slaPausesWhenWaiting: z.boolean().optional(),
  /** How long the interventions' personal data is kept after closure. */
  dataRetentionMonths: z.number().int().min(1).max(240).optional(),
  slaTargets: slaTargetsSchema.optional(),
  /** Certifications every visit under this contract requires (e.g. the client's own security vetting). */
  requiredCertifications: requiredCertificationsSchema.optional(),
  billing: billingSchema,
};

const endsAfterStart = (v: { startsOn?: string | undefined; endsOn?: string | null | undefined }) =>
  !v.startsOn || !v.endsOn || v.endsOn >= v.startsOn;

export const createContractSchema = z
  .strictObject(contractFields)
  .refine(endsAfterStart, { path: ['endsOn'], message: 'must not be before startsOn' });
export const updateContractSchema = z
  .strictObject({
    reference: contractFields.reference.optional(),
    name: contractFields.name.optional(),
    kind: contractFields.kind.optional(),
    coverage: contractFields.coverage.optional(),
    timezone: contractFields.timezone,
    startsOn: contractFields.startsOn.optional(),
    endsOn: contractFields.endsOn,
    slaPausesWhenWaiting: contractFields.slaPausesWhenWaiting,
    dataRetentionMonths: contractFields.dataRetentionMonths,
    slaTargets: contractFields.slaTargets,
    requiredCertifications: contractFields.requiredCertifications,
    billing: billingSchema.partial().optional(),
  })
  .refine(endsAfterStart, { path: ['endsOn'], message: 'must not be before startsOn' })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

// --- Service types ---

export const serviceTypeParamSchema = z.object({ serviceType: z.enum(SERVICE_TYPES) });
export const serviceTypeRequirementsSchema = z.strictObject({ requiredCertifications: requiredCertificationsSchema });

// --- Technicians ---

export const ABSENCE_REASONS = ['sickness', 'leave', 'training', 'other'] as const;

const skillsSchema = z
  .array(z.strictObject({ skill: text(60), level: z.number().int().min(1).max(5) }))
  .max(50)
  .superRefine((skills, ctx) =>
    skills.forEach((s, i) => {
      if (skills.findIndex((o) => o.skill.toLowerCase() === s.skill.toLowerCase()) !== i)
        ctx.addIssue({ code: 'custom', path: [i, 'skill'], message: 'listed twice' });
    }),
  );
const certificationsSchema = z
  .array(
    z
      .strictObject({ name: text(120), issuer: text(120), obtainedOn: isoDate, expiresOn: isoDate.nullish().transform((v) => v ?? null) })
      .refine((c) => c.expiresOn === null || c.expiresOn > c.obtainedOn, { path: ['expiresOn'], message: 'must be after obtainedOn' }),
  )
  .max(50);
const shiftsSchema = z
  .array(
    z
      .strictObject({
        weekday,
        startsAt: timeOfDay,
        endsAt: timeOfDay,
        lunchEarliest: timeOfDay.nullish().transform((v) => v ?? null),
        lunchLatest: timeOfDay.nullish().transform((v) => v ?? null),
        lunchMinutes: z.number().int().min(0).max(180).default(45),
      })
      .refine((s) => s.endsAt > s.startsAt, { path: ['endsAt'], message: 'must be after startsAt' })
      .refine((s) => !s.lunchEarliest || !s.lunchLatest || s.lunchLatest >= s.lunchEarliest, {
        path: ['lunchLatest'],
        message: 'must not be before lunchEarliest',
      }),
  )
  .max(7)
  .superRefine((shifts, ctx) => {
    const overlapping = refuseOverlaps(
      shifts,
      ctx,
      (s) => String(s.weekday),
      (s) => [s.startsAt, s.endsAt],
      'startsAt',
      (j) => `overlaps shifts.${j} of the same day`,
    );
    // One shift a weekday (the daily plan reads one): a second, even apart, is refused too.
    shifts.forEach((s, i) => {
      const first = shifts.findIndex((o) => o.weekday === s.weekday);
      if (first !== i && !overlapping.has(i))
        ctx.addIssue({ code: 'custom', path: [i, 'weekday'], message: `one shift a day: shifts.${first} is on the same day` });
    });
  });
const absencesSchema = z
  .array(
    z
      .strictObject({
        startsAt: z.iso.datetime({ offset: true }),
        endsAt: z.iso.datetime({ offset: true }),
        reason: z.enum(ABSENCE_REASONS),
      })
      .refine((a) => new Date(a.endsAt) > new Date(a.startsAt), { path: ['endsAt'], message: 'must be after startsAt' }),
  )
  .max(200)
  .superRefine((absences, ctx) => {
    refuseOverlaps(
      absences,
      ctx,
      () => 'all',
      (a) => [new Date(a.startsAt).toISOString(), new Date(a.endsAt).toISOString()],
      'startsAt',
      (j) => `overlaps absences.${j}`,
    );
  });

const technicianFields = {
  firstName: text(100),
  lastName: text(100),
  email,
  phone: optionalText(40),
  level: z.enum(TECHNICIAN_LEVELS),
  bio: optionalText(2000),
  languages: z
    .array(z.string().regex(/^[a-z]{2}$/, 'expected a language code such as fr'))
    .min(1)
    .max(10)
    .optional(),
  homeAddress: text(300),
  homeLatitude: z.number().min(-90).max(90),
  homeLongitude: z.number().min(-180).max(180),
  hourlyCostCents: cents,
  maxOvertimeMinutes: z.number().int().min(0).max(600).optional(),
  active: z.boolean().optional(),
  skills: skillsSchema.optional(),
  certifications: certificationsSchema.optional(),
  shifts: shiftsSchema.optional(),
  absences: absencesSchema.optional(),
};

export const createTechnicianSchema = z.strictObject(technicianFields);
export const updateTechnicianSchema = z
  .strictObject({
    ...technicianFields,
    firstName: technicianFields.firstName.optional(),
    lastName: technicianFields.lastName.optional(),
    email: technicianFields.email.optional(),
    level: technicianFields.level.optional(),
    homeAddress: technicianFields.homeAddress.optional(),
    homeLatitude: technicianFields.homeLatitude.optional(),
    homeLongitude: technicianFields.homeLongitude.optional(),
    hourlyCostCents: technicianFields.hourlyCostCents.optional(),
  })
  .refine((v) => (v.homeLatitude === undefined) === (v.homeLongitude === undefined), {
    path: ['homeLongitude'],
    message: 'homeLatitude and homeLongitude go together',
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

// --- Parts catalogue ---

/** The French VAT rates, in basis points (20 %, 10 %, 5.5 %, 2.1 %, 0 %). */
export const VAT_RATES = [2000, 1000, 550, 210, 0] as const;
const vatRate = z
  .number()
  .int()
  .refine((r) => (VAT_RATES as readonly number[]).includes(r), { message: `expected one of ${VAT_RATES.join(', ')} (basis points)` });

export const createPartSchema = z.strictObject({
  sku: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9._-]{1,39}$/, 'expected 2-40 capital letters, digits, dots or dashes'),
  label: text(200),
  unitPriceCents: cents,
  vatRateBasisPoints: vatRate.default(2000),
  active: z.boolean().default(true),
});
export const updatePartSchema = z
  .strictObject({
    label: text(200).optional(),
    unitPriceCents: cents.optional(),
    vatRateBasisPoints: vatRate.optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

// --- Accounts ---

export const accountLinkSchema = z.strictObject({ purpose: z.enum(['invite', 'reset']) });
export const acceptAccountLinkSchema = z.strictObject({
  token: z.string().min(20).max(200),
  /** The policy (length in code points, common passwords…) is api/auth/password-policy.ts. */
  password: z.string().min(1).max(2048),
});
