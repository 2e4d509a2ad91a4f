/**
 * Monitoring alerts → requests against the REAL Prometheus Alertmanager (Debian package
 * `prometheus-alertmanager`), the real app, PostgreSQL and Temporal. The test starts Alertmanager
 * with a webhook receiver pointing at the API on 127.0.0.1 (bearer token of a company integration
 * created through the API), posts an alert to Alertmanager's own API and checks:
 * - one request is filed through the normal intake (workflow, priority from `severity`, the asset
 *   matched by the `instance` host, its site);
 * - Alertmanager's repeats and a re-post of the alert add to that request's timeline, no second request;
 * - ending the alert (endsAt in the past) sends `resolved`: recorded, closing proposed (no visit);
 * - a revoked token is refused (401).
 * It prints the alert-to-request latency (POST to Alertmanager → the request row), not asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { eventually, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('Alertmanager webhook → requests (real Alertmanager)', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let tenant: TestClient;
  let admin: Record<string, string>;
  let integrationId: string;
  let token: string;
  let assetId: string;
  let alertmanager: ChildProcess;
  let amUrl: string;
  let dir: string;
  let amLog = '';
  const alertname = `DiskFull${Math.random().toString(36).slice(2, 8)}`;
  const labels = { alertname, instance: 'SRV-AM-1.example.fr:9100', severity: 'critical', service_type: 'hardware_repair', job: 'node' };
  let ticket = '';

  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = admin) {
    const response = await fetch(`${platform.url}/api${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
  async function postAlert(endsAt?: string) {
    const response = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels,
          annotations: { summary: 'Disque / plein à 97 %', description: 'Le système de fichiers / de srv-am-1 est plein à 97 %.' },
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          ...(endsAt ? { endsAt } : {}),
          generatorURL: 'http://prometheus.example.fr/graph',
        },
      ]),
    });
    expect(response.status).toBe(200);
  }
  const groups = () => db.selectFrom('alertGroups').selectAll().where('integrationId', '=', integrationId).execute();

  beforeAll(async () => {
    platform = await startTestPlatform();
    db = platform.db;
    tenant = await createTestClient(db);
    admin = (await createTestAccount(db, 'client_admin', { clientId: tenant.clientId })).headers;
    const created = await api('POST', `/clients/${tenant.clientId}/integrations`, {
      name: 'Prometheus production',
      locationId: tenant.locationId,
    });
    expect(created.status).toBe(201);
    integrationId = created.body.id;
    token = created.body.token;
    expect(token).toMatch(/^fsi_/);
    // The token is stored hashed only, and never listed again.
    const stored = await db
      .selectFrom('monitoringIntegrations')
      .select('tokenHash')
      .where('id', '=', integrationId)
      .executeTakeFirstOrThrow();
    expect(stored.tokenHash).not.toContain(token);
    expect(JSON.stringify((await api('GET', `/clients/${tenant.clientId}/integrations`)).body)).not.toContain(token);
    assetId = (
      await api('POST', `/clients/${tenant.clientId}/assets`, {
        kind: 'server',
        brand: 'Dell',
        model: 'PowerEdge R650',
        hostname: 'srv-am-1.example.fr',
        locationId: tenant.locationId,
      })
    ).body.id;

    dir = mkdtempSync(join(tmpdir(), 'alertmanager-'));
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      [
        'route:',
        '  receiver: intervention',
        '  group_by: [alertname, instance]',
        '  group_wait: 100ms',
        '  group_interval: 1s',
        '  repeat_interval: 2s',
        'receivers:',
        '  - name: intervention',
        '    webhook_configs:',
        `      - url: ${platform.url}/api/integrations/alertmanager`,
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        '            type: Bearer',
        `            credentials: ${token}`,
        '',
      ].join('\n'),
    );
    alertmanager = spawn(
      ALERTMANAGER,
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    alertmanager.stdout!.on('data', (chunk: Buffer) => (amLog += chunk.toString()));
    alertmanager.stderr!.on('data', (chunk: Buffer) => (amLog += chunk.toString()));
    await eventually(
      () =>
        fetch(`${amUrl}/-/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      `Alertmanager ready on ${amUrl}\n${amLog}`,
      30_000,
    );
  }, 120_000);

  afterAll(async () => {
    alertmanager?.kill('SIGTERM');
    await platform?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('an alert posted to Alertmanager files one request through the intake, for the matched asset, at P1', async () => {
    const postedAt = performance.now();
    await postAlert();
    const request = await eventually(
      async () => {
        const [group] = await groups();
        if (!group?.ticketNumber) return null;
        return db.selectFrom('serviceRequests').selectAll().where('ticketNumber', '=', group.ticketNumber).executeTakeFirst();
      },
      `the request of the alert (Alertmanager log: ${amLog})`,
      30_000,
      10,
    );
    const latencyMs = performance.now() - postedAt;
    console.log(
      `[alertmanager] alert → request row: ${latencyMs.toFixed(0)} ms (POST /api/v2/alerts to the service_requests row; Alertmanager group_wait 100ms)`,
    );
    ticket = request.ticketNumber;
    expect(request).toMatchObject({
      clientId: tenant.clientId,
      assetId,
      locationId: tenant.locationId,
      priority: 'P1',
      serviceType: 'hardware_repair',
    });
    expect(request.title).toContain(alertname);
    // A real intervention workflow runs it.
    const description = await platform.client.workflow.getHandle(request.workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  it('repeats add to the request’s timeline; no second request', async () => {
    // Alertmanager repeats the notification every repeat_interval; a re-post of the alert too.
    await postAlert();
    const group = await eventually(
      async () => {
        const [g] = await groups();
        return g && g.notifications >= 3 ? g : null;
      },
      'repeated notifications',
      30_000,
    );
    expect(group.ticketNumber).toBe(ticket);
    const requestId = (await db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', ticket).executeTakeFirstOrThrow()).id;
    const repeats = await db
      .selectFrom('requestEvents')
      .select('kind')
      .where('requestId', '=', requestId)
      .where('kind', '=', 'alert_repeated')
      .execute();
    expect(repeats.length).toBeGreaterThanOrEqual(1);
    expect(await groups()).toHaveLength(1);
    const requests = await db
      .selectFrom('serviceRequests')
      .select('id')
      .where('clientId', '=', tenant.clientId)
      .where('title', 'like', `%${alertname}%`)
      .execute();
    expect(requests).toHaveLength(1);
  });

  it('ending the alert sends resolved: recorded on the timeline, closing proposed to support (no visit started)', async () => {
    await postAlert(new Date(Date.now() - 1_000).toISOString());
    const group = await eventually(
      async () => {
        const [g] = await groups();
        return g && g.alertStatus === 'resolved' && g.closeProposedAt ? g : null;
      },
      'the resolved notification',
      30_000,
    );
    expect(group.resolvedAt).not.toBeNull();
    const requestId = (await db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', ticket).executeTakeFirstOrThrow()).id;
    const kinds = (await db.selectFrom('requestEvents').select('kind').where('requestId', '=', requestId).execute()).map((e) => e.kind);
    expect(kinds).toContain('alert_resolved');
    expect(kinds.filter((k) => k === 'close_proposed')).toHaveLength(1);
    // Support sees it on the request.
    const support = (await createTestAccount(db, 'support_agent')).headers;
    const alerts = await api('GET', `/requests/${ticket}/alerts`, undefined, support);
    expect(alerts.body.items).toHaveLength(1);
    expect(alerts.body.items[0]).toMatchObject({ alertStatus: 'resolved', open: true });
    expect(alerts.body.items[0].closeProposedAt).not.toBeNull();
  });

  it('a revoked token is refused (401), and so is an account’s session', async () => {
    const payload = {
      version: '4',
      groupKey: `{}:{alertname="${alertname}-after"}`,
      status: 'firing',
      receiver: 'intervention',
      groupLabels: { alertname },
      commonLabels: labels,
      commonAnnotations: {},
      alerts: [{ status: 'firing', labels, annotations: {}, startsAt: new Date().toISOString() }],
    };
    const send = (headers: Record<string, string>) =>
      fetch(`${platform.url}/api/integrations/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(payload),
      });
    expect((await send(admin)).status).toBe(401);
    expect((await api('DELETE', `/integrations/${integrationId}`)).status).toBe(204);
    expect((await send({ authorization: `Bearer ${token}` })).status).toBe(401);
    expect(await groups()).toHaveLength(1);
  });
});
