/**
 * Property-based (fast-check) on the real app and PostgreSQL, over EVERY body-taking route of
 * the table: random and malformed bodies never produce a 5xx, and a body the route's schema
 * rejects never changes stored data (a checksum of every table, before and after).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { sql, type Kysely } from 'kysely';
import { apiRoutes } from '../app.js';
import { pathParams, type RouteSpec } from '../routing.js';
import type { DB } from '../../db/index.js';
import { issueCredential } from '../../db/repositories/credentials.repository.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';

const routes = apiRoutes({ db: null as never, temporal: null as never }).filter((spec) => spec.body && spec.method !== 'get');
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

/** A plausible body per route, the seed of the "almost valid" mutations. */
function seedBody(spec: RouteSpec, tenant: TestClient): Record<string, unknown> {
  switch (`${spec.method.toUpperCase()} ${spec.path}`) {
    case 'POST /requests':
      return intakeBody(tenant);
    case 'POST /requests/:ticket/cancel':
      return { reason: 'Doublon' };
    case 'POST /requests/:ticket/consents':
      return { purpose: 'diagnostic_data', granted: true, subjectEmail: tenant.contactEmail };
    case 'POST /auth/login':
      return { email: 'someone@client.test', password: 'secret-password' };
    case 'POST /auth/tokens':
      return { name: 'ERP' };
    case 'POST /users':
      return {
        email: 'new@client.test',
        displayName: 'Nouveau',
        role: 'client_user',
        clientId: tenant.clientId,
        password: 'a-long-password-1',
      };
    case 'PATCH /users/:userId':
      return { displayName: 'Renommé', active: true };
    case 'PUT /clients/:clientId/oidc-provider':
      return {
        slug: 'fuzz-sso',
        issuer: 'https://login.example.test',
        oidcClientId: 'fsp',
        clientSecret: 'fuzz-secret',
        allowedEmailDomains: ['fuzz-sso.test'],
      };
    case 'PATCH /clients/:clientId/oidc-provider':
      return { enabled: false, defaultRole: 'client_user' };
    default:
      return {};
  }
}

/** The seed with one field removed, retyped or replaced by anything. */
function mutations(seed: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(seed);
  if (keys.length === 0) return fc.object();
  return fc
    .tuple(fc.constantFrom(...keys), fc.oneof(fc.constant(undefined), fc.anything(), fc.string(), fc.integer(), fc.constant(null)))
    .map(([key, value]) => {
      const copy: Record<string, unknown> = { ...seed };
      if (value === undefined) delete copy[key];
      else copy[key] = value;
      return copy;
    });
}

/** Raw request bodies: JSON values of every shape, and text that is not JSON at all. */
function rawBodies(seed: Record<string, unknown>): fc.Arbitrary<{ raw: string; parsed: unknown | typeof NOT_JSON }> {
  const json = fc.oneof(mutations(seed), fc.anything(), fc.object(), fc.jsonValue()).map((value) => {
    const raw = JSON.stringify(value) ?? 'undefined';
    return { raw, parsed: safeParse(raw) };
  });
  const garbage = fc
    .oneof(fc.string(), fc.constantFrom('{', '{"a":', '[1,', '{"__proto__":{"x":1}}', 'null', '"text"', '\u0000'))
    .map((raw) => ({ raw, parsed: safeParse(raw) }));
  return fc.oneof(json, garbage);
}

const NOT_JSON = Symbol('not json');
function safeParse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return NOT_JSON;
  }
}

