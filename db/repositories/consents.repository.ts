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
