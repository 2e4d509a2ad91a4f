/**
 * The automatic insertion of a new P1: which plan it goes into (today's, or the next working
 * day's, when that day's latest version is published), and the dispatchers' notice of what moved.
 */
import { DateTime } from 'luxon';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { findLatestPlanOfDay, findPublishedPlanOfDay, getDispatchSettings } from '../../db/repositories/dispatch.repository.js';
import { listUsers } from '../../db/repositories/users.repository.js';
import type { MovedStop } from '../../workflows/dispatch/plan-override.contract.js';
import type { Mailer } from '../notifications/mailer.js';
import { PLAN_TIMEZONE } from './day-problem.js';
import { nextWorkingDay } from './nightly-plan.js';

export interface EmergencyTarget {
  date: string;
  /** The version the insertion is made on (the day's latest). */
  planId: string;
  /**
   * insert: the new version is published at once; propose: it waits for a dispatcher (the
   * company's setting, or the day's latest version is a dispatcher's unpublished draft).
   */
  mode: 'insert' | 'propose';
}

export async function emergencyTarget(db: Kysely<DB>, now: Date): Promise<EmergencyTarget | null> {
  const today = DateTime.fromJSDate(now, { zone: PLAN_TIMEZONE }).toISODate()!;
  const settings = await getDispatchSettings(db);
  for (const date of [today, nextWorkingDay(now)]) {
    const published = await findPublishedPlanOfDay(db, date);
    if (!published) continue;
    const latest = await findLatestPlanOfDay(db, date);
    if (!latest) continue;
    const draft = latest.status !== 'published';
    return { date, planId: latest.id, mode: draft ? 'propose' : settings.emergencyMode };
  }
  return null;
}

export interface EmergencyNotice {
  planId: string;
  ticketNumber: string;
  published: boolean;
  moved: MovedStop[];
}

/** Tells the dispatchers (their accounts, else the support address) what the insertion changed; once per version. */
export async function notifyEmergencyInsertion(
  db: Kysely<DB>,
  mailer: Mailer,
  supportEmail: string,
  notice: EmergencyNotice,
): Promise<number> {
  const dispatchers = (await listUsers(db, { role: 'dispatcher' })).filter((u) => u.active).map((u) => u.email);
  const to = dispatchers.length ? dispatchers : [supportEmail];
  const movedFr = notice.moved.map(
    (m) => `- ${m.ticketNumber} : ${m.from.technicianName} → ${m.to ? m.to.technicianName : 'non planifiée (voir le plan)'}`,
  );
  const movedEn = notice.moved.map(
    (m) => `- ${m.ticketNumber}: ${m.from.technicianName} → ${m.to ? m.to.technicianName : 'unplanned (see the plan)'}`,
  );
  const text = [
    notice.published
      ? `L'urgence ${notice.ticketNumber} a été insérée dans le plan publié ; techniciens et clients concernés ont été prévenus.`
      : `L'urgence ${notice.ticketNumber} a été insérée dans une nouvelle version du plan, en attente de votre publication.`,
    notice.moved.length ? `Interventions déplacées :\n${movedFr.join('\n')}` : 'Aucune autre intervention déplacée.',
    '',
    notice.published
      ? `Emergency ${notice.ticketNumber} was inserted into the published plan; the technicians and clients concerned were told.`
      : `Emergency ${notice.ticketNumber} was inserted into a new plan version that waits for you to publish it.`,
    notice.moved.length ? `Moved visits:\n${movedEn.join('\n')}` : 'No other visit moved.',
  ].join('\n');
  await mailer.send({
    idempotencyKey: `emergency-insertion-${notice.planId}`,
    to,
    subject: `Urgence ${notice.ticketNumber} insérée dans le plan / Emergency inserted into the plan`,
    text,
  });
  return to.length;
}
