/** A dispatcher's override of a daily plan: one short workflow per override. */
export function planOverrideWorkflowId(basePlanId: string, requestedAt: string): string {
  return `plan-override-${basePlanId}-${requestedAt}`;
}

/** An override as the dispatcher states it: tickets, technician ids and wall-clock times (HH:MM). */
export type OverrideRequest =
  | { kind: 'move'; ticketNumber: string; technicianId: string; at?: string }
  | { kind: 'lock'; ticketNumber: string }
  | { kind: 'absent'; technicianId: string; from?: string }
  | { kind: 'remove'; ticketNumber: string }
  /** Insert the P1 requests that reached planning since this version was made. */
  | { kind: 'emergency' };

export interface OverrideActor {
  userId: string | null;
  role: string | null;
  name: string | null;
}

export interface PlanOverrideInput {
  /** The plan version the dispatcher was looking at. */
  basePlanId: string;
  override: OverrideRequest;
  actor: OverrideActor;
  /** Budget of the incremental re-solve (default 0.8 s). */
  seconds?: number;
}

export interface MovedStop {
  ticketNumber: string;
  requestId: string;
  from: { technicianId: string; technicianName: string };
  /** null: the re-solve could no longer place it (see the plan's unassigned visits). */
  to: { technicianId: string; technicianName: string } | null;
}

/** An applied override as stored with the version it produced (and re-applied by later ones). */
export interface StoredOverride {
  kind: OverrideRequest['kind'];
  requestId?: string;
  /** emergency: the urgent requests inserted. */
  requestIds?: string[];
  ticketNumbers?: string[];
  ticketNumber?: string;
  technicianId?: string;
  technicianName?: string;
  /** move: the pinned start; lock: the start it was locked at; absent: from (HH:MM, Paris). */
  at?: string;
  by: OverrideActor;
  createdAt: string;
}

/** Why the optimizer could not place a visit where the override asks (its UnassignedReasonCode). */
export type PlacementRefusal =
  | 'NO_QUALIFIED_TECHNICIAN'
  | 'PINNED_TECHNICIAN_UNAVAILABLE'
  | 'PINNED_TIME_OUTSIDE_WINDOWS'
  | 'NO_TIME_WINDOW'
  | 'WINDOW_UNREACHABLE'
  | 'EXCEEDS_CAPACITY'
  | 'QUALIFIED_TECHNICIANS_FULL';

/**
 * Why an override was refused (nothing is stored): PLAN_NOT_FOUND, no such plan; PLAN_SUPERSEDED,
 * a newer version exists; the others, the override cannot be honoured on this version.
 */
export type OverrideRefusalReason =
  | 'PLAN_NOT_FOUND'
  | 'PLAN_SUPERSEDED'
  | 'NOT_PLANNED'
  | 'VISIT_STARTED'
  | 'NO_EMERGENCY'
  | 'UNKNOWN_VISIT'
  | 'UNKNOWN_TECHNICIAN'
  | PlacementRefusal;

/** The plan-override workflow's result: the next version, or a refusal with its reason (a domain outcome, not an HTTP status). */
export type PlanOverrideOutcome =
  | {
      ok: true;
      planId: string;
      basePlanId: string;
      version: number;
      override: StoredOverride;
      /** Confirmed visits of other requests that changed technician (or dropped out) because of it. */
      moved: MovedStop[];
      unassigned: number;
      solveMs: number;
    }
  | {
      ok: false;
      reason: OverrideRefusalReason;
      /** The override's field the refusal is about, if one. */
      field?: string;
      message: { en: string; fr: string };
    };
