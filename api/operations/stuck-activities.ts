/**
 * What is stuck: running workflows of the platform's task queue whose pending activity keeps
 * failing (a database down, a bug, data no retry fixes before issue 16). Temporal retries such an
 * activity on its own for up to seven days (workflows/activity-retry.contract.ts); this listing is
 * how operations see it in the meantime. Read from Temporal (visibility, then describe), bounded.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { safeMessage } from '../../workflows/activity-retry.contract.js';
import { SearchKeys, ticketNumberFromWorkflowId } from '../../workflows/intervention/intervention.contract.js';
import type { z } from 'zod';
import type { stuckActivitySchema, stuckListingSchema } from '../schemas/operations.response.js';

export const INTERVENTION_WORKFLOW_TYPE = 'interventionWorkflow';

/** One pending activity that keeps failing, and the listing: their shapes are the route's response schemas. */
export type StuckActivity = z.output<typeof stuckActivitySchema>;
export type StuckListing = z.output<typeof stuckListingSchema>;

export interface StuckQuery {
  taskQueue: string;
  /** An activity is listed from this attempt on (an attempt > 1 means its previous one failed). */
  minAttempts: number;
  /** Most running workflows described per call (one describe RPC each). */
  scan: number;
}

const CONCURRENCY = 8;

/** A protobuf Timestamp (seconds as a Long or number, nanos) as ISO 8601, or null. */
function iso(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  return new Date(Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

function stateName(state: unknown): string {
  // The proto enum as a number (PENDING_ACTIVITY_STATE_SCHEDULED = 1…) or already a name.
  const names = ['UNSPECIFIED', 'SCHEDULED', 'STARTED', 'CANCEL_REQUESTED', 'PAUSED', 'PAUSE_REQUESTED'];
  if (typeof state === 'number') return names[state] ?? String(state);
  return String(state ?? 'UNSPECIFIED').replace(/^PENDING_ACTIVITY_STATE_/, '');
}

async function stuckOf(temporal: Client, info: WorkflowExecutionInfo, minAttempts: number): Promise<StuckActivity[]> {
  let description;
  try {
    description = await temporal.workflow.getHandle(info.workflowId, info.runId).describe();
  } catch {
    return []; // closed or gone between the listing and the describe
  }
  const isIntervention = info.type === INTERVENTION_WORKFLOW_TYPE;
  const ticketNumber = isIntervention
    ? (info.typedSearchAttributes.get(SearchKeys.ticketNumber) ?? ticketNumberFromWorkflowId(info.workflowId))
    : null;
  const interventionStatus = isIntervention ? (info.typedSearchAttributes.get(SearchKeys.status) ?? null) : null;
  return (description.raw.pendingActivities ?? [])
    .filter((activity) => (activity.attempt ?? 1) >= minAttempts)
    .map((activity) => ({
      workflowId: info.workflowId,
      runId: info.runId,
      workflowType: info.type,
      ticketNumber,
      interventionStatus,
      activityId: activity.activityId ?? '',
      activityType: activity.activityType?.name ?? '',
      state: stateName(activity.state),
      attempt: activity.attempt ?? 1,
      maximumAttempts: activity.maximumAttempts ? activity.maximumAttempts : null,
      lastFailure: activity.lastFailure
        ? {
            message: safeMessage(activity.lastFailure.message ?? ''),
            type: activity.lastFailure.applicationFailureInfo?.type || null,
          }
        : null,
      lastAttemptAt: iso(activity.lastAttemptCompleteTime) ?? iso(activity.lastStartedTime),
      nextRetryAt: iso(activity.nextAttemptScheduleTime),
      expiresAt: iso(activity.expirationTime),
    }));
}

/**
 * The pending activities of running workflows that failed at least `minAttempts - 1` times, most
 * attempts first. Interventions are scanned first, the other workflow types (daily plans, credit
 * notes, retention) with what is left of the `scan` budget.
 */
export async function listStuckActivities(temporal: Client, query: StuckQuery): Promise<StuckListing> {
  const running = `ExecutionStatus = 'Running' AND TaskQueue = '${query.taskQueue.replace(/'/g, "\\'")}'`;
  const scopes = [
    `${running} AND WorkflowType = '${INTERVENTION_WORKFLOW_TYPE}'`,
    `${running} AND WorkflowType != '${INTERVENTION_WORKFLOW_TYPE}'`,
  ];
  const scanned: WorkflowExecutionInfo[] = [];
  let partial = false;
  for (const scope of scopes) {
    const budget = query.scan - scanned.length;
    if (budget <= 0) {
      partial = true;
      break;
    }
    let taken = 0;
    for await (const info of temporal.workflow.list({ query: scope, pageSize: Math.min(budget + 1, 100) })) {
      if (taken === budget) {
        partial = true;
        break;
      }
      scanned.push(info);
      taken += 1;
    }
  }
  const items: StuckActivity[] = [];
  for (let i = 0; i < scanned.length; i += CONCURRENCY) {
    const batch = await Promise.all(scanned.slice(i, i + CONCURRENCY).map((info) => stuckOf(temporal, info, query.minAttempts)));
    items.push(...batch.flat());
  }
  const total = partial ? (await temporal.workflow.count(running)).count : scanned.length;
  items.sort((a, b) => b.attempt - a.attempt || (a.lastAttemptAt ?? '').localeCompare(b.lastAttemptAt ?? ''));
  return { items, scanned: scanned.length, running: total, minAttempts: query.minAttempts, checkedAt: new Date().toISOString() };
}