describe('malformed and random bodies on every body-taking route', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let client: Client;
  let url: string;
  let tenant: TestClient;
  let adminHeaders: Record<string, string>;
  let adminUserId: string;
  let ticket: string;
  let victimId: string;
  let checksumQuery: string;

  async function checksum(): Promise<string> {
    const result = await sql.raw<{ sum: string }>(checksumQuery).execute(db);
    return result.rows[0]!.sum;
  }

  /**
   * An accepted body keeps writing after its answer (the intake's workflow sends the confirmation
   * email and records the move to analysis): the baseline is taken once that work is done, so a
   * difference can only come from the rejected body itself.
   */
  let unsettled = false;
  /**
   * The checksum taken after the previous rejected body, while nothing has written since: the
   * next baseline is that same value, so it is not computed twice (the checksum reads every table
   * and is most of this file's time).
   */
  let lastChecksum: string | null = null;
  async function baseline(): Promise<string> {
    if (!unsettled && lastChecksum !== null) return lastChecksum;
    let previous = await checksum();
    if (!unsettled) return previous;
    for (let i = 0; i < 60; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const current = await checksum();
      if (current === previous) break;
      previous = current;
    }
    unsettled = false;
    return previous;
  }

  beforeAll(async () => {
    // A body that happens to be valid for POST /requests starts a real intervention.
    platform = await startTestPlatform();
    ({ db, url } = platform);
    tenant = await createTestClient(db);
    const admin = await createTestAccount(db, 'admin');
    adminHeaders = admin.headers;
    adminUserId = admin.userId;
    victimId = (await createTestAccount(db, 'client_user', { clientId: tenant.clientId })).userId;
    // A request row to address by ticket (no workflow: a cancel answers 409, never a 5xx).
    ticket = `INT-2020-${String(800_000 + Math.floor(Math.random() * 99_999))}`;
    await db
      .insertInto('serviceRequests')
      .values({
        ticketNumber: ticket,
        workflowId: `intervention:${ticket}`,
        clientId: tenant.clientId,
        locationId: tenant.locationId,
        serviceType: 'security',
        title: 'Fuzz',
        description: 'Fuzz',
        businessImpact: 'None',
        impactLevel: 'low',
        urgency: 'low',
        priority: 'P4',
      })
      .execute();
    // rate_limits counts every request, accepted or not, by design: it holds no stored data.
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
        and table_name <> 'rate_limits' order by 1`.execute(db);
    checksumQuery = `select md5(${tables.rows
      .map((t) => `coalesce((select string_agg(md5(x::text), '' order by md5(x::text)) from "${t.name}" x), '')`)
      .join(' || ')}) as sum`;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('covers every body-taking route of the table', () => {
    expect(routes.length).toBeGreaterThanOrEqual(7);
  });

  it.each(routes.map((spec) => [`${spec.method.toUpperCase()} /api${spec.path}`, spec] as const))(
    '%s: never a 5xx, and a rejected body changes nothing',
    async (_name, spec) => {
      const seed = seedBody(spec, tenant);
      await fc.assert(
        fc.asyncProperty(rawBodies(seed), async ({ raw, parsed }) => {
          let path = spec.path;
          for (const name of pathParams(spec.path)) {
            const value =
              name === 'ticket'
                ? ticket
                : name === 'userId'
                  ? victimId
                  : name === 'clientId'
                    ? tenant.clientId
                    : name === 'tokenId'
                      ? ((lastChecksum = null), (await issueCredential(db, 'api_token', { userId: adminUserId, name: 'fuzz' })).id)
                      : 'x';
            path = path.replace(`:${name}`, encodeURIComponent(value));
          }
          const rejected = parsed === NOT_JSON || typeof parsed !== 'object' || parsed === null || !spec.body!.safeParse(parsed).success;
          const before = rejected ? await baseline() : '';
          const response = await fetch(`${url}/api${path}`, {
            method: spec.method.toUpperCase(),
            headers: { 'content-type': 'application/json', ...adminHeaders },
            body: raw,
          });
          const text = await response.text();
          if (response.status < 300) unsettled = true;
          expect(response.status, text).toBeLessThan(500);
          lastChecksum = null;
          if (rejected) {
            expect(response.status, text).toBe(400);
            expect(JSON.parse(text).error.code).toBe('validation_failed');
            const after = await checksum();
            expect(after).toBe(before);
            lastChecksum = after;
          }
        }),
        { numRuns: RUNS },
      );
    },
  );
});
