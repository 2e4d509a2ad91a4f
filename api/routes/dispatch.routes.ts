import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { z } from 'zod';
import { INTERVENTION_TASK_QUEUE, assignUpdate, interventionWorkflowId } from '../../workflows/intervention/intervention.contract.js';
import { dailyPlanWorkflowId } from '../../workflows/dispatch/daily-plan.contract.js';
import {
  planOverrideWorkflowId,
  type OverrideRefusalReason,
  type PlanOverrideOutcome,
} from '../../workflows/dispatch/plan-override.contract.js';
import {
  findLatestPlanOfDay,
  findPlan,
  getDispatchSettings,
  liveSlotMatcher,
  listUrgentRequestsToPlan,
  markPlanPublished,
  saveDispatchSettings,
} from '../../db/repositories/dispatch.repository.js';
import { planDiff, planKpis, technicianFigures, type FigurePlan } from '../dispatch/plan-figures.js';
import { HttpError, notFound, toHttpError } from '../errors.js';
import { route, type RouteContext, type RouteSpec } from '../routing.js';
import {
  DEFAULT_WAITS,
  TemporalWaitTimeout,
  idempotencyKeyOf,
  withinBound,
  workerUnavailable,
  type TemporalWaits,
} from '../temporal-wait.js';
import {
  dispatchSettingsSchema,
  overrideAppliedSchema,
  planSchema,
  publishedSchema,
  runSchema,
  runStartedSchema,
} from '../schemas/dispatch.response.js';

export interface DispatchRoutesDeps {
  temporal: Client;
  taskQueue?: string;
  waits?: Partial<TemporalWaits>;
  /** Where the raw text of a refusal goes (the answer names it in the product's words). */
  log?: (err: unknown) => void;
  mapTiles?: MapTiles;
}

/** The board's map tiles: a {z}/{x}/{y} URL template, or 'off' (the offline outline map only). */
export interface MapTiles {
  url: string;
  attribution: string;
}

export const DEFAULT_MAP_TILES: MapTiles = {
  url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '© OpenStreetMap contributors',
};

const DISPATCH = ['dispatcher', 'admin'] as const;
const dateSchema = z.iso.date();
const wallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM (Europe/Paris)');
const ticketNumber = z.string().trim().min(1).max(40);

/** What a dispatcher can change on a plan (see activities/dispatch/plan-override.ts). */
export const planOverrideSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('move'), ticketNumber, technicianId: z.uuid(), at: wallTime.optional() }).strict(),
  z.object({ kind: z.literal('lock'), ticketNumber }).strict(),
  z.object({ kind: z.literal('absent'), technicianId: z.uuid(), from: wallTime.optional() }).strict(),
  z.object({ kind: z.literal('remove'), ticketNumber }).strict(),
]);

/** A refused override: no such plan is a 404; a stale version or an override that cannot be honoured, a 409. */
function refusalStatus(reason: OverrideRefusalReason): 404 | 409 {
  return reason === 'PLAN_NOT_FOUND' ? 404 : 409;
}

