/**
 * The HTTP application, built over its dependencies and never listening by itself
 * (see scripts/api.ts for the process, and tests for in-process use on port 0).
 */
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { DB } from '../db/index.js';
import type { InterventionPolicy } from '../workflows/intervention/intervention.contract.js';
import { auditRouteCall, authenticate, authorize, scopedRunner, scopedStep } from './auth/access.js';
import { PARAM_GUARDS } from './auth/guards.js';
import type { OidcClients } from './auth/oidc.js';
import type { ThrottlePolicy } from './auth/throttle.js';
import { noStoreWhenAuthenticated } from './cache-control.js';
import { requireJsonBody, sameOriginWrites } from './csrf.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { createRateLimits, DEFAULT_RATE_LIMITS, type RateLimitPolicy } from './rate-limit.js';
import { buildOpenApi } from './openapi.js';
import type { AccountMailer } from './admin/account-links.js';
import { adminRoutes } from './routes/admin.routes.js';
import { assetRoutes } from './routes/assets.routes.js';
import { integrationRoutes } from './routes/integrations.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { calendarRoutes } from './routes/calendar.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { directoryRoutes } from './routes/directory.routes.js';
import { dispatchRoutes } from './routes/dispatch.routes.js';
import { gdprRoutes } from './routes/gdpr.routes.js';
import { oidcProviderRoutes } from './routes/oidc-providers.routes.js';
import { attachmentRoutes } from './routes/attachments.routes.js';
import { userRoutes } from './routes/users.routes.js';
import { createHealthRouter } from './routes/health.router.js';
import { invoiceRoutes } from './routes/invoices.routes.js';
import { kpiRoutes } from './routes/kpis.routes.js';
import { kpiReportRoutes } from './routes/kpi-reports.routes.js';
import { financeRoutes } from './routes/finance.routes.js';
import { knowledgeRoutes } from './routes/knowledge.routes.js';
import { interventionActionRoutes } from './routes/intervention-actions.routes.js';
import { operationsRoutes } from './routes/operations.routes.js';
import { requestRoutes } from './routes/requests.routes.js';
import { liveRoutes } from './routes/live.routes.js';
import { LiveHub } from './live/live-hub.js';
import { mountRoutes, type MountOptions, type RouteSpec } from './routing.js';
import type { MapTiles } from './routes/dispatch.routes.js';
import type { TemporalWaits } from './temporal-wait.js';

export interface AppDeps {
  db: Kysely<DB>;
  temporal: Client;
  taskQueue?: string;
  /** Policy durations for new interventions (production defaults when absent; tests shorten them). */
  interventionPolicy?: Partial<InterventionPolicy>;
  /**
   * How long a request waits on the workflows before answering without them (a worker that is
   * down): the intake's confirmation (then 202), an action's outcome (then 503). Milliseconds;
   * config INTAKE_CONFIRM_TIMEOUT_MS and ACTION_TIMEOUT_MS.
   */
  waits?: Partial<TemporalWaits>;
  /** Folder of the built web app, served at `/`. */
  webRoot?: string;
  log?: (err: unknown) => void;
  /** Requests per minute per client address and per account (DEFAULT_RATE_LIMITS when absent). */
  rateLimit?: RateLimitPolicy;
  /**
   * The platform's mailer (activities/notifications/mailer.ts, built by the process entry point):
   * invitation and password-reset links. Without it those routes answer 503.
   */
  mailer?: AccountMailer;
  /** The dispatch board's map tiles (config MAP_TILE_URL, MAP_TILE_ATTRIBUTION); OpenStreetMap's when absent. */
  mapTiles?: MapTiles;
  /** Checks JSON answers against the route table's response schemas (on in the tests; off when absent). */
  checkResponses?: MountOptions['checkResponses'];
  /**
   * The live events hub (api/live/live-hub.ts): its LISTEN connection opens with the first stream.
   * Made by createApp when absent; either way `app.locals.live`, to close at shutdown.
   */
  live?: LiveHub;
  /** Heartbeat period of the event streams (HEARTBEAT_MS when absent). */
  liveHeartbeatMs?: number;
  auth?: {
    throttle?: ThrottlePolicy;
    /** Secure cookies (set in production, behind HTTPS). */
    secureCookies?: boolean;
    sessionTtlSeconds?: number;
    publicUrl?: string;
    /** Per-client single sign-on; off when absent. */
    oidc?: OidcClients;
  };
}

