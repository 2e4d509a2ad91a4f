import type { NewAuditRow } from '../schema/auth.table.js';
import type { Executor } from '../executor.js';

/** Appends one entry; call it with the transaction of the write it documents. */
export async function appendAudit(db: Executor, entry: NewAuditRow): Promise<void> {
  // jsonb: sent as JSON text (an array would otherwise be sent as a PostgreSQL array).
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  await db
    .insertInto('auditLog')
    .values({ ...entry, before: json(entry.before), after: json(entry.after) })
    .execute();
}

/** `%`, `_` and `\\` typed by a user are letters, not patterns. */
const literal = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface AuditFilter {
  actorUserId?: string;
  /** Part of the actor's email or name. */
  actor?: string;
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
    .leftJoin('users', 'users.id', 'auditLog.actorUserId')
    .selectAll('auditLog')
    .select(['users.email as actorEmail', 'users.displayName as actorName'])
    .$if(filter.actorUserId !== undefined, (q) => q.where('actorUserId', '=', filter.actorUserId!))
    .$if(filter.actor !== undefined, (q) =>
      q.where((eb) =>
        eb.or([eb('users.email', 'ilike', `%${literal(filter.actor!)}%`), eb('users.displayName', 'ilike', `%${literal(filter.actor!)}%`)]),
      ),
    )
    .$if(filter.action !== undefined, (q) => q.where('action', '=', filter.action!))
    .$if(filter.entityType !== undefined, (q) => q.where('entityType', '=', filter.entityType!))
    .$if(filter.entityId !== undefined, (q) => q.where('entityId', '=', filter.entityId!))
    .$if(filter.personalData !== undefined, (q) => q.where('personalData', '=', filter.personalData!))
    .$if(filter.from !== undefined, (q) => q.where('auditLog.at', '>=', filter.from!))
    .$if(filter.to !== undefined, (q) => q.where('auditLog.at', '<', filter.to!))
    .$if(filter.beforeId !== undefined, (q) => q.where('auditLog.id', '<', filter.beforeId!))
    .orderBy('auditLog.id', 'desc')
    .limit(filter.limit)
    .execute();
}
