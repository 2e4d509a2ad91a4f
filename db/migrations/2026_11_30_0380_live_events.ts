import { sql, type Kysely } from 'kysely';

// Live updates (issue 17, "Live, for everyone"):
// - Every write to the read model of a request (service_requests, request_events, assignments,
//   site_visits, outbound_messages) issues pg_notify('live_events', …) with the request id, its
//   client id, the kind of change and, for assignments and visits, the technician. The payload
//   carries ids and kinds only; the API's one LISTEN connection fans it out to the signed-in
//   users who may see that request (api/live/). NOTIFY is transactional: a rolled-back write
//   tells nobody, and identical payloads of one transaction are delivered once.
// - notifications: the per-user notification centre (the bell). Created in the same idempotent
//   step that queues an email (db/repositories/messages.repository.ts), unique per user and
//   source key so a retried activity never duplicates one. A user sees and marks only their own.
// - dispatch_plans: `{kind: 'plan', planDate}` for the planning board (staff only).

const KINDS: Record<string, { kind: string; request: string; technician: string | null }> = {
  service_requests: { kind: 'request', request: 'id', technician: null },
  request_events: { kind: 'timeline', request: 'request_id', technician: null },
  assignments: { kind: 'assignment', request: 'request_id', technician: 'technician_id' },
  site_visits: { kind: 'visit', request: 'request_id', technician: 'technician_id' },
  outbound_messages: { kind: 'message', request: 'request_id', technician: null },
};

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // What created it (the email's idempotency key): a retry finds it and adds nothing.
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('request_id', 'uuid', (c) => c.references('service_requests.id').onDelete('cascade'))
    .addColumn('ticket_number', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .addUniqueConstraint('notifications_user_source_key', ['user_id', 'source_key'])
    .execute();
  await db.schema.createIndex('notifications_user_created_idx').on('notifications').columns(['user_id', 'created_at']).execute();
  await sql`create index notifications_user_unread_idx on notifications (user_id) where read_at is null`.execute(db);
  await sql`alter table notifications enable row level security`.execute(db);
  await sql`drop policy if exists tenant_scope on notifications`.execute(db);
  await sql`create policy own_notifications on notifications for all
            using (user_id = app_user_id()) with check (user_id = app_user_id())`.execute(db);

  // SECURITY DEFINER: reads the request's client whatever the writer's scope (the worker writes
  // as owner, the API as the caller).
  await sql`
    create function live_notify() returns trigger language plpgsql security definer set search_path = public as $$
    declare
      rec record;
      req uuid;
      tech uuid;
      cid uuid;
      tn text;
    begin
      if tg_op = 'DELETE' then rec := old; else rec := new; end if;
      req := (to_jsonb(rec) ->> tg_argv[1])::uuid;
      tech := case when tg_argv[2] = '' then null else (to_jsonb(rec) ->> tg_argv[2])::uuid end;
      if req is null then return null; end if;
      if tg_table_name = 'service_requests' then
        cid := rec.client_id;
        tn := rec.ticket_number;
      else
        select r.client_id, r.ticket_number into cid, tn from service_requests r where r.id = req;
      end if;
      perform pg_notify('live_events', json_build_object(
        'kind', tg_argv[0], 'requestId', req, 'ticketNumber', tn, 'clientId', cid, 'technicianId', tech)::text);
      -- A reassignment also tells the technician who lost the visit.
      if tg_op = 'UPDATE' and tg_argv[2] <> '' and (to_jsonb(old) ->> tg_argv[2])::uuid is distinct from tech then
        perform pg_notify('live_events', json_build_object(
          'kind', tg_argv[0], 'requestId', req, 'ticketNumber', tn, 'clientId', cid, 'technicianId', (to_jsonb(old) ->> tg_argv[2])::uuid)::text);
      end if;
      return null;
    end $$`.execute(db);
  for (const [table, { kind, request, technician }] of Object.entries(KINDS)) {
    await sql
      .raw(
        `create trigger ${table}_live_notify after insert or update or delete on ${table}
         for each row execute function live_notify('${kind}', '${request}', '${technician ?? ''}')`,
      )
      .execute(db);
  }

  await sql`
    create function live_notify_user() returns trigger language plpgsql security definer set search_path = public as $$
    begin
      perform pg_notify('live_events', json_build_object('kind', 'notification', 'userId', new.user_id, 'requestId', new.request_id)::text);
      return null;
    end $$`.execute(db);
  await sql`create trigger notifications_live_notify after insert or update on notifications
            for each row execute function live_notify_user()`.execute(db);

  // A day's plan (a run, an override, a publication): staff only, like the table's policy.
  await sql`
    create function live_notify_plan() returns trigger language plpgsql as $$
    begin
      perform pg_notify('live_events', json_build_object('kind', 'plan', 'planDate', new.plan_date)::text);
      return null;
    end $$`.execute(db);
  await sql`create trigger dispatch_plans_live_notify after insert or update on dispatch_plans
            for each row execute function live_notify_plan()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists dispatch_plans_live_notify on dispatch_plans`.execute(db);
  await sql`drop function if exists live_notify_plan()`.execute(db);
  await sql`drop trigger if exists notifications_live_notify on notifications`.execute(db);
  await sql`drop function if exists live_notify_user()`.execute(db);
  for (const table of Object.keys(KINDS)) {
    await sql.raw(`drop trigger if exists ${table}_live_notify on ${table}`).execute(db);
  }
  await sql`drop function if exists live_notify()`.execute(db);
  await db.schema.dropTable('notifications').ifExists().execute();
}
