/**
 * Path-parameter guards: a route whose path names an object the caller cannot see (row-level
 * security hides it from the scoped `db`) answers 404 before anything else runs. Keyed by
 * parameter name, so routes added later with these names are protected without a line of code.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import type { ParamGuard } from '../routing.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type UuidTable = 'users' | 'apiTokens' | 'clients' | 'technicians' | 'clientLocations' | 'assets' | 'contracts' | 'requestAttachments';

function byId(table: UuidTable): ParamGuard {
  return async (db: Kysely<DB>, value: string) => {
    if (!UUID.test(value)) return false;
    const row = await db.selectFrom(table).select('id').where('id', '=', value).executeTakeFirst();
    return row !== undefined;
  };
}

export const PARAM_GUARDS: Record<string, ParamGuard> = {
  async ticket(db, value) {
    const row = await db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', value).executeTakeFirst();
    return row !== undefined;
  },
  userId: byId('users'),
  tokenId: byId('apiTokens'),
  clientId: byId('clients'),
  technicianId: byId('technicians'),
  locationId: byId('clientLocations'),
  assetId: byId('assets'),
  contractId: byId('contracts'),
  // Finance never sees photos or diagnostic bundles: the policy hides them, the guard answers 404.
  attachmentId: byId('requestAttachments'),
};
