/**
 * GET /api/events on the real database: each signed-in user's stream carries only the changes
 * that user may see (its company's requests, its own notifications; staff everything), and a
 * reconnect with Last-Event-ID gets the events it missed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../activities/notifications/mailer.js';
import { startTestPlatform, eventually, type TestPlatform } from '../../scripts/testing/env.js';
import { addPlannableRequest, createTestAccount, createTestClient } from '../../scripts/testing/fixtures.js';

interface Frame {
  id: string | null;
  event: string;
  data: { kind?: string; requestId?: string | null; ticketNumber?: string | null };
}

/** Reads an SSE stream with fetch, frame by frame. */
async function openStream(url: string, headers: Record<string, string>, lastEventId?: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events`, {
    headers: { ...headers, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const frames: Frame[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => line && !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
        );
        if (fields.event) frames.push({ id: fields.id ?? null, event: fields.event, data: JSON.parse(fields.data ?? '{}') });
      }
    }
  })();
  const stream = {
    frames,
    changes: () => frames.filter((f) => f.event === 'change'),
    waitFor: (what: string, test: (f: Frame) => boolean) => eventually(async () => frames.find(test), what, 10_000, 20),
    async close() {
      controller.abort();
      await pump;
    },
  };
  await stream.waitFor('the stream to be ready', (f) => f.event === 'ready' || f.event === 'reset');
  return stream;
}

describe('GET /api/events', () => {
  let platform: TestPlatform;
  let url: string;
  const tenants: { clientId: string; user: Awaited<ReturnType<typeof createTestAccount>> }[] = [];
  let support: Awaited<ReturnType<typeof createTestAccount>>;

  beforeAll(async () => {
    platform = await startTestPlatform({ worker: false });
    url = platform.url;
    for (let i = 0; i < 2; i++) {
      const client = await createTestClient(platform.db);
      tenants.push({ clientId: client.clientId, user: await createTestAccount(platform.db, 'client_user', { clientId: client.clientId }) });
    }
    support = await createTestAccount(platform.db, 'support_agent');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const timeline = (requestId: string, message: string) =>
    platform.db
      .insertInto('requestEvents')
      .values({ requestId, kind: 'note', actorType: 'support', message, idempotencyKey: `live-${randomUUID()}` })
      .execute();

  it('gives each company its own requests only, staff both, and resumes from Last-Event-ID', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const streamA = await openStream(url, a.user.headers);
    const streamB = await openStream(url, b.user.headers);
    const staff = await openStream(url, support.headers);

    const requestA = await addPlannableRequest(platform.db, { clientId: a.clientId, lat: 48.85, lon: 2.35 });
    const requestB = await addPlannableRequest(platform.db, { clientId: b.clientId, lat: 48.86, lon: 2.36 });
    await timeline(requestA.id, 'A1');
    await timeline(requestB.id, 'B1');
    // Markers written after everything else: once a stream has its marker, it has had all it would get before.
    await timeline(requestA.id, 'A-marker');
    await timeline(requestB.id, 'B-marker');
    await streamA.waitFor('A to see its own request', (f) => f.data.requestId === requestA.id && f.data.kind === 'timeline');
    await streamB.waitFor('B to see its own request', (f) => f.data.requestId === requestB.id && f.data.kind === 'timeline');
    await staff.waitFor('support to see A', (f) => f.data.requestId === requestA.id);
    await staff.waitFor('support to see B', (f) => f.data.requestId === requestB.id);
    const seenA = () => streamA.changes().filter((f) => f.data.requestId === requestA.id || f.data.requestId === requestB.id);
    const seenB = () => streamB.changes().filter((f) => f.data.requestId === requestA.id || f.data.requestId === requestB.id);
    await eventually(async () => seenA().length >= 3, 'A to get the creation and 2 timeline events of its request');
    await eventually(async () => seenB().length >= 3, 'B to get the creation and 2 timeline events of its request');
    expect(seenA().every((f) => f.data.requestId === requestA.id)).toBe(true);
    expect(seenB().every((f) => f.data.requestId === requestB.id)).toBe(true);
    expect(seenA().find((f) => f.data.kind === 'request')?.data.ticketNumber).toBe(requestA.ticketNumber);

    // A goes away; meanwhile two changes of its request and one of B's.
    const lastSeen = streamA.frames.filter((f) => f.id).at(-1)!.id!;
    await streamA.close();
    await timeline(requestA.id, 'A-missed-1');
    await timeline(requestB.id, 'B-missed');
    await timeline(requestA.id, 'A-missed-2');
    await streamB.waitFor(
      'B to see its missed change',
      (f) => f.data.requestId === requestB.id && f.id !== null && Number(f.id.split('.')[1]) > Number(lastSeen.split('.')[1]),
    );
    const resumed = await openStream(url, a.user.headers, lastSeen);
    await eventually(async () => resumed.changes().length >= 2, 'A to get the two changes it missed');
    expect(resumed.changes().map((f) => f.data.requestId)).toEqual([requestA.id, requestA.id]);
    expect(resumed.frames.some((f) => f.event === 'reset')).toBe(false);
    await resumed.close();

    // An id this process does not know (another process, or older than the ring): reload.
    const unknown = await openStream(url, a.user.headers, 'someoneelse.12');
    expect(unknown.frames[0]!.event).toBe('reset');
    await unknown.close();
    await streamB.close();
    await staff.close();
  });

  it('gives a technician the requests assigned to them, and tells them when one is withdrawn', async () => {
    const [a] = tenants as [(typeof tenants)[0]];
    const tech = await createTestAccount(platform.db, 'technician');
    const stream = await openStream(url, tech.headers);
    const assigned = await addPlannableRequest(platform.db, { clientId: a.clientId, lat: 48.85, lon: 2.35 });
    const other = await addPlannableRequest(platform.db, { clientId: a.clientId, lat: 48.87, lon: 2.37 });
    const start = new Date(Date.UTC(2031, 5, 2, 8));
    const assignment = await platform.db
      .insertInto('assignments')
      .values({
        requestId: assigned.id,
        technicianId: tech.technicianId!,
        scheduledStart: start,
        scheduledEnd: new Date(start.getTime() + 3_600_000),
        priority: 'P3',
        source: 'dispatcher',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await timeline(other.id, 'not theirs');
    await timeline(assigned.id, 'theirs');
    await stream.waitFor(
      'the technician to see the timeline of its request',
      (f) => f.data.requestId === assigned.id && f.data.kind === 'timeline',
    );
    await platform.db.updateTable('assignments').set({ status: 'cancelled' }).where('id', '=', assignment.id).execute();
    await timeline(assigned.id, 'after withdrawal');
    await timeline(other.id, 'still not theirs');
    // A marker written last, which the technician does get (an assignment naming them): deliveries
    // are in commit order, so by then every earlier change has been delivered or withheld.
    const third = await addPlannableRequest(platform.db, { clientId: a.clientId, lat: 48.88, lon: 2.38 });
    await platform.db
      .insertInto('assignments')
      .values({
        requestId: third.id,
        technicianId: tech.technicianId!,
        scheduledStart: start,
        scheduledEnd: new Date(start.getTime() + 3_600_000),
        priority: 'P3',
        source: 'dispatcher',
      })
      .execute();
    await stream.waitFor('the marker assignment', (f) => f.data.requestId === third.id);
    expect(stream.changes().filter((f) => f.data.kind === 'assignment' && f.data.requestId === assigned.id)).toHaveLength(2);
    expect(stream.changes().some((f) => f.data.requestId === other.id)).toBe(false);
    const timelineEvents = stream.changes().filter((f) => f.data.kind === 'timeline').length;
    expect(timelineEvents).toBe(1);
    await stream.close();
  });

  it('tells staff, not clients, that a day’s plan changed', async () => {
    const [a] = tenants as [(typeof tenants)[0]];
    const client = await openStream(url, a.user.headers);
    const staff = await openStream(url, support.headers);
    const planDate = '2031-07-14';
    await platform.db
      .insertInto('dispatchPlans')
      .values({
        planDate,
        workflowId: `live-test-${randomUUID()}`,
        runId: 'run',
        seed: 1,
        visits: 0,
        technicians: 0,
        assigned: 0,
        feasible: true,
        allP1Placed: true,
        travelMinutes: 0,
        solveMs: 1,
        result: JSON.stringify({}),
      })
      .execute();
    await staff.waitFor(
      'support to hear of the plan',
      (f) => f.data.kind === 'plan' && (f.data as { planDate?: string }).planDate === planDate,
    );
    // A marker the client sees, written after the plan.
    const marker = await addPlannableRequest(platform.db, { clientId: a.clientId, lat: 48.85, lon: 2.35 });
    await client.waitFor('the client’s marker', (f) => f.data.requestId === marker.id);
    expect(client.changes().some((f) => f.data.kind === 'plan')).toBe(false);
    await client.close();
    await staff.close();
  });

  it('creates a notification once with the email, live to its user only, and marks it read', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const streamA = await openStream(url, a.user.headers);
    const streamB = await openStream(url, b.user.headers);
    const request = await addPlannableRequest(platform.db, { clientId: a.clientId, lat: 48.85, lon: 2.35 });
    const mailer = createMailer({ db: platform.db, from: 'Support <support@test.local>' });
    const message = {
      idempotencyKey: `live-test-${randomUUID()}`,
      requestId: request.id,
      to: [a.user.email],
      subject: `Votre demande ${request.ticketNumber} est planifiée`,
      text: 'Un technicien passera demain.',
    };
    await mailer.send(message);
    await mailer.send(message); // a retried activity
    await streamA.waitFor('A to be told of its notification', (f) => f.data.kind === 'notification');
    const list = (await (await fetch(`${url}/api/notifications`, { headers: a.user.headers })).json()) as {
      items: { id: string; title: string; ticketNumber: string | null; readAt: string | null }[];
      unread: number;
    };
    const mine = list.items.filter((n) => n.title === message.subject);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.ticketNumber).toBe(request.ticketNumber);
    expect(list.unread).toBe(1);

    // B cannot see nor mark it.
    const listB = (await (await fetch(`${url}/api/notifications`, { headers: b.user.headers })).json()) as { items: { id: string }[] };
    expect(listB.items.some((n) => n.id === mine[0]!.id)).toBe(false);
    const foreign = await fetch(`${url}/api/notifications/${mine[0]!.id}/read`, { method: 'POST', headers: b.user.headers });
    expect(foreign.status).toBe(404);

    const marked = await fetch(`${url}/api/notifications/${mine[0]!.id}/read`, { method: 'POST', headers: a.user.headers });
    expect(marked.status).toBe(200);
    expect(await marked.json()).toEqual({ marked: 1, unread: 0 });
    const all = await fetch(`${url}/api/notifications/read-all`, { method: 'POST', headers: a.user.headers });
    expect(((await all.json()) as { unread: number }).unread).toBe(0);

    // A marker for B written after the notification: B got nothing of A's by then.
    const requestB = await addPlannableRequest(platform.db, { clientId: b.clientId, lat: 48.86, lon: 2.36 });
    await streamB.waitFor('B to see its marker', (f) => f.data.requestId === requestB.id);
    expect(streamB.changes().some((f) => f.data.kind === 'notification' || f.data.requestId === request.id)).toBe(false);
    await streamA.close();
    await streamB.close();
  });
});