/** Optimized daily plans: start a run, follow its progress, read the stored plan. */
export function dispatchRoutes({
  temporal,
  taskQueue = INTERVENTION_TASK_QUEUE,
  waits,
  log = (err) => console.error(err),
  mapTiles = DEFAULT_MAP_TILES,
}: DispatchRoutesDeps): RouteSpec[] {
  const actionMs = waits?.actionMs ?? DEFAULT_WAITS.actionMs;
  /** Runs one override of a plan version through the plan-override workflow and answers its outcome. */
  async function runOverride(
    { req, res, scoped, principal }: RouteContext<unknown, unknown, unknown, { 200: typeof overrideAppliedSchema }>,
    planId: string,
    override: unknown,
  ): Promise<void> {
    const plan = await scoped((db) => findPlan(db, planId));
    if (!plan) throw notFound(`plan ${planId}`);
    // With an Idempotency-Key, a retry (after a 503, say) joins the same override run
    // instead of applying the change a second time on the version it produced.
    const key = idempotencyKeyOf(req);
    const runKey = key
      ? `key-${createHash('sha256')
          .update(`${principal?.userId ?? 'anonymous'}:${key}`)
          .digest('hex')
          .slice(0, 32)}`
      : new Date().toISOString().replace(/[:.]/g, '');
    const workflowId = planOverrideWorkflowId(plan.id, runKey);
    const startedAt = performance.now();
    let outcome: PlanOverrideOutcome;
    try {
      outcome = await withinBound(temporal, actionMs, async () => {
        try {
          await temporal.workflow.start('planOverrideWorkflow', {
            workflowId,
            taskQueue,
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            workflowIdConflictPolicy: 'USE_EXISTING',
            args: [
              {
                basePlanId: plan.id,
                override,
                actor: { userId: principal?.userId ?? null, role: principal?.role ?? null, name: principal?.displayName ?? null },
              },
            ],
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
        return (await temporal.workflow.getHandle(workflowId).result()) as PlanOverrideOutcome;
      });
    } catch (err) {
      if (err instanceof TemporalWaitTimeout) throw workerUnavailable(`overriding plan ${plan.id}`, key !== undefined);
      throw err;
    }
    if (!outcome.ok) {
      const fields = outcome.field ? [{ field: outcome.field, message: outcome.message.en }] : undefined;
      const status = refusalStatus(outcome.reason);
      throw new HttpError(status, status === 404 ? 'not_found' : 'conflict', outcome.message.en, fields, undefined, {
        reason: outcome.reason,
        messages: outcome.message,
      });
    }
    const { ok: _ok, ...applied } = outcome;
    res.json({ ...applied, elapsedMs: Math.round(performance.now() - startedAt) });
  }

  return [
    route({
      method: 'get',
      path: '/dispatch/settings',
      tag: 'dispatch',
      summary:
        'The dispatch settings: when the nightly plan publishes itself (or not), and whether new P1 requests are inserted or proposed',
      access: DISPATCH,
      response: { 200: dispatchSettingsSchema },
      async handler({ res, db }) {
        res.json(await getDispatchSettings(db));
      },
    }),
    route({
      method: 'put',
      path: '/dispatch/settings',
      tag: 'dispatch',
      summary:
        'Change the dispatch settings: autoPublishAt (HH:MM Europe/Paris, or null for a dispatcher to publish the nightly plan), ' +
        'emergencyMode (insert: a new P1 on a published day is inserted and published at once; propose: stored for the dispatcher)',
      access: DISPATCH,
      body: z.object({ autoPublishAt: wallTime.nullable(), emergencyMode: z.enum(['insert', 'propose']) }).strict(),
      responses: { 200: 'Saved', 400: 'Invalid field' },
      response: { 200: dispatchSettingsSchema },
      async handler({ res, db, body, principal }) {
        res.json(await saveDispatchSettings(db, body, principal?.userId ?? null));
      },
    }),
    route({
      method: 'post',
      path: '/dispatch/plans',
      tag: 'dispatch',
      summary: 'Optimize a day: starts the daily-plan workflow and returns its id at once',
      access: DISPATCH,
      body: z
        .object({
          date: dateSchema,
          seconds: z.number().int().min(1).max(300).default(20),
          seed: z
            .number()
            .int()
            .min(0)
            .max(2 ** 31 - 1)
            .default(1),
          // Re-apply the dispatcher's overrides of the day's latest plan (false: a clean run).
          keepOverrides: z.boolean().default(true),
        })
        .strict(),
      responses: { 202: 'Run started', 400: 'Invalid field' },
      response: { 202: runStartedSchema },
      // Starting needs the Temporal server, not a worker; no transaction is held across it anyway.
      transaction: 'steps',
      async handler({ body, res }) {
        const workflowId = dailyPlanWorkflowId(body.date, new Date().toISOString().replace(/[:.]/g, ''));
        await temporal.workflow.start('dailyPlanWorkflow', {
          workflowId,
          taskQueue,
          args: [{ date: body.date, seconds: body.seconds, seed: body.seed, ...(body.keepOverrides ? {} : { keepOverrides: false }) }],
        });
        res.status(202).location(`/api/dispatch/runs/${workflowId}`).json({ workflowId });
      },
    }),
    route({
      method: 'get',
      path: '/dispatch/runs/:workflowId',
      tag: 'dispatch',
      summary: 'Progress of a daily-plan run (from the activity heartbeats), then its summary',
      access: DISPATCH,
      params: z.object({ workflowId: z.string().regex(/^daily-plan-[0-9-]+-[0-9TZ]+$/, 'expected a daily-plan workflow id') }),
      response: { 200: runSchema },
      async handler({ params, res }) {
        const handle = temporal.workflow.getHandle(params.workflowId);
        const description = await handle.describe();
        const pending = description.raw.pendingActivities?.[0];
        const payload = pending?.heartbeatDetails?.payloads?.[0];
        const progress = payload ? defaultPayloadConverter.fromPayload(payload) : null;
        const status = description.status.name;
        res.json({
          workflowId: params.workflowId,
          status,
          progress,
          ...(status === 'COMPLETED' ? { summary: await handle.result() } : {}),
        });
      },
    }),
    route({
      method: 'post',
      path: '/dispatch/plans/:planId/publish',
      tag: 'dispatch',
      summary: 'Publish a plan: each planned visit is assigned to its intervention (technician and slot), as a dispatcher would',
      access: DISPATCH,
      params: z.object({ planId: z.uuid() }),
      responses: {
        200: 'Visits assigned, and those the interventions refused with why',
        404: 'No such plan',
        409: 'Already published or superseded',
        503: 'No answer from the workflows in time: the plan stays unpublished; publishing again assigns each visit at most once',
      },
      response: { 200: publishedSchema },
      transaction: 'steps',
      async handler({ params, res, scoped, principal }) {
        const plan = await scoped((db) => findPlan(db, params.planId));
        if (!plan) throw notFound(`plan ${params.planId}`);
        if (plan.status !== 'proposed') throw new HttpError(409, 'conflict', `plan ${params.planId} is ${plan.status}`);
        const result = plan.result as {
          routes: Array<{
            technicianId: string;
            stops: Array<{ ticketNumber: string; start: string; end: string; pinned: boolean; started?: string }>;
          }>;
        };
        const assigned: string[] = [];
        const unchanged: string[] = [];
        const refused: Array<{ ticketNumber: string; message: string }> = [];
        const tickets = result.routes.flatMap((r) => r.stops.map((s) => s.ticketNumber));
        const sameAsLive = await scoped((db) => liveSlotMatcher(db, tickets));
        for (const route of result.routes) {
          for (const stop of route.stops) {
            // A pinned stop is an assignment the intervention already has.
            // A visit under way or done is the intervention's own business now.
            if (stop.started) continue;
            if (stop.pinned || sameAsLive(route.technicianId, stop)) {
              unchanged.push(stop.ticketNumber);
              continue;
            }
            try {
              await withinBound(temporal, actionMs, () =>
                temporal.workflow.getHandle(interventionWorkflowId(stop.ticketNumber)).executeUpdate(assignUpdate, {
                  // Per plan and stop: publishing again after a 503 does not assign a visit twice.
                  updateId: `plan-${plan.id}-${stop.ticketNumber}`,
                  args: [
                    {
                      actor: 'dispatcher',
                      ...(principal ? { actorId: principal.userId } : {}),
                      technicianId: route.technicianId,
                      start: stop.start,
                      end: stop.end,
                      source: 'optimizer',
                    },
                  ],
                }),
              );
              assigned.push(stop.ticketNumber);
            } catch (err) {
              if (err instanceof TemporalWaitTimeout) throw workerUnavailable(`publishing plan ${plan.id} (at ${stop.ticketNumber})`, true);
              // The intervention moved on since the plan was made (cancelled, reassigned…): say so, go on.
              refused.push({ ticketNumber: stop.ticketNumber, message: toHttpError(err, log).message });
            }
          }
        }
        await scoped((db) => markPlanPublished(db, plan));
        res.json({ planId: plan.id, assigned, unchanged, refused });
      },
    }),
    route({
      method: 'post',
      path: '/dispatch/plans/:planId/overrides',
      tag: 'dispatch',
      summary:
        'Override the latest plan version: move a visit to a technician (at a time), lock it, remove it, or mark a technician absent. ' +
        'Re-solves incrementally and stores the next version; answers which confirmed visits moved',
      access: DISPATCH,
      params: z.object({ planId: z.uuid() }),
      body: planOverrideSchema,
      responses: {
        200: 'The new version, and the confirmed visits the re-solve moved (ticket, from → to)',
        404: 'No such plan',
        409: 'The override cannot be honoured (the optimizer’s reason, in English and French), or a newer version exists; nothing is stored',
        503: 'No answer from the workflows in time: the override may still be applied when a worker resumes; retry with the same Idempotency-Key to get its outcome',
      },
      response: { 200: overrideAppliedSchema },
      // The re-solve runs on a worker: nothing in the database is held while it does, and the wait is bounded.
      transaction: 'steps',
      async handler(ctx) {
        await runOverride(ctx, ctx.params.planId, ctx.body);
      },
    }),
    route({
      method: 'post',
      path: '/dispatch/plans/:planId/emergencies',
      tag: 'dispatch',
      summary:
        'Insert the P1 requests that reached planning since this version was made: an incremental re-solve with them as emergencies, ' +
        'stored as the next version; answers which confirmed visits moved',
      access: DISPATCH,
      params: z.object({ planId: z.uuid() }),
      responses: {
        200: 'The new version, and the confirmed visits the re-solve moved (ticket, from → to)',
        404: 'No such plan',
        409: 'No new P1 request waits for this plan, or a newer version exists; nothing is stored',
        503: 'No answer from the workflows in time: the insertion may still be applied when a worker resumes; retry with the same Idempotency-Key to get its outcome',
      },
      response: { 200: overrideAppliedSchema },
      transaction: 'steps',
      async handler(ctx) {
        await runOverride(ctx, ctx.params.planId, { kind: 'emergency' });
      },
    }),
    route({
      method: 'get',
      path: '/dispatch/plans',
      tag: 'dispatch',
      summary:
        'The latest plan of a day: routes with times, unassigned visits with reasons; per technician planned hours, travel, idle time and overtime; ' +
        'the version’s totals and what changed since the version it was made from',
      access: [...DISPATCH, 'support_agent'],
      query: z.object({ date: dateSchema }).strict(),
      response: { 200: planSchema },
      async handler({ query, res, db }) {
        const plan = await findLatestPlanOfDay(db, query.date);
        if (!plan) throw notFound(`plan for ${query.date}`);
        // P1 requests waiting for planning that this version has never seen: the board offers
        // to insert them (POST …/emergencies). Same rule as the activity's, on the stored result.
        const result = plan.result as {
          routes: Array<{ stops: Array<{ requestId: string }> }>;
          unassigned: Array<{ requestId: string }>;
          removed?: Array<{ requestId: string }>;
        };
        const known = new Set([
          ...result.routes.flatMap((r) => r.stops.map((st) => st.requestId)),
          ...result.unassigned.map((u) => u.requestId),
          ...(result.removed ?? []).map((r) => r.requestId),
        ]);
        const waiting = await listUrgentRequestsToPlan(db);
        const stored = plan.result as FigurePlan;
        const technicians = stored.routes.map(technicianFigures);
        const base = plan.basePlanId ? await findPlan(db, plan.basePlanId) : undefined;
        res.json({
          ...plan,
          figures: { technicians, kpis: planKpis(stored, technicians) },
          map: { tileUrl: mapTiles.url === 'off' ? null : mapTiles.url, attribution: mapTiles.attribution },
          diff: base ? { basePlanId: base.id, baseVersion: base.version, ...planDiff(base.result as FigurePlan, stored) } : null,
          pendingEmergencies: waiting
            .filter((r) => !known.has(r.id))
            .map((r) => ({ requestId: r.id, ticketNumber: r.ticketNumber, title: r.title })),
        });
      },
    }),
  ];
}
