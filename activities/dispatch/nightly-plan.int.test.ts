/**
 * The nightly plan the way production runs it: its Temporal Schedule (triggered now, for a day of
 * this file's own) starts the nightly workflow, which optimizes the day through the daily-plan
 * workflow and leaves one proposed plan for the dispatchers; a second trigger plans nothing again.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduleHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNightlyPlanSchedule } from '../../scripts/nightly-plan-schedule.js';
import { eventually, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { addPlannableRequest, addTechnician, createTestAccount, createTestClient } from '../../scripts/testing/fixtures.js';
import { nightlyDailyPlanWorkflowId, type NightlyPlanOutcome } from '../../workflows/dispatch/nightly-plan.contract.js';
import { nextWallClockInstant, nextWorkingDay } from './nightly-plan.js';

const DATE = '2033-06-14'; // a Tuesday no other test plans
const TUESDAY = { weekday: 2, startsAt: '08:30', endsAt: '17:30' };

describe('nightly plan', () => {
  let platform: TestPlatform;
  let schedule: ScheduleHandle | undefined;
  const scheduleId = `nightly-plan-test-${randomUUID()}`;
  // Open requests are visits of every day: ours must not linger in other files' days.
  const ours: string[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({ app: { log: () => {} } });
  });

  afterAll(async () => {
    await schedule?.delete().catch(() => {});
    await platform?.db.updateTable('serviceRequests').set({ status: 'cancelled' }).where('id', 'in', ours).execute();
    await platform?.stop();
  });

  it('picks the next working day in Paris, past weekends and French public holidays', () => {
    expect(nextWorkingDay(new Date('2033-06-13T16:00:00Z'))).toBe('2033-06-14'); // Monday evening → Tuesday
    expect(nextWorkingDay(new Date('2033-06-17T16:00:00Z'))).toBe('2033-06-20'); // Friday → Monday
    expect(nextWorkingDay(new Date('2033-07-13T16:00:00Z'))).toBe('2033-07-15'); // 14 July is a holiday
    // 23:30 UTC on the 13th is already the 14th in Paris: the next working day is the 15th.
    expect(nextWorkingDay(new Date('2033-07-13T23:30:00Z'))).toBe('2033-07-15');
    // The publication time: tonight if still ahead, else tomorrow (Paris wall clock, summer time).
    expect(nextWallClockInstant(new Date('2033-06-13T16:00:00Z'), '21:00').toISOString()).toBe('2033-06-13T19:00:00.000Z');
    expect(nextWallClockInstant(new Date('2033-06-13T16:00:00Z'), '07:00').toISOString()).toBe('2033-06-14T05:00:00.000Z');
  });

  it('proposes one plan of the day when the schedule fires, and none more on a second trigger', async () => {
    const { db, client } = platform;
    const tenant = await createTestClient(db);
    await createTestAccount(db, 'dispatcher');
    await addTechnician(db, { firstName: 'Nuit', latitude: 48.86, longitude: 2.35, skills: { network_configuration: 5 }, shift: TUESDAY });
    const request = await addPlannableRequest(db, { clientId: tenant.clientId, lat: 48.87, lon: 2.34, priority: 'P2' });
    ours.push(request.id);
    // The client accepted an afternoon appointment: 12:00–17:00 in Paris (summer time, UTC+2).
    const appointment = { from: new Date('2033-06-14T10:00:00Z'), to: new Date('2033-06-14T15:00:00Z') };
    await db
      .updateTable('serviceRequests')
      .set({ appointmentFrom: appointment.from, appointmentTo: appointment.to })
      .where('id', '=', request.id)
      .execute();

    schedule = await ensureNightlyPlanSchedule(client, {
      taskQueue: platform.taskQueue,
      scheduleId,
      at: '18:00',
      input: { date: DATE, seconds: 1 },
    });
    const described = await schedule.describe();
    expect(described.spec.timezone).toBe('Europe/Paris');

    await schedule.trigger();
    const first = await eventually(
      async () => (await schedule!.describe()).info.recentActions[0]?.action.workflow.workflowId,
      'the first nightly run',
    );
    const outcome = (await client.workflow.getHandle(first).result()) as NightlyPlanOutcome;
    expect(outcome).toMatchObject({ date: DATE, outcome: 'proposed' });

    const plans = await db
      .selectFrom('dispatchPlans')
      .select(['id', 'status', 'workflowId', 'result'])
      .where('planDate', '=', DATE)
      .execute();
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ status: 'proposed', workflowId: nightlyDailyPlanWorkflowId(DATE) });
    if (outcome.outcome !== 'proposed') throw new Error('expected a proposed plan');
    expect(plans[0]!.id).toBe(outcome.planId);
    const routes = (plans[0]!.result as { routes: Array<{ stops: Array<{ requestId: string; start: string; end: string }> }> }).routes;
    const stop = routes.flatMap((r) => r.stops).find((s) => s.requestId === request.id);
    expect(stop, JSON.stringify((plans[0]!.result as any).unassigned.filter((u: any) => u.requestId === request.id))).toBeDefined();
    // The whole visit inside the appointment window.
    expect(Date.parse(stop!.start)).toBeGreaterThanOrEqual(appointment.from.getTime());
    expect(Date.parse(stop!.end)).toBeLessThanOrEqual(appointment.to.getTime());

    // The same evening again (a retry, a catch-up): the day's plan run is taken, nothing is redone.
    await schedule.trigger();
    const second = await eventually(async () => {
      const actions = (await schedule!.describe()).info.recentActions;
      return actions.length >= 2 ? actions[actions.length - 1]!.action.workflow.workflowId : undefined;
    }, 'the second nightly run');
    expect(second).not.toBe(first);
    expect(await client.workflow.getHandle(second).result()).toEqual({ date: DATE, outcome: 'already_planned' });
    const after = await db.selectFrom('dispatchPlans').select('id').where('planDate', '=', DATE).execute();
    expect(after).toHaveLength(1);
  });
});
