/**
 * The knowledge-base routes on the real app, PostgreSQL and Temporal: write → review → publish,
 * client search and reading, votes, views and deflections in the usage figures, "document this
 * solution" from a resolved request, and a workaround on an open request (the client emailed,
 * "workaround in place" shown, the SLA clock not stopped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { interventionWorkflowId, getStateQuery } from '../../workflows/intervention/intervention.contract.js';
import { eventually, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';

let platform: TestPlatform;
let clientA: TestClient;
const headers = {} as Record<'support' | 'reviewer' | 'clientA' | 'clientA2' | 'clientB', Record<string, string>>;

async function call<T = any>(
  who: keyof typeof headers,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${platform.url}/api${path}`, {
    method,
    headers: { ...headers[who], ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const article = (title: string, body: string, extra: Record<string, unknown> = {}) => ({
  kind: 'faq',
  title,
  body,
  serviceTypes: ['network_configuration'],
  audience: 'all_clients',
  ...extra,
});

async function publish(id: string) {
  expect((await call('support', 'POST', `/knowledge/articles/${id}/lifecycle`, { action: 'submit' })).status).toBe(200);
  const published = await call('reviewer', 'POST', `/knowledge/articles/${id}/lifecycle`, { action: 'publish' });
  expect(published.status).toBe(200);
  return published.body;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  clientA = await createTestClient(platform.db);
  const clientB = await createTestClient(platform.db);
  headers.support = (await createTestAccount(platform.db, 'support_agent')).headers;
  headers.reviewer = (await createTestAccount(platform.db, 'admin')).headers;
  headers.clientA = (await createTestAccount(platform.db, 'client_user', { clientId: clientA.clientId })).headers;
  headers.clientA2 = (await createTestAccount(platform.db, 'client_admin', { clientId: clientA.clientId })).headers;
  headers.clientB = (await createTestAccount(platform.db, 'client_user', { clientId: clientB.clientId })).headers;
});

afterAll(async () => {
  await platform?.stop();
});

describe('knowledge base API', () => {
  it('writes, reviews and publishes; a client finds, reads and votes; the figures count it all', async () => {
    const created = await call<{ id: string }>(
      'support',
      'POST',
      '/knowledge/articles',
      article('Le VPN se déconnecte toutes les heures', 'Renouveler le certificat du client **VPN** puis se reconnecter.'),
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    // Not yet published: the client neither finds nor opens it.
    expect((await call('clientA', 'GET', `/knowledge/articles/${id}`)).status).toBe(404);
    const published = await publish(id);
    expect(published.status).toBe('published');

    const found = await call('clientA', 'GET', `/knowledge/search?q=${encodeURIComponent('vpn deconnecté')}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((i: { id: string }) => i.id)).toContain(id);
    const read = await call('clientA', 'GET', `/knowledge/articles/${id}`);
    expect(read.body.content.title).toBe('Le VPN se déconnecte toutes les heures');
    expect(read.body.versions).toEqual([]);

    expect((await call('clientA', 'POST', `/knowledge/articles/${id}/events`, { kind: 'view' })).status).toBe(200);
    expect((await call('clientA', 'POST', `/knowledge/articles/${id}/events`, { kind: 'deflection' })).status).toBe(200);
    expect((await call('clientA', 'POST', `/knowledge/articles/${id}/vote`, { helpful: false })).status).toBe(200);
    expect((await call('clientA', 'POST', `/knowledge/articles/${id}/vote`, { helpful: true })).status).toBe(200);
    expect((await call('clientB', 'POST', `/knowledge/articles/${id}/vote`, { helpful: false })).status).toBe(200);
    expect((await call('clientB', 'POST', `/knowledge/articles/${id}/vote`, { helpful: 'oui' })).status).toBe(400);
    expect((await call('clientA', 'POST', '/knowledge/articles', article('x', 'y'))).status).toBe(403);

    const nothing = await call('clientA', 'GET', `/knowledge/search?q=${encodeURIComponent('téléporteur quantique')}`);
    expect(nothing.body.matched).toBe('none');

    const usage = await call('support', 'GET', '/knowledge/usage');
    expect(usage.status).toBe(200);
    const mine = usage.body.articles.find((a: { id: string }) => a.id === id);
    expect(mine).toMatchObject({ views: 1, deflections: 1, helpful: 1, notHelpful: 1, requestsSolved: 0 });
    expect(usage.body.unansweredSearches.map((s: { query: string }) => s.query)).toContain('téléporteur quantique');
    expect((await call('clientA', 'GET', '/knowledge/usage')).status).toBe(403);
  });

  it('an edit is a new version; two versions can be read side by side', async () => {
    const { body } = await call<{ id: string }>('support', 'POST', '/knowledge/articles', article('NAS lent', 'Version une.'));
    await publish(body.id);
    const revised = await call('support', 'PUT', `/knowledge/articles/${body.id}`, {
      ...article('NAS lent le matin', 'Version deux.'),
      changeNote: 'précision',
    });
    expect(revised.body).toMatchObject({ version: 2 });
    const v1 = await call('support', 'GET', `/knowledge/articles/${body.id}/versions/1`);
    const v2 = await call('support', 'GET', `/knowledge/articles/${body.id}/versions/2`);
    expect([v1.body.body, v2.body.body]).toEqual(['Version une.', 'Version deux.']);
    // The client reads version 1 until version 2 is published, and cannot fetch version 2.
    expect((await call('clientA', 'GET', `/knowledge/articles/${body.id}`)).body.content.body).toBe('Version une.');
    expect((await call('clientA', 'GET', `/knowledge/articles/${body.id}/versions/2`)).status).toBe(404);
  });

  it('documents a resolved request as a pre-filled draft linked to it, and counts it as solved', async () => {
    const closed = await createClosedIntervention(platform.db, clientA, { visits: [{ minutes: 45 }] });
    const requestId = (
      await platform.db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', closed.ticketNumber).executeTakeFirstOrThrow()
    ).id;
    await platform.db
      .insertInto('requestEvents')
      .values([
        { requestId, kind: 'diagnosis', actorType: 'technician', message: 'Alimentation défectueuse', idempotencyKey: `${requestId}:d` },
        {
          requestId,
          kind: 'action',
          actorType: 'technician',
          message: 'Remplacement du bloc d’alimentation',
          idempotencyKey: `${requestId}:a`,
        },
      ])
      .execute();
    await platform.db
      .insertInto('interventionReports')
      .values({
        requestId,
        summary: 'Poste redémarré après remplacement.',
        recommendations: JSON.stringify(['Onduleur conseillé']),
        idempotencyKey: `${requestId}:r`,
      })
      .execute();
    const drafted = await call<{ id: string }>('support', 'POST', `/requests/${closed.ticketNumber}/knowledge/document`);
    expect(drafted.status).toBe(201);
    const draft = await call('support', 'GET', `/knowledge/articles/${drafted.body.id}`);
    expect(draft.body.status).toBe('draft');
    expect(draft.body.audience).toBe('internal');
    expect(draft.body.content.title).toBe('Poste comptabilité ne démarre plus');
    for (const part of [
      '## Problème',
      'Écran noir',
      'Alimentation défectueuse',
      '1. Remplacement du bloc',
      'Poste redémarré',
      'Onduleur conseillé',
    ]) {
      expect(draft.body.content.body).toContain(part);
    }
    expect(draft.body.requestsSolved).toBe(1);
    expect(draft.body.requests.map((r: { relation: string }) => r.relation).sort()).toEqual(['documented_from', 'solved_by']);
    const links = await call('support', 'GET', `/requests/${closed.ticketNumber}/knowledge`);
    expect(links.body.workaroundInPlace).toBe(false);
  });

  it('refuses to document a request that is not resolved', async () => {
    const submitted = await call<{ ticketNumber: string }>('support', 'POST', '/requests', intakeBody(clientA));
    expect(submitted.status).toBe(201);
    expect((await call('support', 'POST', `/requests/${submitted.body.ticketNumber}/knowledge/document`)).status).toBe(409);
  });

  it('attaches a workaround to an open request: the client is emailed once and sees it; the SLA clock runs on', async () => {
    const submitted = await call<{ ticketNumber: string }>(
      'support',
      'POST',
      '/requests',
      intakeBody(clientA, { title: 'Imprimante du 2e hors service' }),
    );
    const ticket = submitted.body.ticketNumber;
    const { body } = await call<{ id: string }>(
      'support',
      'POST',
      '/knowledge/articles',
      article('Imprimer sur l’imprimante du 1er étage en attendant', 'Ajouter l’imprimante du 1er.', {
        kind: 'workaround',
        audience: 'companies',
        audienceClientIds: [clientA.clientId],
      }),
    );
    // Not readable by the client yet: refused.
    expect((await call('support', 'POST', `/requests/${ticket}/knowledge`, { articleId: body.id, relation: 'workaround' })).status).toBe(
      422,
    );
    await publish(body.id);
    for (let i = 0; i < 2; i++) {
      const linked = await call('support', 'POST', `/requests/${ticket}/knowledge`, { articleId: body.id, relation: 'workaround' });
      expect(linked.status).toBe(200);
      expect(linked.body.workaroundInPlace).toBe(true);
    }
    const seen = await call('clientA', 'GET', `/requests/${ticket}/knowledge`);
    expect(seen.body).toMatchObject({ workaroundInPlace: true, items: [{ id: body.id, relation: 'workaround' }] });
    expect((await call('clientB', 'GET', `/requests/${ticket}/knowledge`)).status).toBe(404);
    const mail = await eventually(
      () =>
        platform.db
          .selectFrom('outboundMessages')
          .innerJoin('serviceRequests', 'serviceRequests.id', 'outboundMessages.requestId')
          .select(['subject', 'textBody', 'toAddresses'])
          .where('serviceRequests.ticketNumber', '=', ticket)
          .where('subject', 'like', '%contournement%')
          .execute()
          .then((rows) => (rows.length ? rows : null)),
      'the workaround email',
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]!.toAddresses).toEqual([clientA.contactEmail]);
    // The intervention is untouched: same status, SLA not paused.
    const state = await platform.client.workflow.getHandle(interventionWorkflowId(ticket)).query(getStateQuery);
    expect(state.sla.pausedAt).toBeNull();
    expect(state.status).toBe('analysis');
  });
});
