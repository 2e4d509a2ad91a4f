/**
 * Service types' certification requirements: every visit of the type needs a technician holding
 * each certification, valid on the day of the visit (the daily plan adds the client contract's
 * own requirements). The service types themselves are a fixed vocabulary.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { listServiceTypeRequirements, replaceServiceTypeRequirements } from '../../db/repositories/service-type-requirements.repository.js';
import { SERVICE_TYPES, type ServiceType } from '../../workflows/intervention/intervention.contract.js';
import type { AuditSink } from '../audit-trail.js';

/** Every service type with its requirements (an empty list when it has none). */
export async function serviceTypeRequirements(db: Kysely<DB>) {
  const rows = new Map((await listServiceTypeRequirements(db)).map((r) => [r.serviceType, r.requiredCertifications]));
  return SERVICE_TYPES.map((serviceType) => ({ serviceType, requiredCertifications: rows.get(serviceType) ?? [] }));
}

export async function changeServiceTypeRequirements(
  db: Kysely<DB>,
  serviceType: ServiceType,
  requiredCertifications: readonly string[],
  audit: AuditSink,
) {
  const before = (await serviceTypeRequirements(db)).find((r) => r.serviceType === serviceType)!;
  await replaceServiceTypeRequirements(db, serviceType, requiredCertifications);
  const after = { serviceType, requiredCertifications: [...requiredCertifications] };
  audit({ entityType: 'service_type', entityId: serviceType, before, after });
  return after;
}
