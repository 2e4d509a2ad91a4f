/**
 * The daily plan: loads the day's technicians and the requests waiting for planning, asks the
 * optimizer for a plan (heartbeating its progress, stopping on cancellation), and stores the plan
 * once per workflow run. A dispatcher's override re-solves the latest version incrementally and
 * stores the next version (override-plan.ts). Publishing the plan's assignments to the
 * interventions is a separate step. Loaders: day-loaders.ts; the stored plan's shape: plan-presenter.ts.
 */
import { Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { findLatestPlanOfDay, findPlanOfRun, insertPlanOfRun } from '../../db/repositories/dispatch.repository.js';
import { anyOf, maxIterations, maxRuntime, resolve, solve } from '../../optimizer/index.js';
import type { PlanOverrideInput, PlanOverrideOutcome } from '../../workflows/dispatch/plan-override.contract.js';
import { loadDay } from './day-loaders.js';
import { dayTravel, type RoutingOptions } from './day-travel.js';
import { buildDayProblem } from './day-problem.js';
import { keepDayOverrides, latestPlanOf, overridePlan } from './override-plan.js';
import { describePlan, type DescribedPlan, type StoredPlanResult } from './plan-presenter.js';
import { nightlySetup, type NightlySetup } from './nightly-plan.js';
import { publishPlanVersion, type PublishOutcome } from './publish-plan.js';
import { emergencyTarget, notifyEmergencyInsertion, type EmergencyNotice, type EmergencyTarget } from './emergency-insertion.js';
import type { Mailer } from '../notifications/mailer.js';

export type { PlanOverrideInput, PlanOverrideOutcome } from '../../workflows/dispatch/plan-override.contract.js';
export { describePlan, type DescribedPlan } from './plan-presenter.js';

export interface DispatchDeps {
  db: Kysely<DB>;
  /** The current instant (injectable so tests of "today" are deterministic). */
  now?: () => Date;
  /** The road-network travel-time service (ROUTING_URL); absent: the offline zone model. */
  routing?: RoutingOptions;
  /** Where the dispatchers' notices go (the automatic emergency insertion). */
  mailer?: Mailer;
  /** The notices' address when no dispatcher account exists (SUPPORT_EMAIL). */
  supportEmail?: string;
}

export interface PlanDayInput {
  /** ISO date of the day to plan (Europe/Paris). */
  date: string;
  /** Time budget of the search. */
  seconds: number;
  seed: number;
  /**
   * Re-apply the dispatcher's overrides of the day's latest plan (default true): locks and moves
   * as pins, absences, removals. false: a clean run from the day's data alone.
   */
  keepOverrides?: boolean;
}

export interface PlanDaySummary {
  planId: string;
  date: string;
  visits: number;
  technicians: number;
  assigned: number;
  unassigned: number;
  feasible: boolean;
  allP1Placed: boolean;
  travelMinutes: number;
  solveMs: number;
  /** Earlier overrides of the day re-applied to this run. */
  keptOverrides: number;
  /** Visits under way or done, kept as they are. */
  started: number;
}

/** Progress reported in heartbeats, read by the API to show a progress bar. */
export interface PlanProgress {
  phase: 'loading' | 'solving' | 'saving';
  elapsedMs: number;
  budgetMs: number;
  iteration: number;
  bestCost: number | null;
  unassigned: number | null;
}

export function createDispatchActivities({
  db,
  now = () => new Date(),
  routing,
  mailer,
  supportEmail = 'support@localhost',
}: DispatchDeps) {
  return {
    /** The nightly plan's day, whether it is already published, and when it publishes itself. */
    async nightlySetup(input: { date?: string }): Promise<NightlySetup> {
      return nightlySetup(db, now(), input.date);
    },

    /** The published plan a new P1 goes into (today's or the next working day's), and whether it is published at once. */
    async emergencyTarget(_input: { requestId: string }): Promise<EmergencyTarget | null> {
      return emergencyTarget(db, now());
    },

    /** The dispatchers' notice of an automatic insertion and of what moved (once per version). */
    async notifyEmergencyInsertion(input: EmergencyNotice): Promise<number> {
      if (!mailer) throw new Error('notifyEmergencyInsertion needs the mailer');
      return notifyEmergencyInsertion(db, mailer, supportEmail, input);
    },

    /** The day's latest version if it is proposed (null: none, or the latest is published). */
    async latestProposedPlan(input: { date: string }): Promise<string | null> {
      const latest = await findLatestPlanOfDay(db, input.date);
      return latest?.status === 'proposed' ? latest.id : null;
    },

    /** Publishes a plan version if it is still the day's latest proposed one (idempotent per plan and stop). */
    async publishPlan(input: { planId: string }): Promise<PublishOutcome> {
      return publishPlanVersion(db, Context.current().client, input.planId);
    },

    /** Applies one dispatcher override to the latest plan version (incremental re-solve) and stores the next version. */
    async overridePlan(input: PlanOverrideInput): Promise<PlanOverrideOutcome> {
      const execution = Context.current().info.workflowExecution;
      if (!execution) throw new Error('overridePlan runs inside the plan-override workflow');
      return overridePlan(db, execution.workflowId, execution.runId, input, now(), routing);
    },

    async planDay(input: PlanDayInput): Promise<PlanDaySummary> {
      const context = Context.current();
      const execution = context.info.workflowExecution;
      if (!execution) throw new Error('planDay runs inside the daily-plan workflow');
      const { workflowId, runId } = execution;
      const existing = await findPlanOfRun(db, workflowId, runId);
      if (existing) {
        const result = existing.result as DescribedPlan;
        return {
          planId: existing.id,
          date: input.date,
          visits: existing.visits,
          technicians: existing.technicians,
          assigned: existing.assigned,
          unassigned: result.unassigned.length,
          feasible: existing.feasible,
          allP1Placed: existing.allP1Placed,
          travelMinutes: existing.travelMinutes,
          solveMs: existing.solveMs,
          keptOverrides: (result as StoredPlanResult).overrides?.length ?? 0,
          started: result.routes.reduce((n, r) => n + r.stops.filter((st) => st.started).length, 0),
        };
      }
      const budgetMs = input.seconds * 1000;
      const progress = (p: Omit<PlanProgress, 'budgetMs'>) => context.heartbeat({ ...p, budgetMs } satisfies PlanProgress);
      progress({ phase: 'loading', elapsedMs: 0, iteration: 0, bestCost: null, unassigned: null });
      const at = now();
      const { technicians, requests } = await loadDay(db, input.date);
      const day = buildDayProblem(input.date, technicians, requests, undefined, { now: at });
      const { started, clock } = day;

      // A new run keeps what the dispatcher decided on this day's plan (see keepDayOverrides).
      const previous = input.keepOverrides === false ? undefined : await latestPlanOf(db, input.date);
      const kept = keepDayOverrides(clock, day.problem, previous?.overrides ?? [], started, at);
      const problem = kept.problem;
      const travel = await dayTravel(problem, routing);

      const options = {
        travel: travel.travel,
        seed: input.seed,
        stop: anyOf(maxRuntime(budgetMs), maxIterations(2_000_000)),
        signal: context.cancellationSignal,
        onProgress: (p: { elapsedMs: number; iteration: number; bestCost: number; unassigned: number }) =>
          progress({ phase: 'solving', elapsedMs: p.elapsedMs, iteration: p.iteration, bestCost: p.bestCost, unassigned: p.unassigned }),
      };
      // Visits under way are frozen and their technicians restart from them: that is the
      // incremental re-solve's contract, here with an empty current plan and the full search.
      const result = started.length
        ? await resolve(problem, { routes: [], started }, { ...options, params: { construction: 'auto', localSearch: true } })
        : await solve(problem, options);
      progress({
        phase: 'saving',
        elapsedMs: result.stats.elapsedMs,
        iteration: result.stats.iterations,
        bestCost: result.cost.total,
        unassigned: result.unassigned.length,
      });

      const requestById = new Map(requests.map((r) => [r.requestId, r]));
      const plan: StoredPlanResult = {
        ...describePlan(input.date, technicians, requests, result, kept.locked, day.closed),
        travelSource: travel.source,
        ...(kept.overrides.length
          ? {
              overrides: kept.overrides,
              removed: kept.removed.flatMap((id) => {
                const r = requestById.get(id);
                return r ? [{ requestId: id, ticketNumber: r.ticketNumber, title: r.title, priority: r.priority }] : [];
              }),
            }
          : {}),
      };
      const assigned = result.routes.reduce((n, r) => n + r.stops.length, 0);
      const travelMinutes = Math.round(result.routes.reduce((n, r) => n + r.travelMinutes, 0));
      const planId = await insertPlanOfRun(db, {
        planDate: input.date,
        workflowId,
        runId,
        seed: input.seed,
        visits: problem.visits.length,
        technicians: problem.technicians.length,
        assigned,
        feasible: result.feasible,
        allP1Placed: result.allP1Placed,
        travelMinutes,
        solveMs: Math.round(result.stats.elapsedMs),
        result: JSON.stringify(plan),
      });
      return {
        planId,
        date: input.date,
        visits: problem.visits.length,
        technicians: problem.technicians.length,
        assigned,
        unassigned: result.unassigned.length,
        feasible: result.feasible,
        allP1Placed: result.allP1Placed,
        travelMinutes,
        solveMs: Math.round(result.stats.elapsedMs),
        keptOverrides: kept.overrides.length,
        started: started.length,
      };
    },
  };
}
