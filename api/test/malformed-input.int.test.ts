/**
 * Property-based (fast-check) on the real app, PostgreSQL and Temporal, over the route table
 * itself (a new route cannot be missed):
 * - on every body-taking route, random and malformed bodies never produce a 5xx, and a body the
 *   route's schema rejects never changes stored data (a checksum of every table, before and after);
 * - on EVERY route, text PostgreSQL cannot store (NUL, unpaired surrogates), invalid UTF-8
 *   percent-encoding, huge and deeply nested values in any path parameter, query parameter or
 *   body field are a 4xx (never a 5xx) and change nothing;
 * - after all of it, no workflow is left with a failing activity.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { apiRoutes } from '../app.js';
import { DEFAULT_ACCOUNTING_SETTINGS } from '../finance/fec.js';
import { MAX_INPUT_DEPTH } from '../input-text.js';
import { pathParams, type RouteSpec } from '../routing.js';
import type { DB } from '../../db/index.js';
import { issueCredential } from '../../db/repositories/credentials.repository.js';
import { createBillingActivities } from '../../activities/billing/billing.activities.js';
import { sellerProfileFromConfig } from '../../activities/billing/seller-profile.js';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import { loadConfig } from '../../platform/config.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';

const allRoutes = apiRoutes({ db: null as never, temporal: null as never });
const routes = allRoutes.filter((spec) => spec.body && spec.method !== 'get');
/**
 * Runs per body route. Each rejected body costs a checksum of every table, so the default keeps
 * CI's budget as the route table grows (about 60 body routes); `FUZZ_RUNS=200` for a deep run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 16);
/** Runs per route of the hostile-input property (every route of the table, so fewer each). */
const HOSTILE_RUNS = Number(process.env.FUZZ_HOSTILE_RUNS ?? 8);

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
    case 'PUT /invoices/:id/payment':
      return { paidOn: new Date().toISOString().slice(0, 10) };
    case 'PUT /finance/accounting-settings':
      return { ...DEFAULT_ACCOUNTING_SETTINGS };
    case 'POST /users/:userId/account-link':
      return { purpose: 'reset' };
    case 'POST /auth/account-link':
      return { token: 'a-token-that-no-link-has-0123456789', password: 'a-long-password-1' };
    case 'POST /admin/clients':
    case 'PATCH /clients/:clientId':
      return {
        companyName: 'Fuzz SAS',
        siren: '552032534',
        siret: '55203253400646',
        vatNumber: 'FR27552032534',
        city: 'Paris',
        preferences: { language: 'fr', notificationChannels: ['email'] },
      };
    case 'POST /clients/:clientId/sites':
    case 'PATCH /sites/:locationId':
      return {
        name: 'Fuzz',
        addressLine1: '1 rue de la Paix',
        postalCode: '75002',
        city: 'Paris',
        latitude: 48.86,
        longitude: 2.33,
        openingHours: [{ weekday: 1, opensAt: '09:00', closesAt: '18:00' }],
        closures: [{ startsOn: '2026-08-01', endsOn: '2026-08-15', reason: 'Été' }],
      };
    case 'POST /clients/:clientId/contacts':
    case 'PATCH /contacts/:contactId':
      return { firstName: 'Léa', lastName: 'Roux', email: 'lea@client.test', preferredContactMode: 'phone', isPrimary: false };
    case 'POST /clients/:clientId/contracts':
    case 'PATCH /contracts/:contractId':
      return {
        reference: 'FUZZ-1',
        name: 'Fuzz',
        kind: 'standard',
        coverage: 'business_hours',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        slaTargets: [{ priority: 'P1', responseMinutes: 60, resolutionMinutes: 240 }],
        billing: { hourlyRateCents: 9000, includedHoursPerMonth: 4 },
      };
    case 'POST /technicians':
    case 'PATCH /technicians/:technicianId':
      return {
        firstName: 'Inès',
        lastName: 'Fuzz',
        email: 'ines.fuzz@msp.test',
        level: 'N2',
        homeAddress: 'Paris',
        homeLatitude: 48.85,
        homeLongitude: 2.35,
        hourlyCostCents: 3800,
        skills: [{ skill: 'network', level: 3 }],
        certifications: [{ name: 'CCNA', issuer: 'Cisco', obtainedOn: '2024-01-01', expiresOn: '2027-01-01' }],
        shifts: [{ weekday: 1, startsAt: '08:00', endsAt: '17:00' }],
        absences: [{ startsAt: '2026-12-21T00:00:00Z', endsAt: '2026-12-22T00:00:00Z', reason: 'leave' }],
      };
    case 'POST /parts/catalogue':
    case 'PATCH /parts/catalogue/:sku':
      return { sku: 'FUZZ-PART', label: 'Fuzz', unitPriceCents: 1200, vatRateBasisPoints: 2000, active: true };
    case 'POST /clients/:clientId/assets':
    case 'PATCH /assets/:assetId':
      return { kind: 'server', brand: 'Dell', model: 'R650', serialNumber: 'FUZZ-1', hostname: 'fuzz-1', warrantyEndsOn: '2029-01-01' };
    case 'POST /clients/:clientId/integrations':
      return { name: 'Supervision', locationId: tenant.locationId, serviceType: 'network_configuration' };
    case 'POST /integrations/alertmanager':
      return {
        version: '4',
        groupKey: '{}:{alertname="Fuzz"}',
        status: 'firing',
        receiver: 'intervention',
        groupLabels: { alertname: 'Fuzz' },
        commonLabels: { alertname: 'Fuzz', severity: 'critical', instance: 'fuzz-1:9100' },
        commonAnnotations: { summary: 'Fuzz' },
        alerts: [{ status: 'firing', labels: { alertname: 'Fuzz' }, annotations: {}, startsAt: '2026-11-30T10:00:00Z' }],
      };
    case 'POST /clients/:clientId/assets/import':
      return { csv: 'type;brand;model\nlaptop;Lenovo;T14', dryRun: true };
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
function rawBodies(seed: Record<string, unknown>): fc.Arbitrary<{ raw: string; parsed: unknown }> {
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

/** Text PostgreSQL cannot store: NUL and unpaired surrogates, alone or inside ordinary text. */
const unstorable = fc
  .tuple(fc.string({ maxLength: 6 }), fc.constantFrom('\u0000', '\ud800', '\udfff', '\udc00\ud800', 'é\u0000'), fc.string({ maxLength: 6 }))
  .map(([a, bad, b]) => a + bad + b);
/** Nested deeper than the API accepts (arrays or objects). */
const tooDeep = fc.tuple(fc.integer({ min: MAX_INPUT_DEPTH + 1, max: 2_000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
});
/** Larger than any body limit but the intake's, and than any field's maximum. */
const HUGE = 'x'.repeat(2_000_000);
/** Percent-encoding that is not UTF-8 (overlong, lone continuation, encoded surrogate, truncated, not hex). */
const badPercent = fc.constantFrom('%FF', '%80', '%C0%AE', '%ED%A0%80', '%E2%82', '%', '%G0', '%F4%90%80%80');
const encoded = (text: string) => encodeURIComponent(text);
/** A path segment: invalid percent-encoding, an encoded NUL, or huge (valid) text. */
const hostileSegment = fc.oneof(
  fc.tuple(fc.string({ maxLength: 4 }), badPercent).map(([a, bad]) => ({ raw: encoded(a) + bad, refused: true })),
  fc
    .tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }))
    .map(([a, b]) => ({ raw: `${encoded(a)}%00${encoded(b)}`, refused: true })),
  fc.constantFrom({ raw: 'a'.repeat(4_000), refused: false }, { raw: '%E2%82%AC'.repeat(1_000), refused: false }),
);
/**
 * A query value. Reads also get what decodes to replacement characters (storable, so possibly
 * accepted) and huge values; a write is only sent what must be refused, since a route without a
 * query schema ignores its query and would otherwise carry the action out.
 */
