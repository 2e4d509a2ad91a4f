import type { NewAuditRow } from '../schema/auth.table.js';
import type { Executor } from '../executor.js';

/** Appends one entry; call it with the transaction of the write it documents. */
export async function appendAudit(db: Executor, entry: NewAuditRow): Promise<void> {
  await db.insertInto('auditLog').values(entry).execute();
}

export interface AuditFilter {
  actorUserId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  personalData?: boolean;
  from?: Date;
  to?: Date;
  limit: number;
  beforeId?: number;
}

export async function listAudit(db: Executor, filter: AuditFilter) {
  return db
    .selectFrom('auditLog')
    .selectAll()
    .$if(filter.actorUserId !== undefined, (q) => q.where('actorUserId', '=', filter.actorUserId!))
    .$if(filter.action !== undefined, (q) => q.where('action', '=', filter.action!))
    .$if(filter.entityType !== undefined, (q) => q.where('entityType', '=', filter.entityType!))
    .$if(filter.entityId !== undefined, (q) => q.where('entityId', '=', filter.entityId!))
    .$if(filter.personalData !== undefined, (q) => q.where('personalData', '=', filter.personalData!))
    .$if(filter.from !== undefined, (q) => q.where('at', '>=', filter.from!))
    .$if(filter.to !== undefined, (q) => q.where('at', '<', filter.to!))
    .$if(filter.beforeId !== undefined, (q) => q.where('id', '<', filter.beforeId!))
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
}
