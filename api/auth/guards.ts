/**
 * Path-parameter guards: a route whose path names an object the caller cannot see (row-level
 * security hides it from the scoped `db`) answers 404 before anything else runs. Keyed by
 * parameter name, so routes added later with these names are protected without a line of code.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { isRowVisible, isTicketVisible, type VisibleByIdTable } from '../../db/repositories/visibility.repository.js';
import type { ParamGuard } from '../routing.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function byId(table: VisibleByIdTable): ParamGuard {
  return async (db: Kysely<DB>, value: string) => {
    if (!UUID.test(value)) return false;
    return isRowVisible(db, table, value);
  };
}

export const PARAM_GUARDS: Record<string, ParamGuard> = {
  ticket: (db, value) => isTicketVisible(db, value),
  userId: byId('users'),
  tokenId: byId('apiTokens'),
  clientId: byId('clients'),
  technicianId: byId('technicians'),
  locationId: byId('clientLocations'),
  contactId: byId('clientContacts'),
  assetId: byId('assets'),
  contractId: byId('contracts'),
  // Finance never sees photos or diagnostic bundles: the policy hides them, the guard answers 404.
  attachmentId: byId('requestAttachments'),
  // An article the caller may not read (internal, another company's, unpublished) is not there.
  articleId: byId('kbArticles'),
  // A company's monitoring integrations: its admin's and staff's only.
  integrationId: byId('monitoringIntegrations'),
};
