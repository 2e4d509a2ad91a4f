/**
 * The client's own objects a service request refers to (site, contract, asset, requester
 * contact), each looked up under the client the request is filed for: an id of another
 * company's object is found no more than an id that does not exist.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema/index.js';

type Executor = Kysely<DB> | Transaction<DB>;

export interface IntakeReferenceIds {
  clientId: string;
  locationId: string;
  contractId?: string | undefined;
  assetId?: string | undefined;
  requesterContactId?: string | undefined;
}

/** Each reference of the client, or undefined when the client has no such object (or it is not given). */
export async function findIntakeReferences(db: Executor, ids: IntakeReferenceIds) {
  const client = await db.selectFrom('clients').select('id').where('id', '=', ids.clientId).executeTakeFirst();
  const location = await db
    .selectFrom('clientLocations')
    .select(['id', 'name', 'addressLine1', 'postalCode', 'city'])
    .where('id', '=', ids.locationId)
    .where('clientId', '=', ids.clientId)
    .executeTakeFirst();
  const contract = ids.contractId
    ? await db
        .selectFrom('contracts')
        .select(['id', 'kind'])
        .where('id', '=', ids.contractId)
        .where('clientId', '=', ids.clientId)
        .executeTakeFirst()
    : undefined;
  const asset = ids.assetId
    ? await db.selectFrom('assets').select('id').where('id', '=', ids.assetId).where('clientId', '=', ids.clientId).executeTakeFirst()
    : undefined;
  const contact = ids.requesterContactId
    ? await db
        .selectFrom('clientContacts')
        .select('id')
        .where('id', '=', ids.requesterContactId)
        .where('clientId', '=', ids.clientId)
        .executeTakeFirst()
    : undefined;
  return { client, location, contract, asset, contact };
}