/** The version of the API the OpenAPI document states. */
export const API_VERSION = '0.1.0';

/** Every API route of the platform: the single table that validation, OpenAPI and auth read. */
export function apiRoutes(deps: AppDeps): RouteSpec[] {
  return [
    ...requestRoutes(deps),
    ...interventionActionRoutes(deps),
    ...directoryRoutes(),
    ...dispatchRoutes(deps),
    ...invoiceRoutes(deps),
    ...financeRoutes(),
    ...authRoutes({ db: deps.db, ...deps.auth }),
    ...oidcProviderRoutes({
      ...(deps.auth?.oidc ? { oidc: deps.auth.oidc } : {}),
      ...(deps.auth?.publicUrl ? { publicUrl: deps.auth.publicUrl } : {}),
    }),
    ...attachmentRoutes(),
    ...userRoutes({
      ...(deps.mailer ? { mailer: deps.mailer } : {}),
      ...(deps.auth?.publicUrl ? { publicUrl: deps.auth.publicUrl } : {}),
    }),
    ...adminRoutes(),
    ...auditRoutes(),
    ...gdprRoutes(),
    ...operationsRoutes(deps),
    ...kpiRoutes(),
    ...kpiReportRoutes(),
    ...knowledgeRoutes(deps),
    ...assetRoutes(),
    ...integrationRoutes(deps),
    ...calendarRoutes({ db: deps.db, ...(deps.auth?.publicUrl ? { publicUrl: deps.auth.publicUrl } : {}) }),
    ...liveRoutes({ live: deps.live!, ...(deps.liveHeartbeatMs ? { heartbeatMs: deps.liveHeartbeatMs } : {}) }),
  ];
}

export function createApp(given: AppDeps): Express {
  const deps: AppDeps = { ...given, live: given.live ?? new LiveHub(given.db, given.log ? { log: given.log } : {}) };
  const app = express();
  app.locals.live = deps.live;
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(
    helmet({
      referrerPolicy: { policy: 'same-origin' },
      frameguard: { action: 'deny' },
      // HSTS only where the deployment is HTTPS (secure cookies on).
      strictTransportSecurity: deps.auth?.secureCookies ? { maxAge: 31_536_000 } : false,
    }),
  );
  // JSON bodies are parsed per route by mountRoutes, with each route's own size limit (the photo
  // intake takes 36 MB, everything else DEFAULT_BODY_LIMIT).

  app.use(createHealthRouter(deps));
  const routes = apiRoutes(deps);
  const openApi = buildOpenApi(routes, { version: API_VERSION });
  const log = deps.log ?? ((err: unknown) => console.error(err));
  const limits = createRateLimits(deps.db, deps.rateLimit ?? DEFAULT_RATE_LIMITS, log);
  const api = express.Router();
  api.use(limits.byAddress);
  api.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  api.use(requireJsonBody);
  api.use(authenticate(deps.db));
  api.use(noStoreWhenAuthenticated, limits.byAccount, sameOriginWrites({ publicUrl: deps.auth?.publicUrl }));
  api.use(
    mountRoutes(routes, {
      withDb: scopedRunner(deps.db),
      step: scopedStep(deps.db),
      authorize,
      guards: PARAM_GUARDS,
      afterHandler: auditRouteCall,
      ...(deps.checkResponses ? { checkResponses: deps.checkResponses } : {}),
    }),
  );
  api.use(notFoundHandler);
  app.use('/api', api);

  if (deps.webRoot) {
    app.use(express.static(deps.webRoot, { index: 'index.html', maxAge: '5m' }));
    // Client-side routes (real paths: /requests/INT-…) fall back to the app shell, so deep links and
    // reloads work; /api, /healthz and file names (a missing asset) stay 404s.
    app.get(/^\/(?!api(?:\/|$)|healthz(?:\/|$))[^.]*$/, (_req, res) => res.sendFile('index.html', { root: deps.webRoot! }));
  }
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}
