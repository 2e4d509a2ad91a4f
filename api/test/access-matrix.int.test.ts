/**
 * The access matrix: EVERY route of the table × every role (and anonymous) × own tenant / other
 * tenant, against the real app, PostgreSQL (row-level security) and Temporal. Generated from
 * `apiRoutes()`, so a route added by any branch is covered as soon as it is declared; a path
 * parameter without a fixture here fails the first test, naming the route.
 *
 * Expected status, from the route's `access` and the tenant rules:
 * - anonymous: 401 (public routes: never 401/403);
 * - a role not in `access`: 403;
 * - an allowed role on its own tenant's objects: neither 401, 403, 404 nor 5xx;
 * - an allowed client or technician on another tenant's object: 404 (422 for a reference in
 *   the body), never the object; back office roles work across tenants; API tokens belong to
 *   their user (only admins reach others').
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { apiRoutes } from '../app.js';
import { DEFAULT_ACCOUNTING_SETTINGS } from '../finance/fec.js';
import { pathParams, ROLES, type Role, type RouteSpec } from '../routing.js';
import type { DB } from '../../db/index.js';
import { issueCredential } from '../../db/repositories/credentials.repository.js';
import { createUser } from '../../db/repositories/users.repository.js';
import { insertArticleAttachment, publishCurrentVersion } from '../../db/repositories/knowledge.repository.js';
import { createArticle } from '../knowledge/articles.js';
import { createBillingActivities } from '../../activities/billing/billing.activities.js';
import { sellerProfileFromConfig } from '../../activities/billing/seller-profile.js';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import { loadConfig } from '../../platform/config.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, sessionHeaders, type TestClient } from '../../scripts/testing/fixtures.js';

type Variant = 'own' | 'other';
interface Tenant {
  client: TestClient;
  ticket: string;
  technicianId: string;
  /** An invoice issued to this tenant by the billing activity (PDF and CII XML included). */
  invoiceId: string;
  accounts: Record<Role, { userId: string; email: string }>;
  /** A client_user of this tenant that admin routes act on. */
  victimUserId: string;
  /** A report attached to the tenant's request: visible to every role that sees the request (finance included). */
  attachmentId: string;
  /** A knowledge-base article published for this tenant's company only. */
  articleId: string;
  /** An image of that article. */
  articleFileId: string;
  /** A stored scheduled KPI report of this tenant's company. */
  kpiReportId: string;
}
interface CallContext {
  role: Role | null;
  tenant: Tenant;
  caller: { userId: string } | null;
}

/** A real daily-plan run (and the plan it stored): dispatch objects belong to no tenant. */
const dispatchRun = { workflowId: '', planId: '' };

/**
 * How each path parameter is filled. `bound`: whose object it is — a tenant's (`client`), the
 * caller's (`user`), or nobody's (`none`, the other-tenant variant is then skipped).
 */
const PARAM_FIXTURES: Record<
  string,
  { bound: 'client' | 'user' | 'none'; value(ctx: CallContext, db: Kysely<DB>): Promise<string> | string }
