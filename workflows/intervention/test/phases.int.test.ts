/**
 * Each phase's branches on the real Temporal dev server, with fake activities (typed by the real
 * factories, no database): triage decisions, the client's answers and silences, work on site,
 * validation, survey, cancellation, and actions whose write fails for good, which are refused and
 * leave the intervention as it was and usable.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type Client, type Connection, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { eventually, startWorkerWith, testClient, uniqueTaskQueue, type TestWorker } from '../../../scripts/testing/env.js';
import {
  SearchKeys,
  commandUpdates,
  confirmIntakeUpdate,
  getStateQuery,
  interventionWorkflowId,
  type CommandKind,
  type Commands,
  type InterventionInput,
  type InterventionPolicy,
  type InterventionState,
} from '../intervention.contract.js';
import type { interventionWorkflow } from '../intervention.workflow.js';
import { fakeActivities, type InterventionActivities, type Scenario } from './fake-activities.js';

/** Long enough that no reminder fires unless a test shortens iv. */
const CALM: Partial<InterventionPolicy> = {
  infoReminderMs: 60_000,
  validationReminderMs: 60_000,
  validationReminderCount: 2,
  surveyReminderMs: 60_000,
  surveyDeadlineMs: 120_000,
};

/** What PostgreSQL answers for a NUL byte in a text column, made non-retryable (issue 16). */
const NUL_REFUSED = ApplicationFailure.nonRetryable('invalid byte sequence for encoding "UTF8": 0x00', 'PermanentDataError');
const refusesNul = async (text: unknown): Promise<void> => {
  if (JSON.stringify(text ?? null).includes('\\u0000')) throw NUL_REFUSED;
};

function inputOf(ticketNumber: string, policy: Partial<InterventionPolicy>): InterventionInput {
  return {
    ticketNumber,
    clientId: 'client-1',
    locationId: 'location-1',
    contractId: null,
    assetId: null,
    requesterContactId: null,
    serviceType: 'hardware_repair',
    title: 'PC does not boot',
    description: 'The accounting PC stays black at power on.',
    businessImpact: 'Invoicing stopped',
    impactLevel: 'medium',
    urgency: 'medium',
    attemptedSolutions: null,
    department: null,
    deviceDetails: {},
    locationDetails: {},
    contactDetails: {},
    priority: 'P3',
    submittedAt: new Date().toISOString(),
    policy,
  };
}

