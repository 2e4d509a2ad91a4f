/**
 * The API while one of its dependencies is out of reach, on the real app: every call that needs
 * it answers 503 with Retry-After and a message naming it, within its documented bound (README,
 * "When PostgreSQL or Temporal is down"), never a 500; /healthz names what is down; and the API
 * recovers by itself when the dependency is back.
 *
 * PostgreSQL: a server of this file's own (embedded, killed with SIGKILL and started again on the
 * same data and port), never the shared test database. Temporal: addresses where nothing answers
 * (a closed port; a socket that accepts and stays silent), never the shared test server.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { apiConnectionOptions } from '../temporal-client.js';
import { createDb, DB_CONNECT_TIMEOUT_MS, migrateToLatest, type DB } from '../../db/index.js';
import { startPostgres, type RunningPostgres } from '../../scripts/postgres.js';
import { freePort } from '../../scripts/temporal-cli.js';
import { eventually, listen, TEST_RATE_LIMITS, testClient, testDb, uniqueTaskQueue } from '../../scripts/testing/env.js';
import { addPlannableRequest, createTestAccount, createTestClient, intakeBody } from '../../scripts/testing/fixtures.js';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
  elapsedMs: number;
}

async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: text ? JSON.parse(text) : null,
    elapsedMs: Date.now() - started,
  };
}

function expectUnavailable(answer: Answer, dependency: 'postgres' | 'temporal') {
  expect({
    status: answer.status,
    retryAfter: answer.retryAfter,
    code: answer.body?.error?.code,
    unavailable: answer.body?.error?.unavailable,
  }).toEqual({
    status: 503,
    retryAfter: dependency === 'postgres' ? '5' : '10',
    code: 'service_unavailable',
    unavailable: dependency,
  });
  expect(answer.body.error.message).toMatch(dependency === 'postgres' ? /PostgreSQL\) is unavailable/ : /Temporal\) is unavailable/);
  expect(answer.body.error.message).not.toMatch(/ECONN|stack|at \w+ \(/);
}

function postmasterPid(dataDir: string): number {
  return Number.parseInt(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]!, 10);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('API while PostgreSQL is down', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'fsp-pg-outage-'));
  let pg: RunningPostgres;
  let db: Kysely<DB>;
  let server: Server;
  let url: string;
  let connection: Connection;
  let client: Record<string, string>;
  let body: ReturnType<typeof intakeBody>;
  const start = (port?: number) =>
    startPostgres({ dataDir: path.join(scratch, 'pg'), database: 'outage', persistent: true, log: () => {}, ...(port ? { port } : {}) });

  beforeAll(async () => {
    pg = await start();
    db = createDb({ connectionString: pg.url, max: 3, applicationName: 'outage-test' });
    await migrateToLatest(db);
    const tenant = await createTestClient(db);
    body = intakeBody(tenant);
    client = (await createTestAccount(db, 'client_user', { clientId: tenant.clientId })).headers;
    const temporal = await testClient();
    connection = temporal.connection;
    const app = createApp({ db, temporal: temporal.client, taskQueue: uniqueTaskQueue(), log: () => {}, rateLimit: TEST_RATE_LIMITS });
    ({ server, url } = await listen(app));
  });

  afterAll(async () => {
    server?.close();
    await connection?.close();
    await db?.destroy();
    await pg?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('answers as usual while the server runs', async () => {
    expect((await call(`${url}/api/requests`, { headers: client })).status).toBe(200);
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('answers 503 with Retry-After naming PostgreSQL, within the connect timeout, once the server is killed', async () => {
    const pid = postmasterPid(pg.dataDir!);
    process.kill(pid, 'SIGKILL');
    await eventually(async () => !alive(pid), 'the killed server to be gone');

    const answers = {
      read: await call(`${url}/api/requests`, { headers: client }),
      intake: await call(`${url}/api/requests`, { method: 'POST', headers: client, body }),
      login: await call(`${url}/api/auth/login`, { method: 'POST', body: { email: 'nobody@intervention.test', password: 'x'.repeat(12) } }),
      anonymous: await call(`${url}/api/requests`),
    };
    for (const [name, answer] of Object.entries(answers)) {
      console.info(`[pg outage] ${name}: ${answer.status} after ${answer.elapsedMs} ms`);
      expectUnavailable(answer, 'postgres');
      expect(answer.elapsedMs).toBeLessThan(DB_CONNECT_TIMEOUT_MS);
    }

    const health = await call(`${url}/healthz`);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({
      status: 'unavailable',
      message: 'unavailable: postgres',
      checks: { postgres: { ok: false }, temporal: { ok: true } },
    });
    expect(health.retryAfter).toBe('5');
  });

  it('recovers by itself once the server is back on the same port', async () => {
    const restarted = await start(pg.port);
    expect(restarted.port).toBe(pg.port);
    pg = restarted;
    const back = await eventually(async () => {
      const answer = await call(`${url}/api/requests`, { headers: client });
      return answer.status === 200 ? answer : null;
    }, 'the API to answer 200 again');
    expect(back.status).toBe(200);
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });
});

describe('API while Temporal cannot be reached', () => {
  /** Bounds of this file's apps: the intake's confirmation and an action. */
  const INTAKE_MS = 4_000;
  const ACTION_MS = 4_000;
  let db: Kysely<DB>;
  let client: Record<string, string>;
  let support: Record<string, string>;
  let body: ReturnType<typeof intakeBody>;
  let ticket: string;
  let silent: NetServer;
  const sockets = new Set<Socket>();
  const apps: { server: Server; connection: Connection }[] = [];

  /** An API whose Temporal client (the production options) points at `address`. */
  async function apiAgainst(address: string): Promise<string> {
    const connection = Connection.lazy(apiConnectionOptions(address));
    const app = createApp({
      db,
      temporal: new Client({ connection, namespace: 'default' }),
      taskQueue: uniqueTaskQueue(),
      waits: { intakeConfirmMs: INTAKE_MS, actionMs: ACTION_MS },
      log: () => {},
      rateLimit: TEST_RATE_LIMITS,
    });
    const { server, url } = await listen(app);
    apps.push({ server, connection });
    return url;
  }

  beforeAll(async () => {
    db = testDb(3);
    const tenant = await createTestClient(db);
    body = intakeBody(tenant);
    client = (await createTestAccount(db, 'client_user', { clientId: tenant.clientId })).headers;
    support = (await createTestAccount(db, 'support_agent')).headers;
    ({ ticketNumber: ticket } = await addPlannableRequest(db, { clientId: tenant.clientId, lat: 48.85, lon: 2.35 }));
    // Accepts TCP connections and never says a word (a hung server, a half-open network path).
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const { server, connection } of apps) {
      server.close();
      await connection.close().catch(() => {});
    }
    for (const socket of sockets) socket.destroy();
    silent?.close();
    await db?.destroy();
  });

  for (const kind of ['refused', 'silent'] as const) {
    describe(kind === 'refused' ? 'a closed port (server down)' : 'a server that accepts and never answers', () => {
      let url: string;
      // Refused connections fail after the client's retries (about 2 s), before any bound; a
      // silent server is given up at the bound (the intake's: INTAKE_CONFIRM_TIMEOUT_MS + 2 s).
      const slack = kind === 'refused' ? 0 : 2_000;

      beforeAll(async () => {
        url = await apiAgainst(
          kind === 'refused' ? `127.0.0.1:${await freePort()}` : `127.0.0.1:${(silent.address() as { port: number }).port}`,
        );
      });

      it('answers an intake 503 with Retry-After, naming Temporal and the ticket, within INTAKE_CONFIRM_TIMEOUT_MS', async () => {
        const answer = await call(`${url}/api/requests`, { method: 'POST', headers: client, body });
        console.info(`[temporal ${kind}] intake: ${answer.status} after ${answer.elapsedMs} ms (bound ${INTAKE_MS} ms)`);
        expectUnavailable(answer, 'temporal');
        expect(answer.body.error.message).toMatch(/request INT-\d{4}-\d+ may not be registered/);
        expect(answer.elapsedMs).toBeLessThan(INTAKE_MS + slack);
      });

      it('answers an action and a live-state query 503 naming Temporal, within ACTION_TIMEOUT_MS', async () => {
        const cancel = await call(`${url}/api/requests/${ticket}/cancel`, {
          method: 'POST',
          headers: client,
          body: { reason: 'plus besoin' },
        });
        const state = await call(`${url}/api/requests/${ticket}/state`, { headers: support });
        for (const [name, answer] of Object.entries({ cancel, state })) {
          console.info(`[temporal ${kind}] ${name}: ${answer.status} after ${answer.elapsedMs} ms (bound ${ACTION_MS} ms)`);
          expectUnavailable(answer, 'temporal');
          expect(answer.elapsedMs).toBeLessThan(ACTION_MS + slack);
        }
        expect(cancel.body.error.message).toMatch(/Idempotency-Key/);
      });

      it('keeps serving what needs only PostgreSQL, and /healthz says Temporal is down', async () => {
        expect((await call(`${url}/api/requests/${ticket}`, { headers: support })).status).toBe(200);
        const health = await call(`${url}/healthz`);
        expect(health.status).toBe(503);
        expect(health.body).toMatchObject({
          status: 'unavailable',
          message: 'unavailable: temporal',
          checks: { postgres: { ok: true }, temporal: { ok: false } },
        });
        expect(health.retryAfter).toBe('10');
      });
    });
  }
});
