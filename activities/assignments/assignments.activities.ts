/** Who goes, and when: the intervention's live assignment and its status. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  findTechnician,
  replaceLiveAssignment,
  setAssignmentStatus,
  type NewAssignment,
} from '../../db/repositories/assignments.repository.js';
import { unknownReference } from '../unknown-reference.js';

export interface AssignmentDeps {
  db: Kysely<DB>;
}

export interface AssignmentSaved {
  assignmentId: string;
  technicianId: string;
  technicianName: string;
  previousAssignmentId: string | null;
}

export function createAssignmentActivities({ db }: AssignmentDeps) {
  return {
    /** Writes the assignment; the previous live one (reassignment) is cancelled in the same transaction. */
    async saveAssignment(input: NewAssignment): Promise<AssignmentSaved> {
      const technician = await findTechnician(db, input.technicianId);
      if (!technician || !technician.active) unknownReference(`technician ${input.technicianId} not found or inactive`);
      const saved = await replaceLiveAssignment(db, input);
      return { ...saved, technicianId: input.technicianId, technicianName: `${technician.firstName} ${technician.lastName}` };
    },

    async setAssignmentStatus(input: { assignmentId: string; status: 'on_site' | 'completed' | 'cancelled' }): Promise<void> {
      await setAssignmentStatus(db, input.assignmentId, input.status);
    },
  };
}
