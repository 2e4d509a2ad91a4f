import { sql, type Kysely } from 'kysely';

// The data model of the specification (seed 001): ServiceRequest, Client, Assignment, Technician,
// with the client's contacts, locations (sites), contracts (with SLA targets), preferences and
// assets, and the technician's profile, skills, certifications, availability, home base and
// performance. Value lists are spelled out here on purpose: a migration never imports app code.

const SERVICE_TYPES = [
  'hardware_repair',
  'software_troubleshooting',
  'network_configuration',
  'data_recovery',
  'security',
  'hardware_upgrade',
];
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];
const REQUEST_STATUSES = [
  'new',
  'analysis',
  'awaiting_client_info',
  'specialist_review',
  'solution_proposed',
  'awaiting_planning',
  'scheduled',
  'in_progress',
  'awaiting_validation',
  'validated',
  'invoiced',
  'survey',
  'closed',
  'cancelled',
];
const CLIENT_STATUSES = ['new', 'in_analysis', 'solution_proposed', 'resolved', 'closed'];
const ASSIGNMENT_STATUSES = ['proposed', 'confirmed', 'en_route', 'on_site', 'completed', 'cancelled'];
const CONTACT_MODES = ['email', 'phone', 'sms', 'portal'];
const LEVELS = ['low', 'medium', 'high', 'critical'];

