/**
 * Technicians as the administration workspace writes them: profile, skills with levels,
 * certifications, weekly shifts and absences. Each list is replaced whole, in the caller's
 * transaction, so a refused change leaves the previous one intact.
 */
import type { Insertable, Updateable } from 'kysely';
import type { TechniciansTable } from '../schema/technicians.table.js';
import type { Executor } from '../executor.js';

export interface Skill {
  skill: string;
  level: number;
}
export interface Certification {
  name: string;
  issuer: string;
  obtainedOn: string;
  expiresOn: string | null;
}
export interface Shift {
  weekday: number;
  startsAt: string;
  endsAt: string;
  lunchEarliest: string | null;
  lunchLatest: string | null;
  lunchMinutes: number;
}
export interface Absence {
  startsAt: string;
  endsAt: string;
  reason: string;
}

export async function insertTechnician(db: Executor, values: Insertable<TechniciansTable>) {
  return db.insertInto('technicians').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function updateTechnician(db: Executor, id: string, values: Updateable<TechniciansTable>) {
  if (Object.keys(values).length === 0) return;
  await db.updateTable('technicians').set(values).where('id', '=', id).execute();
}

/**
 * The technician with every list. A certification counts (`current`) from the day it was
 * obtained until the day before it expires: an expired one stays listed but no longer counts.
 */
export async function findTechnicianDetail(db: Executor, id: string, today: string) {
  const technician = await db.selectFrom('technicians').selectAll().where('id', '=', id).executeTakeFirst();
  if (!technician) return undefined;
  const [skills, certifications, shifts, absences] = await Promise.all([
    db.selectFrom('technicianSkills').select(['skill', 'level']).where('technicianId', '=', id).orderBy('skill').execute(),
    db
      .selectFrom('technicianCertifications')
      .select(['id', 'name', 'issuer', 'obtainedOn', 'expiresOn'])
      .where('technicianId', '=', id)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('technicianShifts')
      .select(['weekday', 'startsAt', 'endsAt', 'lunchEarliest', 'lunchLatest', 'lunchMinutes'])
      .where('technicianId', '=', id)
      .orderBy('weekday')
      .execute(),
    db
      .selectFrom('technicianAbsences')
      .select(['id', 'startsAt', 'endsAt', 'reason'])
      .where('technicianId', '=', id)
      .orderBy('startsAt')
      .execute(),
  ]);
  return {
    ...technician,
    skills,
    certifications: certifications.map((c) => ({ ...c, current: c.obtainedOn <= today && (c.expiresOn === null || c.expiresOn > today) })),
    shifts,
    absences,
  };
}

/** Names of the certifications of each technician that count on `day` (not expired). */
export async function currentCertifications(db: Executor, day: string) {
  return db
    .selectFrom('technicianCertifications')
    .select(['technicianId', 'name'])
    .where('obtainedOn', '<=', day)
    .where((eb) => eb.or([eb('expiresOn', 'is', null), eb('expiresOn', '>', day)]))
    .execute();
}

export async function replaceSkills(db: Executor, technicianId: string, skills: readonly Skill[]) {
  await db.deleteFrom('technicianSkills').where('technicianId', '=', technicianId).execute();
  if (skills.length > 0)
    await db
      .insertInto('technicianSkills')
      .values(skills.map((s) => ({ technicianId, ...s })))
      .execute();
}

export async function replaceCertifications(db: Executor, technicianId: string, certifications: readonly Certification[]) {
  await db.deleteFrom('technicianCertifications').where('technicianId', '=', technicianId).execute();
  if (certifications.length > 0)
    await db
      .insertInto('technicianCertifications')
      .values(certifications.map((c) => ({ technicianId, ...c })))
      .execute();
}

export async function replaceShifts(db: Executor, technicianId: string, shifts: readonly Shift[]) {
  await db.deleteFrom('technicianShifts').where('technicianId', '=', technicianId).execute();
  if (shifts.length > 0)
    await db
      .insertInto('technicianShifts')
      .values(shifts.map((s) => ({ technicianId, ...s })))
      .execute();
}

export async function replaceAbsences(db: Executor, technicianId: string, absences: readonly Absence[]) {
  await db.deleteFrom('technicianAbsences').where('technicianId', '=', technicianId).execute();
  if (absences.length > 0)
    await db
      .insertInto('technicianAbsences')
      .values(absences.map((a) => ({ technicianId, ...a })))
      .execute();
}
