/**
 * What the dispatch routes answer. A plan's `result` and `override` are stored as JSON by the
 * dispatch activities; their schemas describe them precisely (document, checks) but are typed
 * `unknown` for the handlers, which read them from a JSON column.
 */
import { z } from 'zod';
import { calendarDate, instant, priority } from './common.response.js';

const point = z.object({ lat: z.number(), lon: z.number() });
const wallOrInstant = z.string();

const planStop = z.object({
  requestId: z.string(),
  ticketNumber: z.string(),
  title: z.string(),
  priority,
  companyName: z.string(),
  siteName: z.string(),
  lat: z.number(),
  lon: z.number(),
  arrival: wallOrInstant,
  start: wallOrInstant,
  end: wallOrInstant,
  pinned: z.boolean(),
  locked: z.boolean().optional(),
  /** Under way (checked in) or done earlier today: it stays where it is. */
  started: z.enum(['in_progress', 'done']).optional(),
});

const planRoute = z.object({
  technicianId: z.string(),
  technicianName: z.string(),
  home: point,
  departure: wallOrInstant,
  returnTime: wallOrInstant,
  breakStart: wallOrInstant.nullable(),
  travelMinutes: z.number(),
  distanceKm: z.number(),
  overtimeMinutes: z.number(),
  /** The shift the figures are read against, and the lunch break's length (plans stored since they are recorded). */
  shiftStart: wallOrInstant.optional(),
  shiftEnd: wallOrInstant.optional(),
  breakMinutes: z.number().optional(),
  stops: z.array(planStop),
});

const storedOverride = z.object({
  kind: z.enum(['move', 'lock', 'absent', 'remove', 'emergency']),
  ticketNumber: z.string().optional(),
  /** emergency: the urgent requests inserted. */
  ticketNumbers: z.array(z.string()).optional(),
  technicianId: z.string().optional(),
  technicianName: z.string().optional(),
  at: z.string().optional(),
  by: z.object({ name: z.string().nullable(), role: z.string().nullable() }),
  createdAt: instant,
});

const movedStop = z
  .object({
    ticketNumber: z.string(),
    from: z.object({ technicianId: z.string(), technicianName: z.string() }),
    to: z.object({ technicianId: z.string(), technicianName: z.string() }).nullable(),
  })
  .meta({ id: 'MovedStop' });

/** The optimized day as stored: routes with their stops, unassigned and removed visits, overrides. */
export const planResultSchema: z.ZodType<unknown> = z
  .object({
    routes: z.array(planRoute),
    unassigned: z.array(
      z.object({
        requestId: z.string(),
        ticketNumber: z.string(),
        title: z.string(),
        priority,
        reason: z.string(),
        message: z.object({ fr: z.string(), en: z.string() }),
      }),
    ),
    removed: z.array(z.object({ requestId: z.string(), ticketNumber: z.string(), title: z.string(), priority })).optional(),
    overrides: z.array(storedOverride).optional(),
  })
  .meta({ id: 'PlanResult' });

/** The override that produced a plan version, with the confirmed visits it moved. */
const planOverrideRecord: z.ZodType<unknown> = storedOverride.extend({ moved: z.array(movedStop) }).meta({ id: 'PlanOverrideRecord' });

const technicianFigures = z
  .object({
    technicianId: z.string(),
    technicianName: z.string(),
    visits: z.number(),
    plannedMinutes: z.number(),
    travelMinutes: z.number(),
    distanceKm: z.number(),
    breakMinutes: z.number(),
    idleMinutes: z.number(),
    overtimeMinutes: z.number(),
    shiftMinutes: z.number().nullable(),
  })
  .meta({ id: 'TechnicianFigures' });

const planKpis = z
  .object({
    assigned: z.number(),
    unassigned: z.number(),
    removed: z.number(),
    techniciansUsed: z.number(),
    plannedMinutes: z.number(),
    travelMinutes: z.number(),
    distanceKm: z.number(),
    idleMinutes: z.number(),
    overtimeMinutes: z.number(),
    utilisationPercent: z.number().nullable(),
  })
  .meta({ id: 'PlanKpis' });

const placedVisit = z.object({ technicianId: z.string(), technicianName: z.string(), start: instant });

/** What changed from the version a plan version was made from (see api/dispatch/plan-figures.ts). */
const planDiff = z
  .object({
    basePlanId: z.string(),
    baseVersion: z.number(),
    moved: z.array(z.object({ ticketNumber: z.string(), from: placedVisit, to: placedVisit })),
    added: z.array(z.object({ ticketNumber: z.string(), to: placedVisit })),
    removed: z.array(z.object({ ticketNumber: z.string(), from: placedVisit, now: z.enum(['unassigned', 'removed']) })),
    previousKpis: planKpis,
  })
  .meta({ id: 'PlanDiff' });

export const planSchema = z
  .object({
    id: z.string(),
    planDate: calendarDate,
    status: z.enum(['proposed', 'published', 'superseded']),
    seed: z.number(),
    visits: z.number(),
    technicians: z.number(),
    assigned: z.number(),
    feasible: z.boolean(),
    allP1Placed: z.boolean(),
    travelMinutes: z.number(),
    solveMs: z.number(),
    result: planResultSchema,
    createdAt: instant,
    version: z.number(),
    basePlanId: z.string().nullable(),
    override: planOverrideRecord.nullable(),
    /** P1 requests waiting for planning that this version has never seen. */
    pendingEmergencies: z.array(z.object({ requestId: z.string(), ticketNumber: z.string(), title: z.string() })),
    /** Per technician and for the whole version. */
    figures: z.object({ technicians: z.array(technicianFigures), kpis: planKpis }),
    /** Null for a version made by a fresh run (no version before it). */
    diff: planDiff.nullable(),
    /** The map's tiles (config MAP_TILE_URL); null: the offline outline map only. */
    map: z.object({ tileUrl: z.string().nullable(), attribution: z.string() }),
  })
  .meta({ id: 'Plan' });

export const runStartedSchema = z.object({ workflowId: z.string() });

/** A daily-plan run: its progress (heartbeats) while it runs, its summary once completed. */
export const runSchema = z
  .object({
    workflowId: z.string(),
    status: z.string(),
    progress: (
      z
        .object({
          phase: z.string(),
          elapsedMs: z.number(),
          budgetMs: z.number(),
          iteration: z.number(),
          unassigned: z.number().nullable(),
        })
        .loose() as z.ZodType<unknown>
    ).nullable(),
    summary: z.unknown().optional(),
  })
  .meta({ id: 'PlanRun' });

export const publishedSchema = z
  .object({
    planId: z.string(),
    assigned: z.array(z.string()),
    /** Visits whose intervention already has this very technician and slot: nobody is notified again. */
    unchanged: z.array(z.string()),
    refused: z.array(z.object({ ticketNumber: z.string(), message: z.string() })),
  })
  .meta({ id: 'PlanPublished' });

/** A new plan version made by an override or an emergency insertion. */
export const overrideAppliedSchema = z
  .object({
    planId: z.string(),
    basePlanId: z.string(),
    version: z.number(),
    override: z.unknown(),
    moved: z.array(movedStop as z.ZodType<unknown>),
    unassigned: z.number(),
    solveMs: z.number(),
    elapsedMs: z.number(),
  })
  .meta({ id: 'OverrideApplied' });

/** The company's dispatch settings (the defaults until saved). */
export const dispatchSettingsSchema = z.object({
  autoPublishAt: z.string().nullable(),
  emergencyMode: z.enum(['insert', 'propose']),
});
