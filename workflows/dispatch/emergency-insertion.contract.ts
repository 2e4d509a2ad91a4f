/**
 * Emergencies without a button: a P1 request that reaches planning on a day whose plan is
 * published is inserted into it (the plan override's `emergency` change) and, unless the company
 * chose to be asked first (dispatch settings `emergencyMode: 'propose'`), the new version is
 * published at once: the moved technicians and clients get their new slots through their
 * interventions, and the dispatchers are told what moved.
 */
export const EMERGENCY_INSERTION_WORKFLOW_TYPE = 'emergencyInsertionWorkflow';

export interface EmergencyInsertionInput {
  requestId: string;
  ticketNumber: string;
}

/** One insertion per time the request reaches planning (`reachedAt`: its status change count). */
export function emergencyInsertionWorkflowId(ticketNumber: string, reachedAt: number): string {
  return `emergency-insertion-${ticketNumber}-${reachedAt}`;
}

export type EmergencyInsertionOutcome =
  /** No published plan for today or the next working day: the P1 waits for the next plan. */
  | { outcome: 'no_published_plan' }
  /** The override was refused (already inserted by a dispatcher, a newer version…): nothing changed. */
  | { outcome: 'refused'; date: string; reason: string }
  | { outcome: 'proposed' | 'published'; date: string; planId: string; moved: number; notified: number };