const hostileQueryValue = (read: boolean) =>
  fc.oneof(
    fc
      .tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }))
      .map(([a, b]) => ({ raw: `${encoded(a)}%00${encoded(b)}`, refused: true })),
    ...(read ? [badPercent.map((bad) => ({ raw: bad, refused: false })), fc.constant({ raw: 'a'.repeat(8_000), refused: false })] : []),
  );

/** Every path to a value of `value` (`['device', 'brand']`), the places a body field can be replaced. */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
}

function replaceAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as never) : { ...(value as Record<string, unknown>) };
  copy[path[0]!] = replaceAt(copy[path[0]!], path.slice(1), replacement);
  return copy;
}

/** A body with one field (at any depth) replaced by a hostile value, or a key that cannot be stored. */
function hostileBodies(seed: Record<string, unknown>): fc.Arbitrary<{ raw: string; refused: true }> {
  const paths = leafPaths(seed);
  const replaced = fc
    .tuple(fc.constantFrom(...paths), fc.oneof(unstorable, tooDeep, fc.constant(HUGE)))
    .map(([path, value]) => replaceAt(seed, path, value));
  const badKey = fc.tuple(fc.constantFrom(...paths), unstorable).map(([path, key]) => replaceAt(seed, path, { [key]: 'x' }));
  return fc.oneof(replaced, badKey).map((body) => ({ raw: JSON.stringify(body), refused: true as const }));
}

