import { sql, type Kysely } from 'kysely';

// The appointment window a client asked for or accepted at intake (POST /api/requests
// `appointmentWindow`): the daily plan keeps the whole visit inside it, on its day only
// (activities/dispatch/visit-windows.ts). The table's row-level security already applies.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('service_requests')
    .addColumn('appointment_from', 'timestamptz')
    .addColumn('appointment_to', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('service_requests')
    .addCheckConstraint(
      'service_requests_appointment_window',
      sql`(appointment_from is null and appointment_to is null) or (appointment_from < appointment_to)`,
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('service_requests').dropConstraint('service_requests_appointment_window').execute();
  await db.schema.alterTable('service_requests').dropColumn('appointment_from').dropColumn('appointment_to').execute();
}
