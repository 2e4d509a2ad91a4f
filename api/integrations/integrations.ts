/**
 * A company's monitoring integrations (issue 13): its admin (or staff) creates one and gets its
 * bearer token once (only the SHA-256 is stored), lists them, and revokes one (refused from then on).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { insertIntegration, isSiteOfClient, listIntegrations, revokeIntegration } from '../../db/repositories/monitoring.repository.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { AuditSink } from '../audit-trail.js';
import { HttpError, notFound } from '../errors.js';
import type { Principal } from '../routing.js';
import type { z } from 'zod';
import type { createIntegrationSchema } from '../schemas/integrations.schema.js';

/** Prefix of an integration token: never taken for an account's API token (`fsp_`). */
export const INTEGRATION_TOKEN_PREFIX = 'fsi_';

export async function createIntegration(
  db: Kysely<DB>,
  principal: Principal | null,
  clientId: string,
  body: z.output<typeof createIntegrationSchema>,
  audit: AuditSink,
) {
  if (!(await isSiteOfClient(db, clientId, body.locationId))) {
    const field = { field: 'locationId', message: 'no such site for this client' };
    throw new HttpError(422, 'validation_failed', `${field.field}: ${field.message}`, [field]);
  }
  const token = newSecret(INTEGRATION_TOKEN_PREFIX);
  const row = await insertIntegration(db, { ...body, clientId, tokenHash: hashSecret(token), createdByUserId: principal?.userId ?? null });
  audit({ entityType: 'monitoring_integration', entityId: row.id, before: null, after: row });
  return { ...row, token };
}

export async function integrationsOf(db: Kysely<DB>, clientId: string) {
  return { items: await listIntegrations(db, clientId) };
}

export async function revokeIntegrationToken(db: Kysely<DB>, integrationId: string, audit: AuditSink): Promise<void> {
  if (!(await revokeIntegration(db, integrationId))) throw notFound(`active integration ${integrationId}`);
  audit({ entityType: 'monitoring_integration', entityId: integrationId, before: null, after: { revoked: true } });
}
