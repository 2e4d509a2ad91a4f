import type { Executor } from '../executor.js';

/**
 * Whether the person currently consents to diagnostic data being collected for this request:
 * the latest record wins, no record means no consent. Check it before storing a diagnostic bundle.
 */
export async function hasDiagnosticConsent(db: Executor, requestId: string, subjectEmail: string): Promise<boolean> {
  const latest = await db
    .selectFrom('consents')
    .select('granted')
    .where('requestId', '=', requestId)
    .where('subjectEmail', '=', subjectEmail.trim().toLowerCase())
    .where('purpose', '=', 'diagnostic_data')
    .orderBy('recordedAt', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return latest?.granted ?? false;
}

export interface ConsentRecord {
  requestId: string;
  subjectEmail: string;
  purpose: 'diagnostic_data';
  granted: boolean;
  recordedByUserId: string;
  ip: string | null;
}

/** Records a consent (or refusal); the latest record wins. */
export async function recordConsent(db: Executor, consent: ConsentRecord) {
  return db.insertInto('consents').values(consent).returningAll().executeTakeFirstOrThrow();
}

/** The consents recorded for a request, newest first. */
export async function listConsentsOfRequest(db: Executor, requestId: string) {
  return db.selectFrom('consents').selectAll().where('requestId', '=', requestId).orderBy('recordedAt', 'desc').execute();
}
