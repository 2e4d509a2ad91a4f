import { z } from 'zod';
import { PRIORITIES, REMOTE_SESSION_MAX_MINUTES } from '../../workflows/intervention/intervention.contract.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });

/** Support's analysis decision. */
export const triageSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('intervene'), note: text(2000).optional() }).strict(),
  z.object({ decision: z.literal('request_info'), question: text(2000) }).strict(),
  z
    .object({
      decision: z.literal('route_specialist'),
      group: text(120),
      level: z.number().int().min(1).max(3).optional(),
      note: text(2000).optional(),
    })
    .strict(),
  // The time support spent on the remote resolution, billed per the contract: whole minutes.
  z
    .object({
      decision: z.literal('propose_remote'),
      solution: text(5000),
      minutes: z.number().int().min(1).max(REMOTE_SESSION_MAX_MINUTES),
    })
    .strict(),
]);

export const clientAnswerSchema = z.object({ answer: text(5000) }).strict();
export const changePrioritySchema = z.object({ priority: z.enum(PRIORITIES), reason: text(1000) }).strict();

export const assignSchema = z
  .object({
    technicianId: z.uuid(),
    start: instant,
    end: instant,
    notes: text(2000).optional(),
    preparation: text(2000).optional(),
    /** Parts the technician brings (catalogue SKU and quantity), listed in their invite. */
    parts: z
      .array(z.object({ sku: z.string().trim().min(1).max(64), quantity: z.number().int().min(1).max(999) }).strict())
      .max(50)
      .optional(),
    /** Tools to bring, listed in the invite. */
    tools: z.array(text(200)).max(50).optional(),
    source: z.enum(['optimizer', 'dispatcher']).default('dispatcher'),
  })
  .strict()
  .refine((a) => Date.parse(a.end) > Date.parse(a.start), { path: ['end'], message: 'must be after start' });

export const checkInSchema = z
  .object({
    mode: z.enum(['on_site', 'remote']).default('on_site'),
    travelKm: z.number().min(0).max(2000).optional(),
    at: instant.optional(),
  })
  .strict();
export const checkOutSchema = z.object({ at: instant.optional() }).strict();

export const logEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['diagnosis', 'action']), text: text(5000) }).strict(),
  z.object({ kind: z.literal('test'), text: text(5000), passed: z.boolean() }).strict(),
  z
    .object({
      kind: z.literal('part'),
      sku: text(64),
      quantity: z.number().int().min(1).max(1000),
      serialNumbers: z.array(text(100)).max(100).optional(),
      underWarranty: z.boolean().optional(),
      text: text(2000).optional(),
    })
    .strict(),
]);

export const escalateSchema = z.object({ reason: text(2000) }).strict();
export const reportSchema = z.object({ summary: text(10_000), recommendations: z.array(text(1000)).max(50).default([]) }).strict();
export const acceptSchema = z.object({}).strict();
export const rejectSchema = z.object({ reason: text(2000) }).strict();
export const surveySchema = z.object({ rating: z.number().int().min(1).max(5), comment: text(5000).optional() }).strict();

export const liveListQuerySchema = z
  .object({
    status: z
      .string()
      .regex(/^[a-z_]+$/)
      .optional(),
    priority: z.enum(PRIORITIES).optional(),
    clientId: z.uuid().optional(),
    technicianId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
