/**
 * Fake activities of the intervention workflow, typed by the real factories, so a scenario runs
 * the workflow's branches on the real Temporal server in seconds without the database. Each
 * scenario (one workflow id) has its own fakes, with its own overrides and its own call log.
 */
import { activityInfo } from '@temporalio/activity';
import type { BillingActivities } from '../../../activities/billing/billing.contract.js';
import type { LifecycleActivities } from '../../../activities/lifecycle/lifecycle.activities.js';
import type { createRecordActivities } from '../../../activities/records/records.activities.js';

export type InterventionActivities = ReturnType<typeof createRecordActivities> & LifecycleActivities & BillingActivities;
type Name = keyof InterventionActivities;
type Input<N extends Name> = Parameters<InterventionActivities[N]>[0];

/** Plausible answers, no side effect. */
function defaults(): InterventionActivities {
  let assignments = 0;
  let visits = 0;
  return {
    registerIntake: async (input) => ({ requestId: `request-${input.ticketNumber}` }),
    recordTransition: async () => true,
    computeSlaDeadlines: async () => null,
    resumeSlaDeadlines: async (input) => ({ responseDueAt: input.responseDueAt, resolutionDueAt: input.resolutionDueAt }),
    recordEvent: async () => true,
    updateRequest: async () => {},
    saveAssignment: async (input) => ({
      assignmentId: `assignment-${++assignments}`,
      technicianId: input.technicianId,
      technicianName: 'Julien Moreau',
      previousAssignmentId: assignments > 1 ? `assignment-${assignments - 1}` : null,
    }),
    setAssignmentStatus: async () => {},
    checkIn: async () => ({ visitId: `visit-${++visits}` }),
    checkOut: async () => {},
    recordPart: async () => {},
    saveReport: async () => {},
    saveSurveyAnswer: async () => {},
    notify: async () => ({ sent: true }),
    notifyAssignment: async () => {},
    cancelTechnicianInvite: async () => {},
    issueInvoice: async (input) => ({
      invoiceId: `invoice-${input.ticketNumber}`,
      number: `FA-2026-${input.ticketNumber}`,
      totalExclVatCents: 10_000,
      totalInclVatCents: 12_000,
      alreadyIssued: false,
    }),
  };
}

export interface Scenario {
  /** The inputs of every call of `name` this scenario's workflow made, in order. */
  calls<N extends Name>(name: N): Array<Input<N>>;
}

/**
 * The activities to register on the worker: each call goes to the fakes of the scenario whose
 * workflow made it (by workflow id), and is logged there.
 */
export function fakeActivities(): {
  activities: InterventionActivities;
  scenario(workflowId: string, overrides?: Partial<InterventionActivities>): Scenario;
} {
  const scenarios = new Map<string, { fakes: InterventionActivities; log: Array<{ name: Name; input: unknown }> }>();
  const dispatch =
    <N extends Name>(name: N) =>
    async (input: Input<N>): Promise<unknown> => {
      const workflowId = activityInfo().workflowExecution?.workflowId ?? '';
      const scenario = scenarios.get(workflowId);
      if (!scenario) throw new Error(`no fake activities for workflow ${workflowId}`);
      scenario.log.push({ name, input });
      const fake = scenario.fakes[name] as (input: Input<N>) => Promise<unknown>;
      return fake(input);
    };
  const names = Object.keys(defaults()) as Name[];
  const activities = Object.fromEntries(names.map((name) => [name, dispatch(name)])) as unknown as InterventionActivities;
  return {
    activities,
    scenario(workflowId, overrides = {}) {
      const log: Array<{ name: Name; input: unknown }> = [];
      scenarios.set(workflowId, { fakes: { ...defaults(), ...overrides }, log });
      return {
        calls: <N extends Name>(name: N) => log.filter((c) => c.name === name).map((c) => c.input as Input<N>),
      };
    },
  };
}