describe('the intervention phases with fake activities', () => {
  let client: Client;
  let connection: Connection;
  let worker: TestWorker;
  const fakes = fakeActivities();

  beforeAll(async () => {
    ({ client, connection } = await testClient());
    worker = await startWorkerWith(uniqueTaskQueue('phases'), fakes.activities);
  });

  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
  });

  /** An intervention registered and in analysis, with its own fakes. */
  async function open(
    options: { overrides?: Partial<InterventionActivities>; policy?: Partial<InterventionPolicy>; contractId?: string } = {},
  ) {
    const ticket = `PH-${randomUUID().slice(0, 8)}`;
    const workflowId = interventionWorkflowId(ticket);
    const scenario: Scenario = fakes.scenario(workflowId, options.overrides);
    const input = { ...inputOf(ticket, options.policy ?? CALM), contractId: options.contractId ?? null };
    const handle: WorkflowHandle<typeof interventionWorkflow> = await client.workflow.start<typeof interventionWorkflow>(
      'interventionWorkflow',
      { taskQueue: worker.taskQueue, workflowId, args: [input] },
    );
    await handle.executeUpdate(confirmIntakeUpdate);
    async function act<K extends CommandKind>(kind: K, args: Commands[K]): Promise<InterventionState> {
      const update: UpdateDefinition<InterventionState, [Commands[K]]> = commandUpdates[kind];
      return handle.executeUpdate(update, { args: [args] });
    }
    const state = () => handle.query(getStateQuery);
    const published = async () => (await handle.describe()).typedSearchAttributes;
    /** The failure an action was refused with (its type and message). */
    async function refused<K extends CommandKind>(kind: K, args: Commands[K]): Promise<ApplicationFailure> {
      const err = await act(kind, args).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      return cause as ApplicationFailure;
    }
    const transitions = () => scenario.calls('recordTransition').map((t) => t.to);
    const mails = () => scenario.calls('notify').map((n) => `${n.to}:${n.template}`);
    return { ticket, handle, scenario, act, state, published, refused, transitions, mails };
  }

  async function inProgress(options: Parameters<typeof open>[0] = {}) {
    const iv = await open(options);
    await iv.act('triage', { actor: 'support', decision: 'intervene' });
    await iv.act('assign', {
      actor: 'dispatcher',
      technicianId: 'tech-1',
      start: '2026-12-01T09:00:00Z',
      end: '2026-12-01T10:00:00Z',
      source: 'dispatcher',
    });
    await iv.act('checkIn', { actor: 'technician', mode: 'on_site' });
    return iv;
  }

  describe('analysis', () => {
    it('intervene: the first decision answers the request and sends it to planning', async () => {
      const iv = await open();
      const state = await iv.act('triage', { actor: 'support', decision: 'intervene', note: 'send someone' });
      expect(state).toMatchObject({ status: 'awaiting_planning', clientStatus: 'in_analysis' });
      expect(state.sla.respondedAt).not.toBeNull();
      expect(iv.transitions()).toEqual(['new', 'analysis', 'awaiting_planning']);
      expect(iv.scenario.calls('updateRequest')).toContainEqual(expect.objectContaining({ firstResponseAt: state.sla.respondedAt }));
    });

    it('request info: the client is reminded while silent, and the answer brings the request back to analysis', async () => {
      const iv = await open({ policy: { ...CALM, infoReminderMs: 800 } });
      const asked = await iv.act('triage', { actor: 'support', decision: 'request_info', question: 'Which model?' });
      expect(asked.status).toBe('awaiting_client_info');
      expect(iv.mails()).toContain('client:info_requested');
      await eventually(async () => iv.mails().includes('client:info_reminder'), 'a reminder to the silent client', 10_000);
      const answered = await iv.act('clientAnswer', { actor: 'client', answer: 'X200' });
      expect(answered.status).toBe('analysis');
      expect(iv.scenario.calls('recordEvent').map((e) => e.kind)).toContain('client_answer');
      expect((await iv.act('triage', { actor: 'support', decision: 'intervene' })).status).toBe('awaiting_planning');
    });

    it('specialist: routed one level up, then decided again there', async () => {
      const iv = await open();
      const routed = await iv.act('triage', { actor: 'support', decision: 'route_specialist', group: 'network' });
      expect(routed).toMatchObject({ status: 'specialist_review', specialistGroup: 'network', supportLevel: 2 });
      expect((await iv.act('triage', { actor: 'support', decision: 'intervene' })).status).toBe('awaiting_planning');
    });

    it('remote proposal accepted: validated, invoiced, surveyed, closed with the rating', async () => {
      const iv = await open();
      const proposed = await iv.act('triage', { actor: 'support', decision: 'propose_remote', solution: 'Reset the BIOS', minutes: 20 });
      expect(proposed).toMatchObject({ status: 'solution_proposed', clientStatus: 'solution_proposed' });
      expect(iv.scenario.calls('recordEvent')).toContainEqual(
        expect.objectContaining({ kind: 'solution', remoteSession: expect.anything() }),
      );
      expect((await iv.act('clientAccept', { actor: 'client' })).status).toBe('validated');
      await eventually(async () => (await iv.state()).status === 'survey', 'the survey after the invoice');
      expect((await iv.state()).invoiceNumber).toBe(`FA-2026-${iv.ticket}`);
      await iv.act('surveyAnswer', { actor: 'client', rating: 4, comment: 'fast' });
      const final = await iv.handle.result();
      expect(final).toMatchObject({ status: 'closed', survey: { rating: 4, comment: 'fast' } });
      expect(iv.transitions().slice(-4)).toEqual(['validated', 'invoiced', 'survey', 'closed']);
    });

    it('remote proposal rejected: back to planning with the reason', async () => {
      const iv = await open();
      await iv.act('triage', { actor: 'support', decision: 'propose_remote', solution: 'Reset the BIOS', minutes: 20 });
      const rejected = await iv.act('clientReject', { actor: 'client', reason: 'still black' });
      expect(rejected).toMatchObject({ status: 'awaiting_planning', validationRejections: 1 });
      expect(iv.mails()).toContain('client:rework_planned');
    });
  });

  describe('work and validation', () => {
    it('on site: check-in, log, check-out, report, then the client accepts', async () => {
      const iv = await inProgress();
      expect((await iv.state()).status).toBe('in_progress');
      expect((await iv.act('logEntry', { actor: 'technician', kind: 'diagnosis', text: 'dead power supply' })).logEntries).toBe(1);
      expect((await iv.act('checkOut', { actor: 'technician' })).openVisitId).toBeNull();
      const reported = await iv.act('submitReport', { actor: 'technician', summary: 'PSU replaced', recommendations: [] });
      expect(reported).toMatchObject({ status: 'awaiting_validation', reportSubmitted: true });
      expect(iv.scenario.calls('setAssignmentStatus')).toEqual([{ assignmentId: 'assignment-1', status: 'completed' }]);
      expect((await iv.act('clientAccept', { actor: 'client' })).status).toBe('validated');
    });

    it('validation unanswered: the client is reminded, then support is alerted, and the wait goes on', async () => {
      const iv = await open({ policy: { ...CALM, validationReminderMs: 600, validationReminderCount: 1 } });
      await iv.act('triage', { actor: 'support', decision: 'propose_remote', solution: 'Reset the BIOS', minutes: 20 });
      await eventually(async () => iv.mails().includes('support:validation_overdue'), 'support alerted of the overdue validation', 10_000);
      expect(iv.mails().filter((m) => m === 'client:validation_reminder')).toHaveLength(1);
      expect((await iv.act('clientAccept', { actor: 'client' })).status).toBe('validated');
    });

    it('technician escalation: visit closed, assignment completed, back to analysis one level up', async () => {
      const iv = await inProgress();
      const escalated = await iv.act('escalate', { actor: 'technician', reason: 'needs a network specialist' });
      expect(escalated).toMatchObject({ status: 'analysis', supportLevel: 2, assignment: null, openVisitId: null });
      expect(iv.scenario.calls('checkOut')).toHaveLength(1);
    });
  });

  describe('survey', () => {
    it('unanswered: one reminder, then closed at the deadline', async () => {
      const iv = await open({ policy: { ...CALM, surveyReminderMs: 500, surveyDeadlineMs: 1_000 } });
      await iv.act('triage', { actor: 'support', decision: 'propose_remote', solution: 'Reset the BIOS', minutes: 20 });
      await iv.act('clientAccept', { actor: 'client' });
      const final = await iv.handle.result();
      expect(final).toMatchObject({ status: 'closed', survey: null });
      expect(iv.mails().filter((m) => m === 'client:survey_reminder')).toHaveLength(1);
      expect(iv.scenario.calls('recordTransition').at(-1)).toMatchObject({ to: 'closed', message: 'survey unanswered' });
    });
  });

  describe('cancellation', () => {
    it('in analysis: the workflow ends cancelled, with the reason, and the client is told', async () => {
      const iv = await open();
      const state = await iv.act('cancel', { actor: 'support', reason: 'duplicate request' });
      expect(state).toMatchObject({ status: 'cancelled', clientStatus: 'closed', cancelReason: 'duplicate request' });
      expect((await iv.handle.result()).status).toBe('cancelled');
      expect(iv.mails()).toContain('client:cancelled');
    });

    it('on site: the visit is closed and the technician released before the workflow ends', async () => {
      const iv = await inProgress();
      await iv.act('cancel', { actor: 'support', reason: 'client moved offices' });
      expect((await iv.handle.result()).status).toBe('cancelled');
      expect(iv.scenario.calls('checkOut')).toHaveLength(1);
      expect(iv.scenario.calls('setAssignmentStatus')).toEqual([{ assignmentId: 'assignment-1', status: 'cancelled' }]);
      expect(iv.scenario.calls('cancelTechnicianInvite')).toHaveLength(1);
    });
  });

  describe('an action whose write fails for good (issue 16)', () => {
    const failingRecords = { recordTransition: async (input: { message?: string | null }) => (await refusesNul(input.message), true) };

    it('a cancel whose reason the database refuses is refused; the intervention stays as it was and takes the next action', async () => {
      const iv = await open({ overrides: failingRecords });
      const before = await iv.state();
      const failure = await iv.refused('cancel', { actor: 'support', reason: 'a\u0000b' });
      expect(failure.type).toBe('ActionFailed');
      expect(failure.message).toContain('0x00');
      const after = await iv.state();
      expect(after).toEqual(before);
      expect(after).toMatchObject({ status: 'analysis', clientStatus: 'in_analysis', cancelReason: null });
      expect((await iv.published()).get(SearchKeys.status)).toBe('analysis');
      // Not frozen: the next action is taken (no '409 another action (cancel)'), then a cancel with a clean reason.
      expect((await iv.act('triage', { actor: 'support', decision: 'intervene' })).status).toBe('awaiting_planning');
      expect((await iv.act('cancel', { actor: 'support', reason: 'duplicate request' })).status).toBe('cancelled');
      expect((await iv.handle.result()).status).toBe('cancelled');
    });

    it('a refused triage decision leaves the request in analysis; the SLA response stays unmet', async () => {
      const iv = await open({ overrides: failingRecords });
      const failure = await iv.refused('triage', { actor: 'support', decision: 'intervene', note: 'x\u0000' });
      expect(failure.type).toBe('ActionFailed');
      expect(await iv.state()).toMatchObject({ status: 'analysis', sla: { respondedAt: null } });
      expect((await iv.act('triage', { actor: 'support', decision: 'intervene' })).status).toBe('awaiting_planning');
    });

    it('a refused priority change puts back the priority and its search attribute', async () => {
      const iv = await open({
        overrides: { recordEvent: async (input: { message?: string | null }) => (await refusesNul(input.message), true) },
      });
      const failure = await iv.refused('changePriority', { actor: 'support', priority: 'P1', reason: 'urgent\u0000' });
      expect(failure.type).toBe('ActionFailed');
      expect(await iv.state()).toMatchObject({ priority: 'P3', priorityReason: null, status: 'analysis' });
      expect((await iv.published()).get(SearchKeys.priority)).toBe('P3');
      expect((await iv.act('changePriority', { actor: 'support', priority: 'P1', reason: 'urgent' })).priority).toBe('P1');
      expect((await iv.published()).get(SearchKeys.priority)).toBe('P1');
    });

    it('a refused assignment leaves no technician assigned, in state or search attributes', async () => {
      const failOnSchedule = async (input: { to: string }) => {
        if (input.to === 'scheduled') throw NUL_REFUSED;
        return true;
      };
      const iv = await open({ overrides: { recordTransition: failOnSchedule } });
      await iv.act('triage', { actor: 'support', decision: 'intervene' });
      const slot = {
        actor: 'dispatcher',
        technicianId: 'tech-1',
        start: '2026-12-01T09:00:00Z',
        end: '2026-12-01T10:00:00Z',
        source: 'dispatcher',
      } as const;
      expect((await iv.refused('assign', slot)).type).toBe('ActionFailed');
      expect(await iv.state()).toMatchObject({ status: 'awaiting_planning', assignment: null });
      expect((await iv.published()).get(SearchKeys.technicianId)).toBeUndefined();
      expect((await iv.act('cancel', { actor: 'support', reason: 'duplicate request' })).status).toBe('cancelled');
    });

    it('a refused cancel on site releases no one: the visit stays open, the technician keeps the slot', async () => {
      const iv = await inProgress({ overrides: failingRecords });
      const before = await iv.state();
      expect((await iv.refused('cancel', { actor: 'support', reason: 'gone\u0000' })).type).toBe('ActionFailed');
      expect(await iv.state()).toEqual(before);
      expect(iv.scenario.calls('checkOut')).toHaveLength(0);
      expect(iv.scenario.calls('setAssignmentStatus')).toHaveLength(0);
      expect(iv.scenario.calls('cancelTechnicianInvite')).toHaveLength(0);
      expect((await iv.published()).get(SearchKeys.status)).toBe('in_progress');
      expect((await iv.act('checkOut', { actor: 'technician' })).openVisitId).toBeNull();
    });

    it('a refused escalation leaves the technician on site, at the same support level', async () => {
      const iv = await inProgress({ overrides: failingRecords });
      const before = await iv.state();
      expect((await iv.refused('escalate', { actor: 'technician', reason: 'network\u0000' })).type).toBe('ActionFailed');
      expect(await iv.state()).toEqual(before);
      expect(iv.scenario.calls('checkOut')).toHaveLength(0);
      expect(iv.scenario.calls('setAssignmentStatus')).toHaveLength(0);
      expect((await iv.act('escalate', { actor: 'technician', reason: 'network' })).status).toBe('analysis');
    });

    it('a refused cancel keeps the SLA watch running: the response deadline still raises its alert', async () => {
      const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
      const iv = await open({
        contractId: 'contract-1',
        overrides: {
          ...failingRecords,
          computeSlaDeadlines: async () => ({
            responseDueAt: soon(4_000),
            resolutionDueAt: soon(600_000),
            estimatedInterventionAt: soon(4_000),
            responseMinutes: 1,
            resolutionMinutes: 10,
            coverage: '24_7',
            pausesWhenWaiting: false,
          }),
        },
      });
      expect((await iv.refused('cancel', { actor: 'support', reason: '\u0000' })).type).toBe('ActionFailed');
      await eventually(
        async () => iv.scenario.calls('recordEvent').some((e) => e.kind === 'sla:response_at_risk'),
        'the response SLA alert after the refused cancel',
        15_000,
      );
      expect((await iv.state()).status).toBe('analysis');
    });
  });
});