function inList(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pgcrypto`.execute(db);

  await db.schema
    .createTable('clients')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('company_name', 'text', (c) => c.notNull())
    .addColumn('legal_name', 'text')
    .addColumn('siren', 'text', (c) => c.check(sql`siren ~ '^[0-9]{9}$'`))
    .addColumn('siret', 'text', (c) => c.check(sql`siret ~ '^[0-9]{14}$'`))
    .addColumn('vat_number', 'text')
    .addColumn('address_line1', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('country', 'text', (c) => c.notNull().defaultTo('FR'))
    .addColumn('industry', 'text')
    .addColumn('crm_external_id', 'text', (c) => c.unique())
    .addColumn('preferences', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('clients_company_name_key').on('clients').column('company_name').unique().execute();

  await db.schema
    .createTable('client_contacts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('job_title', 'text')
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email like '%_@_%'`))
    .addColumn('phone', 'text')
    .addColumn('preferred_contact_mode', 'text', (c) =>
      c.notNull().defaultTo('email').check(inList('preferred_contact_mode', CONTACT_MODES)),
    )
    .addColumn('is_primary', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('client_contacts_client_idx').on('client_contacts').column('client_id').execute();
  await db.schema.createIndex('client_contacts_email_key').on('client_contacts').columns(['client_id', 'email']).unique().execute();

  await db.schema
    .createTable('client_locations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address_line1', 'text', (c) => c.notNull())
    .addColumn('address_line2', 'text')
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text', (c) => c.check(sql`department_code ~ '^([0-9]{2}|2A|2B|97[1-6])$'`))
    .addColumn('latitude', 'double precision', (c) => c.check(sql`latitude between -90 and 90`))
    .addColumn('longitude', 'double precision', (c) => c.check(sql`longitude between -180 and 180`))
    .addColumn('access_instructions', 'text')
    .addColumn('on_site_contact_name', 'text')
    .addColumn('on_site_contact_phone', 'text')
    .addColumn('opening_hours', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('client_locations_client_idx').on('client_locations').column('client_id').execute();

  await db.schema
    .createTable('contracts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(inList('kind', ['standard', 'premium', 'flat_rate', 'time_and_materials'])))
    .addColumn('coverage', 'text', (c) => c.notNull().check(inList('coverage', ['business_hours', '24_7'])))
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('Europe/Paris'))
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date')
    .addColumn('sla_pauses_when_waiting', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('hourly_rate_cents', 'integer', (c) => c.notNull().check(sql`hourly_rate_cents >= 0`))
    .addColumn('travel_fee_cents', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`travel_fee_cents >= 0`),
    )
    .addColumn('included_hours_per_month', sql`numeric(6,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('data_retention_months', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(36)
        .check(sql`data_retention_months > 0`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('contracts_dates_check', sql`ends_on is null or ends_on >= starts_on`)
    .execute();
  await db.schema.createIndex('contracts_client_idx').on('contracts').column('client_id').execute();

  await db.schema
    .createTable('contract_sla_targets')
    .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('priority', 'text', (c) => c.notNull().check(inList('priority', PRIORITIES)))
    .addColumn('response_minutes', 'integer', (c) => c.notNull().check(sql`response_minutes > 0`))
    .addColumn('resolution_minutes', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('contract_sla_targets_pk', ['contract_id', 'priority'])
    .addCheckConstraint('contract_sla_targets_order', sql`resolution_minutes >= response_minutes`)
    .execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('location_id', 'uuid', (c) => c.references('client_locations.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(inList('kind', ['workstation', 'laptop', 'server', 'printer', 'network', 'phone', 'other'])),
    )
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('serial_number', 'text')
    .addColumn('operating_system', 'text')
    .addColumn('purchase_date', 'date')
    .addColumn('warranty_ends_on', 'date')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('assets_client_idx').on('assets').column('client_id').execute();
  await db.schema.createIndex('assets_serial_key').on('assets').columns(['client_id', 'serial_number']).unique().execute();

  await db.schema
    .createTable('technicians')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('phone', 'text')
    .addColumn('level', 'text', (c) => c.notNull().check(inList('level', ['N1', 'N2', 'N3'])))
    .addColumn('bio', 'text')
    .addColumn('languages', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{fr}'`))
    .addColumn('home_address', 'text', (c) => c.notNull())
    .addColumn('home_latitude', 'double precision', (c) => c.notNull().check(sql`home_latitude between -90 and 90`))
    .addColumn('home_longitude', 'double precision', (c) => c.notNull().check(sql`home_longitude between -180 and 180`))
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('Europe/Paris'))
    .addColumn('hourly_cost_cents', 'integer', (c) => c.notNull().check(sql`hourly_cost_cents >= 0`))
    .addColumn('max_overtime_minutes', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(60)
        .check(sql`max_overtime_minutes >= 0`),
    )
    .addColumn('rating', sql`numeric(2,1)`, (c) => c.check(sql`rating between 0 and 5`))
    .addColumn('performance', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('technician_skills')
    .addColumn('technician_id', 'uuid', (c) => c.notNull().references('technicians.id').onDelete('cascade'))
    .addColumn('skill', 'text', (c) => c.notNull())
    .addColumn('level', 'smallint', (c) => c.notNull().check(sql`level between 1 and 5`))
    .addPrimaryKeyConstraint('technician_skills_pk', ['technician_id', 'skill'])
    .execute();
  await db.schema.createIndex('technician_skills_skill_idx').on('technician_skills').columns(['skill', 'level']).execute();

  await db.schema
    .createTable('technician_certifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('technician_id', 'uuid', (c) => c.notNull().references('technicians.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('obtained_on', 'date', (c) => c.notNull())
    .addColumn('expires_on', 'date')
    .addCheckConstraint('technician_certifications_dates', sql`expires_on is null or expires_on > obtained_on`)
    .execute();
  await db.schema.createIndex('technician_certifications_tech_idx').on('technician_certifications').column('technician_id').execute();

  // Weekly availability: one shift per weekday (ISO 1 = Monday), with the lunch-break window.
  await db.schema
    .createTable('technician_shifts')
    .addColumn('technician_id', 'uuid', (c) => c.notNull().references('technicians.id').onDelete('cascade'))
    .addColumn('weekday', 'smallint', (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('starts_at', 'time', (c) => c.notNull())
    .addColumn('ends_at', 'time', (c) => c.notNull())
    .addColumn('lunch_earliest', 'time')
    .addColumn('lunch_latest', 'time')
    .addColumn('lunch_minutes', 'smallint', (c) =>
      c
        .notNull()
        .defaultTo(45)
        .check(sql`lunch_minutes >= 0`),
    )
    .addPrimaryKeyConstraint('technician_shifts_pk', ['technician_id', 'weekday'])
    .addCheckConstraint('technician_shifts_order', sql`ends_at > starts_at`)
    .execute();

  await db.schema
    .createTable('technician_absences')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('technician_id', 'uuid', (c) => c.notNull().references('technicians.id').onDelete('cascade'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addCheckConstraint('technician_absences_order', sql`ends_at > starts_at`)
    .execute();
  await db.schema.createIndex('technician_absences_tech_idx').on('technician_absences').columns(['technician_id', 'starts_at']).execute();

  // Ticket numbers (INT-2026-000123) are allocated per year from this counter, in the
  // transaction that inserts the request, so they are unique and without gaps.
  await db.schema
    .createTable('ticket_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last_value', 'integer', (c) => c.notNull().check(sql`last_value >= 0`))
    .execute();

  await db.schema
    .createTable('service_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ticket_number', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`ticket_number ~ '^INT-[0-9]{4}-[0-9]{6,}$'`),
    )
    .addColumn('workflow_id', 'text', (c) => c.notNull().unique())
    .addColumn('client_id', 'uuid', (c) => c.notNull().references('clients.id').onDelete('restrict'))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('client_locations.id').onDelete('restrict'))
    .addColumn('contract_id', 'uuid', (c) => c.references('contracts.id').onDelete('restrict'))
    .addColumn('asset_id', 'uuid', (c) => c.references('assets.id').onDelete('set null'))
    .addColumn('requester_contact_id', 'uuid', (c) => c.references('client_contacts.id').onDelete('set null'))
    .addColumn('service_type', 'text', (c) => c.notNull().check(inList('service_type', SERVICE_TYPES)))
    .addColumn('device_details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('location_details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('contact_details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('department', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('business_impact', 'text', (c) => c.notNull())
    .addColumn('impact_level', 'text', (c) => c.notNull().check(inList('impact_level', LEVELS)))
    .addColumn('urgency', 'text', (c) => c.notNull().check(inList('urgency', LEVELS)))
    .addColumn('attempted_solutions', 'text')
    .addColumn('priority', 'text', (c) => c.notNull().check(inList('priority', PRIORITIES)))
    .addColumn('priority_reason', 'text')
    .addColumn('support_level', 'smallint', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`support_level between 1 and 3`),
    )
    .addColumn('specialist_group', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new').check(inList('status', REQUEST_STATUSES)))
    .addColumn('client_status', 'text', (c) => c.notNull().defaultTo('new').check(inList('client_status', CLIENT_STATUSES)))
    .addColumn('sla', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('response_due_at', 'timestamptz')
    .addColumn('resolution_due_at', 'timestamptz')
    .addColumn('estimated_intervention_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('first_response_at', 'timestamptz')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('service_requests_client_idx').on('service_requests').columns(['client_id', 'created_at']).execute();
  await db.schema.createIndex('service_requests_status_idx').on('service_requests').columns(['status', 'priority']).execute();

  await db.schema
    .createTable('request_attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(inList('kind', ['photo', 'diagnostic_bundle', 'report', 'other'])))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('request_attachments_request_idx').on('request_attachments').column('request_id').execute();

  await db.schema
    .createTable('assignments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    .addColumn('technician_id', 'uuid', (c) => c.notNull().references('technicians.id').onDelete('restrict'))
    .addColumn('scheduled_start', 'timestamptz', (c) => c.notNull())
    .addColumn('scheduled_end', 'timestamptz', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull().check(inList('priority', PRIORITIES)))
    .addColumn('notes', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('proposed').check(inList('status', ASSIGNMENT_STATUSES)))
    .addColumn('source', 'text', (c) => c.notNull().check(inList('source', ['optimizer', 'dispatcher'])))
    .addColumn('pinned', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('travel_minutes', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('assignments_schedule_order', sql`scheduled_end > scheduled_start`)
    .execute();
  await db.schema.createIndex('assignments_technician_idx').on('assignments').columns(['technician_id', 'scheduled_start']).execute();
  // At most one live assignment per request; history (cancelled, completed) is kept.
  await sql`create unique index assignments_one_live_per_request on assignments (request_id)
            where status in ('proposed', 'confirmed', 'en_route', 'on_site')`.execute(db);

  // The timeline of a request: every transition and log entry, written idempotently.
  await db.schema
    .createTable('request_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('service_requests.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('actor_type', 'text', (c) =>
      c.notNull().check(inList('actor_type', ['client', 'support', 'dispatcher', 'technician', 'finance', 'system'])),
    )
    .addColumn('actor_id', 'text')
    .addColumn('message', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('request_events_request_idx').on('request_events').columns(['request_id', 'id']).execute();

  // Every outgoing message. With SMTP configured it records what was sent; without it, this
  // table is the outbox the API shows. The idempotency key makes a retried send a no-op.
  await db.schema
    .createTable('outbound_messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('request_id', 'uuid', (c) => c.references('service_requests.id').onDelete('set null'))
    .addColumn('channel', 'text', (c) =>
      c
        .notNull()
        .defaultTo('email')
        .check(inList('channel', ['email'])),
    )
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_addresses', sql`text[]`, (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(inList('status', ['pending', 'sent', 'stored', 'failed'])),
    )
    .addColumn('transport', 'text', (c) => c.notNull().check(inList('transport', ['smtp', 'outbox'])))
    .addColumn('provider_message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('outbound_messages_created_idx').on('outbound_messages').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'outbound_messages',
    'request_events',
    'assignments',
    'request_attachments',
    'service_requests',
    'ticket_counters',
    'technician_absences',
    'technician_shifts',
    'technician_certifications',
    'technician_skills',
    'technicians',
    'assets',
    'contract_sla_targets',
    'contracts',
    'client_locations',
    'client_contacts',
    'clients',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
