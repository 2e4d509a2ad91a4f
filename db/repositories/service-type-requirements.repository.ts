/**
 * Certifications a service type requires for every client (migration 0300): one row per service
 * type that has requirements. Read by the daily plan and the administration screens.
 */
import type { Executor } from '../executor.js';

export async function listServiceTypeRequirements(db: Executor) {
  return db.selectFrom('serviceTypeRequirements').select(['serviceType', 'requiredCertifications']).orderBy('serviceType').execute();
}

/** Replaces the service type's requirements; an empty list removes its row. */
export async function replaceServiceTypeRequirements(db: Executor, serviceType: string, requiredCertifications: readonly string[]) {
  if (requiredCertifications.length === 0) {
    await db.deleteFrom('serviceTypeRequirements').where('serviceType', '=', serviceType).execute();
    return;
  }
  await db
    .insertInto('serviceTypeRequirements')
    .values({ serviceType, requiredCertifications: [...requiredCertifications] })
    .onConflict((oc) =>
      oc.column('serviceType').doUpdateSet({ requiredCertifications: [...requiredCertifications], updatedAt: new Date() }),
    )
    .execute();
}
