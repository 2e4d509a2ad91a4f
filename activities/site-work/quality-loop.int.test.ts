/**
 * The quality loop on the real database: a survey answer moves the rating of the technician of
 * the last visit as a Bayesian average (prior 4.0 weighing 5 answers), a retry changes nothing,
 * and a rating of 2 or less opens one follow-up for support.
 */
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { insertHistoricalRequests, type HistoricalRequest } from '../../db/repositories/history.repository.js';
import { testDb } from '../../scripts/testing/env.js';
import { addTechnician, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import { createSiteWorkActivities } from './site-work.activities.js';

function awaitingSurvey(client: TestClient, technicianId: string): HistoricalRequest {
  const created = new Date('2030-02-04T09:00:00Z');
  const plus = (h: number) => new Date(created.getTime() + h * 3_600_000);
  return {
    ticketNumber: `INT-2030-${String(randomInt(1e9)).padStart(9, '0')}`,
    clientId: client.clientId,
    locationId: client.locationId,
    contractId: client.contractId,
    assetId: null,
    serviceType: 'hardware_repair',
    priority: 'P3',
    title: 'Imprimante',
    createdAt: created,
    firstResponseAt: plus(1),
    resolvedAt: plus(5),
    closedAt: null,
    cancelledAt: null,
    responseDueAt: null,
    resolutionDueAt: null,
    transitions: [
      { at: created, from: 'new', to: 'analysis' },
      { at: plus(5), from: 'awaiting_validation', to: 'validated' },
      { at: plus(5.1), from: 'validated', to: 'survey' },
    ],
    visits: [{ technicianId, checkedInAt: plus(3), checkedOutAt: plus(4), travelMinutes: 20 }],
    survey: null,
  };
}

describe('survey answers close the quality loop', () => {
  let db: Kysely<DB>;
  let technicianId: string;
  const workflows: string[] = [];

  beforeAll(async () => {
    db = testDb();
    const client = await createTestClient(db);
    technicianId = (await addTechnician(db)).id;
    const requests = [awaitingSurvey(client, technicianId), awaitingSurvey(client, technicianId)];
    await insertHistoricalRequests(db, requests);
    workflows.push(...requests.map((r) => `history-${r.ticketNumber}`));
  });
  afterAll(async () => {
    await db?.destroy();
  });

  const rating = async () =>
    await db.selectFrom('technicians').select(['rating', 'performance']).where('id', '=', technicianId).executeTakeFirstOrThrow();
  const followUps = () => db.selectFrom('surveyFollowUps').selectAll().where('technicianId', '=', technicianId).execute();

  it('moves the rating a little on one answer, once even if retried', async () => {
    const activities = createSiteWorkActivities({ db });
    const answer = { workflowId: workflows[0]!, rating: 5, comment: 'Très bien', idempotencyKey: `${workflows[0]}:survey` };
    await activities.saveSurveyAnswer(answer);
    await activities.saveSurveyAnswer(answer);
    // (5 × 4.0 + 5) / (5 + 1) = 4.1667 → 4.2
    expect((await rating()).rating).toBe('4.2');
    expect((await rating()).performance).toMatchObject({ meanSatisfaction: 5, surveyAnswers: 1 });
    expect(await followUps()).toEqual([]);
  });

  it('opens one follow-up for a rating of 1, and lowers the rating', async () => {
    const activities = createSiteWorkActivities({ db });
    const answer = { workflowId: workflows[1]!, rating: 1, comment: 'Jamais venu', idempotencyKey: `${workflows[1]}:survey` };
    await activities.saveSurveyAnswer(answer);
    await activities.saveSurveyAnswer(answer);
    // (20 + 5 + 1) / 7 = 3.714 → 3.7
    expect((await rating()).rating).toBe('3.7');
    const open = await followUps();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ rating: 1, comment: 'Jamais venu', status: 'open' });
  });
});