describe('malformed and random bodies on every body-taking route', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let tenant: TestClient;
  let adminHeaders: Record<string, string>;
  let adminUserId: string;
  let ticket: string;
  let victimId: string;
  /** An invoice of the tenant (`:id` of the invoice routes), so their bodies are validated, not their path. */
  let invoiceId: string;
  let technicianId: string;
  let sku: string;
  /** An asset of the tenant (`:assetId`). */
  let assetId: string;
  /** A monitoring integration of the tenant (`:integrationId`). */
  let integrationId: string;
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

  /** The path of `spec` with its parameters filled, `hostile` (already percent-encoded) in place of one of them. */
  async function pathOf(spec: RouteSpec, hostile?: { name: string; raw: string }): Promise<string> {
    let path = spec.path;
    for (const name of pathParams(spec.path)) {
      if (hostile?.name === name) {
        path = path.replace(`:${name}`, hostile.raw);
        continue;
      }
      const value =
        name === 'ticket'
          ? ticket
          : name === 'userId'
            ? victimId
            : name === 'clientId'
              ? tenant.clientId
              : name === 'id'
                ? invoiceId
                : name === 'locationId'
                  ? tenant.locationId
                  : name === 'contactId'
                    ? tenant.contactId
                    : name === 'contractId'
                      ? tenant.contractId
                      : name === 'technicianId'
                        ? technicianId
                        : name === 'sku'
                          ? sku
                          : name === 'assetId'
                            ? assetId
                            : name === 'integrationId'
                              ? integrationId
                              : name === 'tokenId'
                                ? ((lastChecksum = null),
                                  (await issueCredential(db, 'api_token', { userId: adminUserId, name: 'fuzz' })).id)
                                : 'x';
      path = path.replace(`:${name}`, encodeURIComponent(value));
    }
    return path;
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
    const billing = createBillingActivities({
      db,
      mailer: createMailer({ db, from: 'facturation@msp.test' }),
      seller: sellerProfileFromConfig(loadConfig({})),
      financeEmail: 'compta@msp.test',
    });
    invoiceId = (await billing.issueInvoice(await createClosedIntervention(db, tenant, { visits: [{ minutes: 60 }] }))).invoiceId;
    technicianId = (await createTestAccount(db, 'technician')).technicianId!;
    sku = (
      await db
        .insertInto('partsCatalogue')
        .values({ sku: `FUZZ-${Math.random().toString(36).slice(2, 8).toUpperCase()}`, label: 'Fuzz', unitPriceCents: 100 })
        .returning('sku')
        .executeTakeFirstOrThrow()
    ).sku;
    assetId = (
      await db
        .insertInto('assets')
        .values({ clientId: tenant.clientId, kind: 'laptop', brand: 'Lenovo', model: 'T14' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    integrationId = (
      await db
        .insertInto('monitoringIntegrations')
        .values({
          clientId: tenant.clientId,
          name: 'Fuzz',
          locationId: tenant.locationId,
          serviceType: 'network_configuration',
          tokenHash: `fuzz-${Math.random().toString(36).slice(2)}`,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
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
          const path = await pathOf(spec);
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

  it('covers every route of the table with hostile input', () => {
    expect(allRoutes.length).toBeGreaterThanOrEqual(50);
  });

  it.each(allRoutes.map((spec) => [`${spec.method.toUpperCase()} /api${spec.path}`, spec] as const))(
    '%s: NUL, unpaired surrogates, bad percent-encoding, huge or deep values in a param, the query or the body: never a 5xx, and a refusal changes nothing',
    async (_name, spec) => {
      const seed = seedBody(spec, tenant);
      const write = spec.method !== 'get';
      const queryNames = Object.keys((spec.query as { shape?: object } | undefined)?.shape ?? {});
      const hostileInput = fc.oneof(
        ...pathParams(spec.path).map((name) => hostileSegment.map((value) => ({ part: 'params' as const, name, ...value }))),
        fc
          .tuple(fc.constantFrom(...(queryNames.length > 0 ? queryNames : ['q'])), hostileQueryValue(!write))
          .map(([name, value]) => ({ part: 'query' as const, name, ...value })),
        ...(spec.body ? [hostileBodies(seed).map((value) => ({ part: 'body' as const, name: 'body', ...value }))] : []),
      );
      await fc.assert(
        fc.asyncProperty(hostileInput, async (hostile) => {
          const path = await pathOf(spec, hostile.part === 'params' ? hostile : undefined);
          const query = hostile.part === 'query' ? `?${encodeURIComponent(hostile.name)}=${hostile.raw}` : '';
          const body = hostile.part === 'body' ? hostile.raw : spec.body ? JSON.stringify(seed) : undefined;
          const before = await baseline();
          const response = await fetch(`${url}/api${path}${query}`, {
            method: spec.method.toUpperCase(),
            headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...adminHeaders },
            ...(body === undefined ? {} : { body }),
          });
          // A stream (GET /events) never ends by itself: an accepted one is closed, its status checked.
          const stream = spec.produces === 'text/event-stream' && response.status < 400;
          if (stream) await response.body?.cancel();
          const text = stream ? '' : (await response.text()).slice(0, 500);
          const where = `${hostile.part} ${hostile.name}`;
          lastChecksum = null;
          expect(response.status, `${where}: ${text}`).toBeLessThan(500);
          if (hostile.refused) expect(response.status, `${where}: ${text}`).toBeGreaterThanOrEqual(400);
          if (response.status >= 400) {
            const after = await checksum();
            expect(after, `${where}: ${text}`).toBe(before);
            lastChecksum = after;
          } else if (write) unsettled = true;
        }),
        { numRuns: HOSTILE_RUNS },
      );
    },
  );

  it('leaves no workflow failed or with a failing activity', async () => {
    // A failing activity is retried after about a second: long enough for a second attempt to show.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const failing: string[] = [];
    for await (const workflow of platform.client.workflow.list({ query: `TaskQueue = '${platform.taskQueue}'` })) {
      if (workflow.status.name === 'FAILED' || workflow.status.name === 'TERMINATED')
        failing.push(`${workflow.workflowId}: ${workflow.status.name}`);
      if (workflow.status.name !== 'RUNNING') continue;
      const { raw } = await platform.client.workflow.getHandle(workflow.workflowId, workflow.runId).describe();
      for (const activity of raw.pendingActivities ?? []) {
        if ((activity.attempt ?? 1) > 1 || activity.lastFailure) {
          failing.push(
            `${workflow.workflowId}: ${activity.activityType?.name} attempt ${activity.attempt}: ${activity.lastFailure?.message ?? ''}`,
          );
        }
      }
    }
    expect(failing).toEqual([]);
  });
});
