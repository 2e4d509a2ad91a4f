/**
 * The API process for production: serves the API and the built web app, against an external
 * PostgreSQL (DATABASE_URL) and Temporal (TEMPORAL_ADDRESS); runs migrations at start.
 */
import { createApp } from '../api/app.js';
import { connectApiClient } from '../api/temporal-client.js';
import { createMailer } from '../activities/index.js';
import { authFromConfig } from '../api/auth/auth-config.js';
import { createDb, migrateToLatest } from '../db/index.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildWeb, webDist } from './build-web.js';
import { loadConfigOrExit } from '../platform/config.js';
import { ensureNamespaceAndSearchAttributes } from './temporal-cli.js';

const config = loadConfigOrExit();
if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
  console.error('The API process needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs everything embedded).');
  process.exit(2);
}

const db = createDb({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE, applicationName: 'api' });
await migrateToLatest(db);
await ensureNamespaceAndSearchAttributes(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
// Bounded calls and quick reconnection: an outage of Temporal is a 503 within seconds (api/temporal-client.ts).
const { client, connection } = await connectApiClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
// The image ships the built web app (read-only at run time); development builds it here.
const webRoot = existsSync(path.join(webDist, 'app.js')) && config.NODE_ENV === 'production' ? webDist : await buildWeb();
const app = createApp({
  db,
  temporal: client,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  webRoot,
  auth: authFromConfig(config),
  mapTiles: { url: config.MAP_TILE_URL, attribution: config.MAP_TILE_ATTRIBUTION },
  // Invitation and password-reset links go out like every other email (SMTP, or the outbox).
  mailer: createMailer({ db, from: config.MAIL_FROM, smtpUrl: config.SMTP_URL }),
  waits: { intakeConfirmMs: config.INTAKE_CONFIRM_TIMEOUT_MS, actionMs: config.ACTION_TIMEOUT_MS },
  rateLimit: { perAddress: config.RATE_LIMIT_PER_ADDRESS, perAccount: config.RATE_LIMIT_PER_ACCOUNT },
});
// Behind the compose stack's reverse proxy (or a load balancer), the client's address comes from
// X-Forwarded-For: the login throttle counts per real IP.
if (config.NODE_ENV === 'production') app.set('trust proxy', 1);
const server = app.listen(config.PORT, config.HOST, () => {
  console.log(`API listening on http://${config.HOST}:${config.PORT}`);
});

async function stop() {
  server.close();
  await (app.locals.live as { close(): Promise<void> }).close();
  await connection.close();
  await db.destroy();
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
