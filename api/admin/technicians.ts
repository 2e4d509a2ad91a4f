/**
 * Technicians: profile, home base, hourly cost, skills with levels, certifications (an expired
 * one stays on record and stops counting), weekly shifts and absences. Each list sent replaces
 * the stored one in the request's transaction; the overlap and order rules are the body
 * schema's (api/schemas/admin.schema.ts), so a refusal is a 400 naming the item and field.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/index.js';
import {
  findTechnicianDetail,
  insertTechnician,
  replaceAbsences,
  replaceCertifications,
  replaceShifts,
  replaceSkills,
  updateTechnician,
} from '../../db/repositories/technician-admin.repository.js';
import type { AuditSink } from '../audit-trail.js';
import { parisToday } from '../calendar-day.js';
import { notFound } from '../errors.js';
import type { createTechnicianSchema, updateTechnicianSchema } from '../schemas/admin.schema.js';

type Db = Kysely<DB>;
type Lists = Pick<z.output<typeof createTechnicianSchema>, 'skills' | 'certifications' | 'shifts' | 'absences'>;

async function replaceLists(db: Db, technicianId: string, lists: Lists) {
  if (lists.skills) await replaceSkills(db, technicianId, lists.skills);
  if (lists.certifications) await replaceCertifications(db, technicianId, lists.certifications);
  if (lists.shifts) await replaceShifts(db, technicianId, lists.shifts);
  if (lists.absences) await replaceAbsences(db, technicianId, lists.absences);
}

export async function technicianDetail(db: Db, technicianId: string) {
  const detail = await findTechnicianDetail(db, technicianId, parisToday());
  if (!detail) throw notFound(`technician ${technicianId}`);
  return detail;
}

export async function createTechnician(db: Db, body: z.output<typeof createTechnicianSchema>, audit: AuditSink) {
  const { skills, certifications, shifts, absences, ...profile } = body;
  const { id } = await insertTechnician(db, profile);
  await replaceLists(db, id, { skills, certifications, shifts, absences });
  const after = await technicianDetail(db, id);
  audit({ entityType: 'technician', entityId: id, before: null, after });
  return after;
}

export async function changeTechnician(db: Db, technicianId: string, body: z.output<typeof updateTechnicianSchema>, audit: AuditSink) {
  const before = await technicianDetail(db, technicianId);
  const { skills, certifications, shifts, absences, ...profile } = body;
  await updateTechnician(db, technicianId, profile);
  await replaceLists(db, technicianId, { skills, certifications, shifts, absences });
  const after = await technicianDetail(db, technicianId);
  audit({ entityType: 'technician', entityId: technicianId, before, after });
  return after;
}