> = {
  ticket: { bound: 'client', value: (ctx) => ctx.tenant.ticket },
  userId: { bound: 'client', value: (ctx) => ctx.tenant.victimUserId },
  clientId: { bound: 'client', value: (ctx) => ctx.tenant.client.clientId },
  locationId: { bound: 'client', value: (ctx) => ctx.tenant.client.locationId },
  // A contact of the tenant per call: a DELETE by one role must leave one for the next.
  contactId: {
    bound: 'client',
    value: async (ctx, db) =>
      (
        await db
          .insertInto('clientContacts')
          .values({
            clientId: ctx.tenant.client.clientId,
            firstName: 'Matrice',
            lastName: 'Accès',
            email: `matrix-${randomUUID()}@client.test`,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
  },
  // The catalogue belongs to no tenant: a part per call.
  sku: {
    bound: 'none',
    value: async (_ctx, db) =>
      (
        await db
          .insertInto('partsCatalogue')
          .values({ sku: `MTX-${randomUUID().slice(0, 8).toUpperCase()}`, label: 'Pièce matrice', unitPriceCents: 1000 })
          .returning('sku')
          .executeTakeFirstOrThrow()
      ).sku,
  },
  contractId: { bound: 'client', value: (ctx) => ctx.tenant.client.contractId },
  // A monitoring integration of the tenant per call (a DELETE revokes it).
  integrationId: {
    bound: 'client',
    value: async (ctx, db) =>
      (
        await db
          .insertInto('monitoringIntegrations')
          .values({
            clientId: ctx.tenant.client.clientId,
            name: 'Matrice',
            locationId: ctx.tenant.client.locationId,
            serviceType: 'network_configuration',
            tokenHash: `matrix-${randomUUID()}`,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
  },
  // An asset of the tenant per call (a PATCH by one role must not collide with the next).
  assetId: {
    bound: 'client',
    value: async (ctx, db) =>
      (
        await db
          .insertInto('assets')
          .values({ clientId: ctx.tenant.client.clientId, kind: 'laptop', brand: 'Lenovo', model: 'T14' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
  },
  technicianId: { bound: 'client', value: (ctx) => ctx.tenant.technicianId },
  tokenId: {
    bound: 'user',
    // Own: a token of the caller. Other: a token of the same role's account in the other tenant.
    value: async (ctx, db) =>
      (await issueCredential(db, 'api_token', { userId: ctx.caller?.userId ?? ctx.tenant.accounts.admin.userId, name: 'matrix' })).id,
  },
  provider: { bound: 'none', value: () => 'no-such-provider' },
  // A notification of the caller (a user sees only their own: another's is a 404 even for an admin,
  // covered by api/test/live-events.int.test.ts).
  notificationId: {
    bound: 'none',
    value: async (ctx, db) =>
      ctx.caller
        ? (
            await db
              .insertInto('notifications')
              .values({ userId: ctx.caller.userId, sourceKey: `matrix-${randomUUID()}`, title: 'Matrice des accès' })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id
        : randomUUID(),
  },
  // Platform-wide; no sample body, so an allowed call is refused (400) and never changes the requirements other files plan with.
  serviceType: { bound: 'none', value: () => 'data_recovery' },
  // `:id` is the invoices' parameter (invoices and credit notes).
  id: { bound: 'client', value: (ctx) => ctx.tenant.invoiceId },
  attachmentId: { bound: 'client', value: (ctx) => ctx.tenant.attachmentId },
  articleId: { bound: 'client', value: (ctx) => ctx.tenant.articleId },
  fileId: { bound: 'client', value: (ctx) => ctx.tenant.articleFileId },
  reportId: { bound: 'client', value: (ctx) => ctx.tenant.kpiReportId },
  version: { bound: 'none', value: () => '1' },
  workflowId: { bound: 'none', value: () => dispatchRun.workflowId },
  planId: { bound: 'none', value: () => dispatchRun.planId },
  // An outgoing message with an invite (the outbox is support's, tenant-wide).
  messageId: {
    bound: 'none',
    value: async (_ctx, db) =>
      (
        await db
          .insertInto('outboundMessages')
          .values({
            idempotencyKey: `matrix-${randomUUID()}`,
            requestId: null,
            fromAddress: 'support@test.local',
            toAddresses: ['tech@techs.test'],
            subject: 'Matrice',
            textBody: 'Matrice',
            htmlBody: null,
            attachments: JSON.stringify([]),
            transport: 'outbox',
            status: 'stored',
            icalMethod: 'REQUEST',
            icalContent: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
  },
  // A calendar feed of the tenant's technician, per call (a DELETE revokes it).
  feedId: {
    bound: 'client',
    value: async (ctx, db) =>
      (
        await db
          .insertInto('calendarFeedTokens')
          .values({ technicianId: ctx.tenant.technicianId, tokenHash: randomUUID(), createdBy: null })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
  },
  // The feed's secret: an unknown one (404 to everyone, the route is public).
  token: { bound: 'none', value: () => `fscal_${randomUUID().replace(/-/g, '')}` },
};

const PASSWORD = 'matrix-password-123';
/** A 1×1 PNG. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A valid Alertmanager notification: refused for want of an integration token, whoever sends it. */
const ALERTMANAGER_SAMPLE = {
  version: '4',
  groupKey: '{}:{alertname="Matrix"}',
  status: 'firing',
  receiver: 'intervention',
  groupLabels: { alertname: 'Matrix' },
  commonLabels: { alertname: 'Matrix', severity: 'warning' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.test',
  alerts: [{ status: 'firing', labels: { alertname: 'Matrix' }, annotations: {}, startsAt: '2026-11-30T10:00:00Z', fingerprint: 'abc' }],
};

/** Valid bodies per route, for the tenant of the variant; other routes get `{}`. */
function sampleBody(spec: RouteSpec, tenant: Tenant): { body: unknown; bound: boolean } | undefined {
  const key = `${spec.method.toUpperCase()} ${spec.path}`;
  const suffix = randomUUID().slice(0, 8);
  switch (key) {
    case 'POST /requests':
      return { body: intakeBody(tenant.client), bound: true };
    case 'POST /requests/:ticket/cancel':
      return { body: { reason: 'Matrice des accès' }, bound: false };
    case 'POST /requests/:ticket/consents':
      return { body: { purpose: 'diagnostic_data', granted: true, subjectEmail: tenant.client.contactEmail }, bound: false };
    case 'POST /auth/login':
      return { body: { email: tenant.accounts.client_user.email, password: PASSWORD }, bound: false };
    case 'POST /knowledge/articles/:articleId/attachments':
      return { body: { filename: 'schema.png', contentType: 'image/png', dataBase64: TINY_PNG.toString('base64') }, bound: false };
    case 'POST /auth/tokens':
      return { body: { name: 'Intégration ERP' }, bound: false };
    case 'POST /users':
      return {
        body: {
          email: `new-${suffix}@client.test`,
          displayName: 'Nouvel utilisateur',
          role: 'client_user',
          clientId: tenant.client.clientId,
          password: 'a-long-password-1',
        },
        bound: true,
      };
    case 'PATCH /users/:userId':
      return { body: { displayName: `Renommé ${suffix}` }, bound: false };
    case 'POST /users/:userId/account-link':
      return { body: { purpose: 'reset' }, bound: false };
    case 'POST /clients/:clientId/sites':
      return {
        body: {
          name: `Site ${suffix}`,
          addressLine1: '1 rue de la Paix',
          postalCode: '75002',
          city: 'Paris',
          openingHours: [{ weekday: 1, opensAt: '09:00', closesAt: '18:00' }],
        },
        bound: false,
      };
    case 'PATCH /sites/:locationId':
      return { body: { accessInstructions: `Badge ${suffix}` }, bound: false };
    case 'POST /clients/:clientId/contacts':
      return { body: { firstName: 'Léa', lastName: 'Roux', email: `lea-${suffix}@client.test` }, bound: false };
    case 'PATCH /contacts/:contactId':
      return { body: { jobTitle: `Poste ${suffix}` }, bound: false };
    case 'PATCH /clients/:clientId':
      return { body: { industry: `Industrie ${suffix}` }, bound: false };
    case 'PATCH /contracts/:contractId':
      return { body: { name: `Contrat ${suffix}` }, bound: false };
    case 'PATCH /technicians/:technicianId':
      return { body: { phone: '+33 6 11 22 33 44' }, bound: false };
    case 'PATCH /parts/catalogue/:sku':
      return { body: { label: `Pièce ${suffix}` }, bound: false };
    case 'PUT /clients/:clientId/oidc-provider':
      return { body: oidcProviderBody(tenant), bound: false };
    case 'PATCH /clients/:clientId/oidc-provider':
      return { body: { defaultRole: 'client_user', enabled: true }, bound: false };
    case 'POST /invoices/:id/credit-notes':
      // One key per invoice: the first allowed caller issues the credit note, the next gets it back.
      return { body: { reason: 'Matrice des accès', idempotencyKey: `matrix-${tenant.invoiceId}` }, bound: false };
    case 'PUT /kpi-reports/subscriptions/:userId':
      return { body: { weekly: true, monthly: false }, bound: false };
    case 'PUT /invoices/:id/payment':
      return { body: { paidOn: new Date().toISOString().slice(0, 10) }, bound: false };
    case 'PUT /finance/accounting-settings':
      return { body: DEFAULT_ACCOUNTING_SETTINGS, bound: false };
    case 'POST /clients/:clientId/assets':
      return { body: { kind: 'server', brand: 'Dell', model: 'R650', serialNumber: `MTX-${suffix}` }, bound: false };
    case 'POST /clients/:clientId/assets/import':
      return { body: { csv: `type;brand;model;serial_number\nlaptop;Lenovo;T14;MTX-${suffix}` }, bound: false };
    case 'POST /clients/:clientId/integrations':
      return { body: { name: `Supervision ${suffix}`, locationId: tenant.client.locationId }, bound: false };
    case 'POST /integrations/alertmanager':
      return { body: ALERTMANAGER_SAMPLE, bound: false };
    case 'PATCH /assets/:assetId':
      return { body: { notes: `Matrice ${suffix}` }, bound: false };
    default:
      return undefined;
  }
}

/** The tenant's SSO configuration (the matrix app has no OIDC clients: no discovery at save time). */
function oidcProviderBody(tenant: { client: TestClient }) {
  const slug = `matrix-${tenant.client.clientId.slice(0, 8)}`;
  return {
    slug,
    issuer: 'https://login.example.test',
    oidcClientId: 'field-service',
    clientSecret: 'matrix-secret',
    allowedEmailDomains: [`${slug}.test`],
  };
}

const BACK_OFFICE: readonly Role[] = ['support_agent', 'dispatcher', 'finance', 'admin'];

function expected(
  spec: RouteSpec,
  role: Role | null,
  variant: Variant,
  bound: 'client' | 'user' | 'body' | null,
): (status: number) => boolean {
  // Authenticated by its own token, which no account's session is: 401 for everyone.
  if (spec.credential === 'integration_token') return (s) => s === 401;
  if (spec.access === 'public') return (s) => s !== 401 && s !== 403 && s < 500;
  if (!role) return (s) => s === 401;
  if (!spec.access.includes(role)) return (s) => s === 403;
  const crossTenant =
    variant === 'other' &&
    role !== 'admin' &&
    (bound === 'user' || ((bound === 'client' || bound === 'body') && !BACK_OFFICE.includes(role)));
  if (crossTenant) return bound === 'body' ? (s) => s === 404 || s === 422 : (s) => s === 404;
  return (s) => ![401, 403, 404].includes(s) && s < 500;
}

const routes = apiRoutes({ db: null as never, temporal: null as never });

describe('access matrix: every route × every role × own/other tenant', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let client: Client;
  let url: string;
  const tenants: Tenant[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform();
    ({ db, client, url } = platform);

    const admin = await createTestAccount(db, 'admin');
    const billing = createBillingActivities({
      db,
      mailer: createMailer({ db, from: 'facturation@msp.test' }),
      seller: sellerProfileFromConfig(loadConfig({})),
      financeEmail: 'compta@msp.test',
    });
    for (let i = 0; i < 2; i++) {
      const testClientRow = await createTestClient(db);
      const created = await fetch(`${url}/api/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...admin.headers },
        body: JSON.stringify(intakeBody(testClientRow)),
      });
      expect(created.status).toBe(201);
      const ticket = ((await created.json()) as { ticketNumber: string }).ticketNumber;
      const accounts = {} as Tenant['accounts'];
      let technicianId = '';
      for (const role of ROLES) {
        const account = await createTestAccount(db, role, { clientId: testClientRow.clientId });
        accounts[role] = account;
        if (account.technicianId) technicianId = account.technicianId;
      }
      // The tenant's technician is assigned to the tenant's request: that is what they may see.
      const request = await db
        .selectFrom('serviceRequests')
        .select(['id', 'priority'])
        .where('ticketNumber', '=', ticket)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('assignments')
        .values({
          requestId: request.id,
          technicianId,
          scheduledStart: '2026-12-01T09:00:00Z',
          scheduledEnd: '2026-12-01T11:00:00Z',
          priority: request.priority,
          source: 'dispatcher',
        })
        .execute();
      // The login sample signs in as this client user: give it a password.
      await db.deleteFrom('users').where('id', '=', accounts.client_user.userId).execute();
      const withPassword = await createUser(db, {
        email: accounts.client_user.email,
        displayName: 'Client user',
        role: 'client_user',
        clientId: testClientRow.clientId,
        password: PASSWORD,
      });
      accounts.client_user = { userId: withPassword.id, email: withPassword.email };
      const victim = await createTestAccount(db, 'client_user', { clientId: testClientRow.clientId });
      const invoice = await billing.issueInvoice(await createClosedIntervention(db, testClientRow, { visits: [{ minutes: 60 }] }));
      const attachment = await db
        .insertInto('requestAttachments')
        .values({
          requestId: request.id,
          kind: 'report',
          filename: 'rapport.pdf',
          contentType: 'application/pdf',
          sizeBytes: 8,
          sha256: 'x',
          content: Buffer.from('%PDF-1.7'),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // A configured SSO provider, for the routes that read or change it.
      const { clientSecret: _secret, ...provider } = oidcProviderBody({ client: testClientRow });
      await db
        .insertInto('oidcProviders')
        .values({ ...provider, clientId: testClientRow.clientId })
        .execute();
      const article = await createArticle(
        db,
        { userId: accounts.support_agent.userId, role: 'support_agent', clientId: null, technicianId: null },
        {
          content: {
            kind: 'faq',
            language: 'fr',
            title: 'Matrice des accès',
            body: 'Article de la matrice.',
            category: null,
            serviceTypes: [],
            brands: [],
            models: [],
            assetKinds: [],
            tags: [],
          },
          audience: 'companies',
          audienceClientIds: [testClientRow.clientId],
        },
      );
      await publishCurrentVersion(db, article.id, { reviewerUserId: admin.userId, at: new Date() });
      const articleFile = await insertArticleAttachment(db, {
        articleId: article.id,
        filename: 'schema.png',
        contentType: 'image/png',
        content: TINY_PNG,
        sha256: 'matrix',
        userId: null,
      });
      // A stored scheduled report of the company (the report workflow's own test produces real ones).
      const kpiReport = await db
        .insertInto('kpiReports')
        .values({
          clientId: testClientRow.clientId,
          periodKind: 'weekly',
          periodStart: '2031-06-02',
          periodEnd: '2031-06-09',
          language: 'fr',
          figures: '{}',
          pdf: Buffer.from('%PDF-1.7'),
          csv: 'section;indicateur\n',
          workflowId: `matrix-${testClientRow.clientId}`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      tenants.push({
        client: testClientRow,
        ticket,
        technicianId,
        invoiceId: invoice.invoiceId,
        accounts,
        victimUserId: victim.userId,
        attachmentId: attachment.id,
        articleId: article.id,
        articleFileId: articleFile.id,
        kpiReportId: kpiReport.id,
      });
    }

    // A daily plan run to completion, on a Sunday (nobody works: the plan assigns nothing, so
    // publishing it touches no intervention of other test files).
    const started = await fetch(`${url}/api/dispatch/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin.headers },
      body: JSON.stringify({ date: '2031-06-01', seconds: 1 }),
    });
    expect(started.status).toBe(202);
    dispatchRun.workflowId = ((await started.json()) as { workflowId: string }).workflowId;
    const summary = (await client.workflow.getHandle(dispatchRun.workflowId).result()) as { planId: string };
    dispatchRun.planId = summary.planId;
    expect(dispatchRun.planId).toMatch(/^[0-9a-f-]{36}$/);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('has a fixture for every path parameter of the route table', () => {
    const missing = routes.flatMap((spec) =>
      pathParams(spec.path)
        .filter((name) => !PARAM_FIXTURES[name])
        .map((name) => `:${name} of ${spec.method.toUpperCase()} /api${spec.path}`),
    );
    expect(missing, 'add these to PARAM_FIXTURES in access-matrix.int.test.ts').toEqual([]);
  });

  it.each(routes.map((spec) => [`${spec.method.toUpperCase()} /api${spec.path}`, spec] as const))('%s', async (_name, spec) => {
    const mismatches: string[] = [];
    const names = pathParams(spec.path);
    const paramBound =
      names.map((n) => PARAM_FIXTURES[n]?.bound).find((b) => b === 'user') ??
      names.map((n) => PARAM_FIXTURES[n]?.bound).find((b) => b === 'client');
    for (const role of [null, ...ROLES] as const) {
      const own = tenants[0]!;
      for (const variant of ['own', 'other'] as const) {
        const target = variant === 'own' ? own : tenants[1]!;
        const sample = sampleBody(spec, target);
        const bound = paramBound === 'user' || paramBound === 'client' ? paramBound : sample?.bound ? 'body' : null;
        if (variant === 'other' && !bound) continue;
        const callerAccount = role ? own.accounts[role] : null;
        const ctx: CallContext = {
          role,
          tenant: target,
          // For a user-bound parameter, "other" is someone else's object: the other tenant's account.
          caller: role ? (variant === 'own' ? callerAccount : tenants[1]!.accounts[role]) : null,
        };
        let path = spec.path;
        for (const name of names) {
          const fixture = PARAM_FIXTURES[name];
          if (!fixture) continue;
          path = path.replace(`:${name}`, encodeURIComponent(await fixture.value(ctx, db)));
        }
        // A fresh session per call: logout or a disabled account cannot spoil the next call.
        const headers: Record<string, string> = {};
        if (callerAccount) {
          const session = await issueCredential(db, 'session', { userId: callerAccount.userId, ttlSeconds: 600 });
          Object.assign(headers, sessionHeaders(session.secret));
        }
        const hasBody = spec.method !== 'get' && spec.method !== 'delete';
        if (hasBody) headers['content-type'] = 'application/json';
        const response = await fetch(`${url}/api${path}`, {
          method: spec.method.toUpperCase(),
          headers,
          redirect: 'manual',
          ...(hasBody ? { body: JSON.stringify(sample?.body ?? {}) } : {}),
        });
        // A stream (GET /events) never ends by itself: its status is all this test needs.
        if (spec.produces === 'text/event-stream') await response.body?.cancel();
        else await response.arrayBuffer();
        if (!expected(spec, role, variant, bound)(response.status)) {
          mismatches.push(`${role ?? 'anonymous'} ${variant}: ${response.status}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
