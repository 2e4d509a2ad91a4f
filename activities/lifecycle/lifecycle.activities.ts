/**
 * What the intervention workflow does outside itself, besides status changes (records) and raw
 * email (notifications), composed from one factory per capability: SLA deadlines, timeline
 * entries, assignments, site work, and the emails and invites of each step. The workflow proxies
 * `LifecycleActivities` under these activity names (recorded in its histories): a capability may
 * move, a name may not change.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { createAssignmentActivities } from '../assignments/assignments.activities.js';
import type { Mailer } from '../notifications/mailer.js';
import { createInterventionEmailActivities } from '../notifications/intervention-emails.activities.js';
import { createTimelineActivities } from '../records/timeline.activities.js';
import { createSiteWorkActivities } from '../site-work/site-work.activities.js';
import { createSlaActivities } from '../sla/sla.activities.js';

export type { AssignmentSaved } from '../assignments/assignments.activities.js';
export type { SlaComputation } from '../sla/sla.activities.js';

export interface LifecycleDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  /** Where SLA alerts and overdue validations go. */
  supportEmail: string;
}

export function createLifecycleActivities(deps: LifecycleDeps) {
  return {
    ...createSlaActivities(deps),
    ...createTimelineActivities(deps),
    ...createAssignmentActivities(deps),
    ...createSiteWorkActivities(deps),
    ...createInterventionEmailActivities(deps),
  };
}

export type LifecycleActivities = ReturnType<typeof createLifecycleActivities>;
