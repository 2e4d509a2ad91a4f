/**
 * Emergencies without a button: on a day whose plan is published (this file's own day, the
 * dispatch activities' clock set to its morning), a P1 request sent to planning is inserted by
 * the intervention's own emergency-insertion workflow, the new version is published (the P1 is
 * assigned through its intervention), and the dispatchers get a notice of what moved.
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { createMailer } from '../notifications/mailer.js';
import { eventually, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { addTechnician, createTestAccount, createTestClient, intakeBody } from '../../scripts/testing/fixtures.js';
import { getStateQuery, interventionWorkflowId } from '../../workflows/intervention/intervention.contract.js';
import { createDispatchActivities } from './dispatch.activities.js';

const DATE = '2033-06-16'; // a Thursday no other test plans
const NOW = new Date('2033-06-16T06:00:00Z'); // 08:00 in Paris, before the shifts start
const THURSDAY = { weekday: 4, startsAt: '08:30', endsAt: '17:30' };

describe('automatic emergency insertion', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let client: Client;
  let url: string;
  const tickets: string[] = [];
  const json = (headers: Record<string, string>) => ({ ...headers, 'content-type': 'application/json' });

  beforeAll(async () => {
    platform = await startTestPlatform({
      app: { log: () => {} },
      activities: (pool) =>
        createDispatchActivities({
          db: pool,
          now: () => NOW,
          mailer: createMailer({ db: pool, from: 'Support <support@test.local>' }),
          supportEmail: 'support@test.local',
        }),
    });
    ({ db, client, url } = platform);
  });

  afterAll(async () => {
    // Open requests are visits of every day: ours must not linger in other files' days.
    if (tickets.length) await db.updateTable('serviceRequests').set({ status: 'cancelled' }).where('ticketNumber', 'in', tickets).execute();
    await platform?.stop();
  });

  it('inserts a new P1 into the published plan, publishes it, assigns the P1 and tells the dispatchers', async () => {
    const tenant = await createTestClient(db);
    const clientUser = (await createTestAccount(db, 'client_user', { clientId: tenant.clientId })).headers;
    const support = (await createTestAccount(db, 'support_agent')).headers;
    const dispatcher = await createTestAccount(db, 'dispatcher');
    await addTechnician(db, {
      firstName: 'Urgence',
      latitude: 48.8556,
      longitude: 2.3585,
      skills: { hardware_repair: 5 },
      shift: THURSDAY,
    });

    const file = async (problem: Record<string, string>, extra: Record<string, unknown> = {}) => {
      const body = intakeBody(tenant, { problem: { ...intakeBody(tenant).problem, ...problem }, ...extra });
      const created = (await (
        await fetch(`${url}/api/requests`, { method: 'POST', headers: json(clientUser), body: JSON.stringify(body) })
      ).json()) as {
        ticketNumber: string;
        priority: string;
      };
      tickets.push(created.ticketNumber);
      const triage = await fetch(`${url}/api/requests/${created.ticketNumber}/triage`, {
        method: 'POST',
        headers: json(support),
        body: JSON.stringify({ decision: 'intervene' }),
      });
      expect(triage.status).toBe(200);
      return created;
    };

    // The day is planned and published with a routine request.
    // The client accepted a morning appointment at intake: it is stored with the request.
    const appointmentWindow = { from: '2033-06-16T09:00:00+02:00', to: '2033-06-16T12:00:00+02:00' };
    const routine = await file({ impactLevel: 'medium', urgency: 'low' }, { appointmentWindow });
    expect(routine.priority).not.toBe('P1');
    const stored = await db
      .selectFrom('serviceRequests')
      .select(['appointmentFrom', 'appointmentTo'])
      .where('ticketNumber', '=', routine.ticketNumber)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ appointmentFrom: new Date('2033-06-16T07:00:00Z'), appointmentTo: new Date('2033-06-16T10:00:00Z') });
    const run = (await (
      await fetch(`${url}/api/dispatch/plans`, {
        method: 'POST',
        headers: json(dispatcher.headers),
        body: JSON.stringify({ date: DATE, seconds: 1 }),
      })
    ).json()) as { workflowId: string };
    await client.workflow.getHandle(run.workflowId).result();
    const base = (await (await fetch(`${url}/api/dispatch/plans?date=${DATE}`, { headers: dispatcher.headers })).json()) as {
      id: string;
      version: number;
    };
    const published = await fetch(`${url}/api/dispatch/plans/${base.id}/publish`, { method: 'POST', headers: dispatcher.headers });
    expect(published.status).toBe(200);

    // A P1 reaches planning: nobody presses a button.
    const urgent = await file({ impactLevel: 'critical', urgency: 'critical' });
    expect(urgent.priority).toBe('P1');
    const inserted = await eventually(
      async () =>
        db
          .selectFrom('dispatchPlans')
          .select(['id', 'status', 'version', 'result', 'override'])
          .where('planDate', '=', DATE)
          .where('version', '>', base.version)
          .where('status', '=', 'published')
          .executeTakeFirst(),
      'the automatic insertion, published',
      60_000,
    );
    expect(inserted.override).toMatchObject({ kind: 'emergency', by: { role: 'system' } });
    const stops = (inserted.result as { routes: Array<{ technicianId: string; stops: Array<{ ticketNumber: string }> }> }).routes.flatMap(
      (r) => r.stops.map((s) => s.ticketNumber),
    );
    expect(stops).toContain(urgent.ticketNumber);
    // The base version was superseded by the published insertion; one published version for the day.
    const statuses = await db.selectFrom('dispatchPlans').select(['id', 'status']).where('planDate', '=', DATE).execute();
    expect(statuses.filter((p) => p.status === 'published').map((p) => p.id)).toEqual([inserted.id]);

    // The P1 is assigned through its intervention (which tells the technician and the client).
    const state = await eventually(async () => {
      const s = await client.workflow.getHandle(interventionWorkflowId(urgent.ticketNumber)).query(getStateQuery);
      return s.status === 'scheduled' ? s : undefined;
    }, 'the P1 scheduled');
    expect(state.assignment).toBeTruthy();

    // The dispatchers' notice, once, naming the emergency: the insertion's last step, after the
    // publication has assigned the P1, so it is waited for.
    const noticesOf = () =>
      db
        .selectFrom('outboundMessages')
        .select(['toAddresses', 'subject', 'textBody'])
        .where('idempotencyKey', '=', `emergency-insertion-${inserted.id}`)
        .execute();
    await eventually(async () => ((await noticesOf()).length > 0 ? true : undefined), 'the dispatchers notified');
    const notices = await noticesOf();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.toAddresses).toContain(dispatcher.email);
    expect(notices[0]!.textBody).toContain(urgent.ticketNumber);
  });
});
