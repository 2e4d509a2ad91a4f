/**
 * Contracts: kind, coverage calendar, SLA targets per priority, billing terms, retention, dates.
 * Changing a contract never changes an issued invoice: invoices store their own snapshot of the
 * lines, rates and parties (columns the database refuses to update, migration 0040); a change
 * applies to what is invoiced from then on. A running intervention keeps the SLA deadlines it
 * was given at intake.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/index.js';
import {
  findContract,
  insertContract,
  replaceSlaTargets,
  updateContract,
  upsertBillingTerms,
} from '../../db/repositories/client-admin.repository.js';
import type { AuditSink } from '../audit-trail.js';
import { HttpError, notFound } from '../errors.js';
import type { createContractSchema, updateContractSchema } from '../schemas/admin.schema.js';

type Db = Kysely<DB>;
type Billing = z.output<typeof createContractSchema>['billing'];

/** The billing fields that live on the contract row; the rest are its billing terms. */
function splitBilling(billing: Partial<Billing>) {
  const { hourlyRateCents, travelFeeCents, includedHoursPerMonth, ...terms } = billing;
  const onContract = {
    ...(hourlyRateCents !== undefined ? { hourlyRateCents } : {}),
    ...(travelFeeCents !== undefined ? { travelFeeCents } : {}),
    ...(includedHoursPerMonth !== undefined ? { includedHoursPerMonth } : {}),
  };
  const definedTerms = Object.fromEntries(Object.entries(terms).filter(([, v]) => v !== undefined));
  return { onContract, terms: definedTerms };
}

export async function createContract(db: Db, clientId: string, body: z.output<typeof createContractSchema>, audit: AuditSink) {
  const { slaTargets, billing, ...fields } = body;
  const { onContract, terms } = splitBilling(billing);
  const contract = await insertContract(db, { ...fields, ...onContract, hourlyRateCents: billing.hourlyRateCents, clientId });
  await replaceSlaTargets(db, contract.id, slaTargets ?? []);
  await upsertBillingTerms(db, contract.id, terms);
  const after = (await findContract(db, contract.id))!;
  audit({ entityType: 'contract', entityId: contract.id, before: null, after });
  return after;
}

export async function changeContract(db: Db, contractId: string, body: z.output<typeof updateContractSchema>, audit: AuditSink) {
  const before = await findContract(db, contractId);
  if (!before) throw notFound(`contract ${contractId}`);
  const startsOn = body.startsOn ?? before.startsOn;
  const endsOn = body.endsOn === undefined ? before.endsOn : body.endsOn;
  if (endsOn && endsOn < startsOn) {
    throw new HttpError(400, 'validation_failed', 'endsOn: must not be before startsOn', [
      { field: 'endsOn', message: 'must not be before startsOn' },
    ]);
  }
  const { slaTargets, billing, ...fields } = body;
  const { onContract, terms } = splitBilling(billing ?? {});
  await updateContract(db, contractId, { ...fields, ...onContract });
  if (slaTargets) await replaceSlaTargets(db, contractId, slaTargets);
  if (Object.keys(terms).length > 0) await upsertBillingTerms(db, contractId, terms);
  const after = (await findContract(db, contractId))!;
  audit({ entityType: 'contract', entityId: contractId, before, after });
  return after;
}

export async function contractDetail(db: Db, contractId: string) {
  const contract = await findContract(db, contractId);
  if (!contract) throw notFound(`contract ${contractId}`);
  return contract;
}
