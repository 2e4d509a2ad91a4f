/**
 * A technician who is not the one assigned gets 403 on every technician action of an
 * intervention (the workflow's NotAssigned refusal, mapped once at the HTTP edge), and the
 * intervention is left as it was; the assigned technician's own actions still go through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';

type Account = Awaited<ReturnType<typeof createTestAccount>>;

describe('technician actions on an intervention assigned to someone else', () => {
  let platform: TestPlatform;
  let tenant: TestClient;
  let client: Account;
  let support: Account;
  let dispatcher: Account;
  let assigned: Account;
  let stranger: Account;

  async function call(path: string, who: Account, body: unknown = {}) {
    const response = await fetch(`${platform.url}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...who.headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    tenant = await createTestClient(platform.db);
    client = await createTestAccount(platform.db, 'client_user', { clientId: tenant.clientId });
    support = await createTestAccount(platform.db, 'support_agent');
    dispatcher = await createTestAccount(platform.db, 'dispatcher');
    assigned = await createTestAccount(platform.db, 'technician');
    stranger = await createTestAccount(platform.db, 'technician');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers 403 on check-in, log, check-out, escalate and report, and changes nothing', async () => {
    const created = await call('/requests', client, intakeBody(tenant));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ticket = created.body.ticketNumber as string;
    expect((await call(`/requests/${ticket}/triage`, support, { decision: 'intervene' })).status).toBe(200);
    // First the other technician's visit (done, rejected by the client), then reassigned: they
    // still see the request (their visit) but no longer work on it, so the workflow refuses.
    const start = new Date(Date.now() + 86_400_000);
    const assignTo = async (technician: Account) => {
      const assign = await call(`/requests/${ticket}/assign`, dispatcher, {
        technicianId: technician.technicianId,
        start: start.toISOString(),
        end: new Date(start.getTime() + 3_600_000).toISOString(),
        source: 'dispatcher',
      });
      expect(assign.status, JSON.stringify(assign.body)).toBe(200);
    };
    await assignTo(stranger);
    for (const [action, body] of [
      ['check-in', { mode: 'on_site' }],
      ['check-out', {}],
      ['report', { summary: 'Alimentation remplacée', recommendations: [] }],
    ] as const) {
      const done = await call(`/requests/${ticket}/${action}`, stranger, body);
      expect(done.status, `${action}: ${JSON.stringify(done.body)}`).toBe(200);
    }
    expect((await call(`/requests/${ticket}/reject`, client, { reason: "L'écran clignote encore" })).status).toBe(200);
    await assignTo(assigned);

    const checkIn = await call(`/requests/${ticket}/check-in`, stranger, { mode: 'on_site' });
    expect(checkIn.status, JSON.stringify(checkIn.body)).toBe(403);
    expect(checkIn.body.error.code).toBe('forbidden');
    expect((await call(`/requests/${ticket}/check-in`, assigned, { mode: 'on_site' })).status).toBe(200);

    const attempts: Array<[string, unknown]> = [
      ['log', { kind: 'diagnosis', text: 'Alimentation HS' }],
      ['check-out', {}],
      ['escalate', { reason: 'Besoin N3' }],
    ];
    for (const [action, body] of attempts) {
      const refused = await call(`/requests/${ticket}/${action}`, stranger, body);
      expect(refused.status, `${action}: ${JSON.stringify(refused.body)}`).toBe(403);
    }
    // Cancelling is not a technician's action at all: refused by the route's access list.
    expect((await call(`/requests/${ticket}/cancel`, stranger, { reason: 'pas moi' })).status).toBe(403);

    const state = await fetch(`${platform.url}/api/requests/${ticket}`, { headers: support.headers });
    expect(((await state.json()) as any).request.status).toBe('in_progress');
    // The report is accepted only after the check-out (else 409 for everyone).
    expect((await call(`/requests/${ticket}/check-out`, assigned)).status).toBe(200);
    const report = { summary: 'Alimentation remplacée', recommendations: [] };
    const refusedReport = await call(`/requests/${ticket}/report`, stranger, report);
    expect(refusedReport.status, JSON.stringify(refusedReport.body)).toBe(403);
    expect((await call(`/requests/${ticket}/report`, assigned, report)).status).toBe(200);
  });
});
