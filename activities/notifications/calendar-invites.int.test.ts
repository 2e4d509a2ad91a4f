/**
 * What technicians and clients receive when a plan is published and changed, through the API, on
 * the real PostgreSQL, Temporal and an in-process SMTP server; every invite and the feed are read
 * by Debian's python3-icalendar. Test data: this file's own clients and technicians, its plans on
 * 2027-02-16 (a date no other test uses) and its feed visits in the next days.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { eventually, startTestPlatform, testDb, type TestPlatform } from '../../scripts/testing/env.js';
import { addTechnician, createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';
import { parseICalendar, type ParsedCalendar } from '../../scripts/testing/icalendar-check.js';
import { createPart, startSmtp, type ReceivedMail } from '../../workflows/intervention/test/harness.js';
import { createMailer, type Mailer } from './mailer.js';

const DATE = '2027-02-16';
const ZONE = 'Europe/Paris';
const at = (hhmm: string, date = DATE) => DateTime.fromISO(`${date}T${hhmm}`, { zone: ZONE }).toUTC().toISO()!;

type Headers = Record<string, string>;

describe('calendar invites, plan publication and the technician feed', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;
  let mailDb: Kysely<DB>;
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let support: Headers;
  let dispatcher: Headers;
  let north: TestClient;
  let south: TestClient;
  const clientUsers = new Map<string, Headers>();
  let techA: { id: string; email: string; name: string };
  let techB: { id: string; email: string; name: string };

  async function call(method: string, path: string, as: Headers, body?: unknown) {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...as },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : null;
    return { status: response.status, body: json, text, type: response.headers.get('content-type') };
  }

  /** Filed by the client's user, sent to planning by support: ticket and request id. */
  async function openForPlanning(client: TestClient, title: string) {
    const created = await call('POST', '/requests', clientUsers.get(client.clientId)!, intakeBody(client, { title }));
    expect(created.status, created.text).toBe(201);
    const ticket = created.body.ticketNumber as string;
    const triaged = await call('POST', `/requests/${ticket}/triage`, support, { decision: 'intervene' });
    expect(triaged.status, triaged.text).toBe(200);
    const row = await db.selectFrom('serviceRequests').select('id').where('ticketNumber', '=', ticket).executeTakeFirstOrThrow();
    return { ticket, requestId: row.id };
  }

  /** The messages stored for these requests (the outbox, whatever the transport). */
  const messagesOf = (requestIds: string[]) =>
    db
      .selectFrom('outboundMessages')
      .select(['id', 'requestId', 'toAddresses', 'subject', 'textBody', 'icalMethod', 'icalContent', 'idempotencyKey', 'status'])
      .where('requestId', 'in', requestIds)
      .orderBy('createdAt')
      .execute();

  const received = (to: string) => smtp.received.filter((m: ReceivedMail) => m.to.includes(to) && m.raw.includes('text/calendar'));

  interface Stop {
    requestId: string;
    ticketNumber: string;
    siteName: string;
    lat: number;
    lon: number;
    start: string;
    end: string;
  }

  /** A proposed plan of DATE holding only this file's visits, stored as the optimizer would. */
  async function storePlan(routes: Array<{ technician: { id: string; name: string }; stops: Stop[] }>) {
    const result = {
      date: DATE,
      timezone: ZONE,
      routes: routes.map((r) => ({
        technicianId: r.technician.id,
        technicianName: r.technician.name,
        home: { lat: 48.8674, lon: 2.3631 },
        departure: at('08:15'),
        returnTime: at('17:00'),
        stops: r.stops.map((s) => ({ ...s, arrival: s.start, title: 'x', priority: 'P3', companyName: 'x', pinned: false, locked: false })),
      })),
      unassigned: [],
    };
    const row = await db
      .insertInto('dispatchPlans')
      .values({
        planDate: DATE,
        workflowId: `test-invites-${randomUUID()}`,
        runId: randomUUID(),
        seed: 1,
        visits: routes.reduce((n, r) => n + r.stops.length, 0),
        technicians: routes.length,
        assigned: routes.reduce((n, r) => n + r.stops.length, 0),
        feasible: true,
        allP1Placed: true,
        travelMinutes: 0,
        solveMs: 0,
        result: JSON.stringify(result),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const publish = async (planId: string) => {
    const r = await call('POST', `/dispatch/plans/${planId}/publish`, dispatcher);
    expect(r.status, r.text).toBe(200);
    return r.body as { assigned: string[]; unchanged: string[]; refused: unknown[] };
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    mailDb = testDb(2);
    mailer = createMailer({ db: mailDb, from: 'Support <support@test.local>', smtpUrl: smtp.url });
    platform = await startTestPlatform({ mailer, app: { log: () => {} } });
    ({ db, url } = platform);
    support = (await createTestAccount(db, 'support_agent')).headers;
    dispatcher = (await createTestAccount(db, 'dispatcher')).headers;
    north = await createTestClient(db);
    south = await createTestClient(db);
    // The south site is 5 km away: the leg between the two visits is a real drive.
    await db.updateTable('clientLocations').set({ latitude: 48.8156, longitude: 2.3585 }).where('id', '=', south.locationId).execute();
    for (const c of [north, south])
      clientUsers.set(c.clientId, (await createTestAccount(db, 'client_user', { clientId: c.clientId })).headers);
    techA = await addTechnician(db, { firstName: 'Agathe' });
    techB = await addTechnician(db, { firstName: 'Bruno' });
  });

  afterAll(async () => {
    await platform?.stop();
    await mailer?.close();
    await mailDb?.destroy();
    await smtp?.stop();
  });

  it('publishes, republishes unchanged (nothing sent) and reassigns (one CANCEL, one REQUEST, the client told)', async () => {
    const one = await openForPlanning(north, 'Imprimante réseau hors ligne');
    const two = await openForPlanning(south, 'Poste bloqué au démarrage');
    const ids = [one.requestId, two.requestId];
    const site = async (c: TestClient) =>
      db.selectFrom('clientLocations').select(['name', 'latitude', 'longitude']).where('id', '=', c.locationId).executeTakeFirstOrThrow();
    const [n, s] = [await site(north), await site(south)];
    const stopOne: Stop = {
      ...one,
      ticketNumber: one.ticket,
      siteName: n.name,
      lat: n.latitude!,
      lon: n.longitude!,
      start: at('09:00'),
      end: at('10:00'),
    };
    const stopTwo: Stop = {
      ...two,
      ticketNumber: two.ticket,
      siteName: s.name,
      lat: s.latitude!,
      lon: s.longitude!,
      start: at('11:00'),
      end: at('12:00'),
    };
    const before = (await messagesOf(ids)).length;

    // 1. First publication: one REQUEST per visit to the technician, SEQUENCE 0, Paris times.
    const first = await publish(await storePlan([{ technician: techA, stops: [stopOne, stopTwo] }]));
    expect(first.assigned.sort()).toEqual([one.ticket, two.ticket].sort());
    const invitesA = await eventually(async () => (received(techA.email).length >= 2 ? received(techA.email) : undefined), 'two invites');
    const parsedA = parseICalendar(invitesA.map((m) => ({ raw: m.raw })));
    expect(parsedA.map((c) => c.method)).toEqual(['REQUEST', 'REQUEST']);
    const byUid = new Map(parsedA.map((c) => [c.events[0]!.uid, c]));
    const eventOne = byUid.get(`${one.requestId}@intervention-platform`)!.events[0]!;
    const eventTwo = byUid.get(`${two.requestId}@intervention-platform`)!.events[0]!;
    for (const c of parsedA) {
      expect(c.timezones).toEqual([ZONE]);
      expect(c.events).toHaveLength(1);
      expect(c.events[0]!.tzid).toBe(ZONE);
      expect(c.events[0]!.endTzid).toBe(ZONE);
      expect(c.events[0]!.sequence).toBe(0);
      expect(c.events[0]!.organizer).toMatch(/^mailto:/i);
      expect(c.events[0]!.attendees.join()).toContain(techA.email);
      // DTSTAMP is UTC (python-icalendar gives it an offset only when it carried a Z).
      expect(c.events[0]!.stamp).toMatch(/\+00:00$/);
    }
    expect(eventOne.start).toBe(`${DATE}T09:00:00+01:00`);
    expect(eventTwo.start).toBe(`${DATE}T11:00:00+01:00`);
    // The second visit's leg: from the first one, its departure, distance and duration; the day's waypoints.
    expect(eventTwo.description).toContain(`de ${one.ticket}`);
    expect(eventTwo.description).toMatch(/Trajet : départ mar\. 16\/02 1[01]:\d\d de .+, \d+(,\d)? km, \d+ min/);
    expect(eventTwo.description).toContain('Problème : ');
    expect(eventTwo.description).toContain('https://www.google.com/maps/dir/?api=1');
    const mapUrl = new URL(/https:\/\/www\.google\.com\/maps\/dir\/\S+/.exec(eventTwo.description!)![0]);
    expect(mapUrl.searchParams.get('waypoints')).toBe(`${stopOne.lat},${stopOne.lon}|${stopTwo.lat},${stopTwo.lon}`);
    expect(mapUrl.searchParams.get('origin')).toBe('48.8674,2.3631');
    expect(eventOne.description).toContain('du domicile');

    // The outbox keeps each invite byte for byte as sent, and serves it.
    const stored = (await messagesOf(ids)).filter((m) => m.icalMethod);
    expect(stored).toHaveLength(2);
    for (const m of stored) {
      const sent = parsedA.find((c) => c.events[0]!.uid === parseICalendar([{ ics: m.icalContent! }])[0]!.events[0]!.uid)!;
      expect(m.icalContent!.replace(/\r\n/g, '\n')).toBe(sent.ics.replace(/\r\n/g, '\n'));
      const download = await call('GET', `/outbox/${m.id}/invite.ics`, support);
      expect(download.status).toBe(200);
      expect(download.type).toContain('text/calendar');
      expect(download.text).toBe(m.icalContent);
    }
    const outbox = await call('GET', '/outbox', support);
    expect(outbox.body.items.filter((i: { id: string }) => stored.some((m) => m.id === i.id)).map((i: any) => i.icalMethod)).toEqual([
      'REQUEST',
      'REQUEST',
    ]);
    const afterFirst = (await messagesOf(ids)).length;
    expect(afterFirst - before).toBeGreaterThanOrEqual(4); // two client emails, two invites

    // 2. A new version with the same visits, technicians and slots: nothing is sent to anyone.
    const smtpBefore = smtp.received.length;
    const second = await publish(await storePlan([{ technician: techA, stops: [stopOne, stopTwo] }]));
    expect(second.assigned).toEqual([]);
    expect(second.unchanged.sort()).toEqual([one.ticket, two.ticket].sort());
    expect((await messagesOf(ids)).length).toBe(afterFirst);
    expect(smtp.received.slice(smtpBefore).filter((m) => [techA.email, techB.email].some((e) => m.to.includes(e)))).toEqual([]);

    // 3. The first visit moves to the other technician in the afternoon; the second stays.
    const moved: Stop = { ...stopOne, start: at('14:00'), end: at('15:00') };
    const third = await publish(
      await storePlan([
        { technician: techA, stops: [stopTwo] },
        { technician: techB, stops: [moved] },
      ]),
    );
    expect(third.assigned).toEqual([one.ticket]);
    expect(third.unchanged).toEqual([two.ticket]);
    const fresh = (await messagesOf(ids)).slice(afterFirst);
    expect(fresh.every((m) => m.requestId === one.requestId)).toBe(true);
    const invites = fresh.filter((m) => m.icalMethod);
    expect(invites.map((m) => [m.icalMethod, m.toAddresses])).toEqual([
      ['CANCEL', [techA.email]],
      ['REQUEST', [techB.email]],
    ]);
    // The client is told the new slot.
    const clientMail = fresh.filter((m) => !m.icalMethod && m.toAddresses.includes(north.contactEmail));
    expect(clientMail.length).toBeGreaterThanOrEqual(1);
    expect(clientMail.some((m) => m.textBody.includes('14:00') || m.textBody.includes('14h'))).toBe(true);

    const cancel = await eventually(
      async () => received(techA.email).find((m) => m.raw.includes('METHOD:CANCEL') || m.raw.includes('method=CANCEL')),
      'CANCEL',
    );
    const request = await eventually(async () => received(techB.email)[0], 'REQUEST to the new technician');
    const [c, r] = parseICalendar([{ raw: cancel.raw }, { raw: request.raw }]) as [ParsedCalendar, ParsedCalendar];
    expect(c.method).toBe('CANCEL');
    expect(c.events[0]!.uid).toBe(eventOne.uid);
    expect(c.events[0]!.status).toBe('CANCELLED');
    expect(c.events[0]!.sequence).toBeGreaterThan(eventOne.sequence);
    expect(r.method).toBe('REQUEST');
    expect(r.events[0]!.uid).toBe(eventOne.uid);
    expect(r.events[0]!.sequence).toBeGreaterThan(c.events[0]!.sequence);
    expect(r.events[0]!.start).toBe(`${DATE}T14:00:00+01:00`);
    expect(r.events[0]!.tzid).toBe(ZONE);
    // Exactly those two invites went out for this visit in this step.
    const uidsOfA = parseICalendar(received(techA.email).map((m) => ({ raw: m.raw }))).map((p) => [p.method, p.events[0]!.uid]);
    expect(uidsOfA.filter(([, uid]) => uid === eventOne.uid)).toEqual([
      ['REQUEST', eventOne.uid],
      ['CANCEL', eventOne.uid],
    ]);
    expect(received(techB.email)).toHaveLength(1);
    // The stored SEQUENCE is the last one sent.
    const seq = await db.selectFrom('visitInvites').select('sequence').where('requestId', '=', one.requestId).executeTakeFirstOrThrow();
    expect(seq.sequence).toBe(r.events[0]!.sequence);
  });

  it('retries a failed SMTP send with the invite bytes it stored first', async () => {
    const dead = createMailer({ db, from: 'Support <support@test.local>', smtpUrl: 'smtp://127.0.0.1:9' });
    const key = `calendar-retry-${randomUUID()}`;
    const firstBytes = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//retry//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:${key}@test\r\nSEQUENCE:4\r\nDTSTAMP:20270216T080000Z\r\nDTSTART:20270216T090000Z\r\nDTEND:20270216T100000Z\r\nSUMMARY:first\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    const message = { idempotencyKey: key, to: [techB.email], subject: 'retry', text: 'retry' };
    await expect(dead.send({ ...message, icalEvent: { method: 'REQUEST', content: firstBytes } })).rejects.toThrow();
    await dead.close();
    // The retry renders again (a new DTSTAMP, say): the stored bytes go out, not these.
    await mailer.send({ ...message, icalEvent: { method: 'REQUEST', content: firstBytes.replace('SUMMARY:first', 'SUMMARY:second') } });
    const sent = await eventually(async () => smtp.received.find((m) => m.raw.includes(`${key}@test`) || m.raw.includes('retry')), 'retry');
    const [parsed] = parseICalendar([{ raw: sent.raw }]);
    expect(parsed!.events[0]!.summary).toBe('first');
    expect(parsed!.ics).toBe(firstBytes);
  });

  it('serves a technician their next days as a feed, until the URL is revoked', async () => {
    const tech = await addTechnician(db, { firstName: 'Chloé' });
    const other = await addTechnician(db, { firstName: 'Denis' });
    const own = (await createTestAccount(db, 'technician', { technicianId: tech.id })).headers;
    const stranger = (await createTestAccount(db, 'technician', { technicianId: other.id })).headers;
    const visit = await openForPlanning(north, 'Wi-Fi de la salle de réunion');
    const day = DateTime.now().setZone(ZONE).plus({ days: 2 }).toISODate()!;
    const sku = await createPart(db);
    const assigned = await call('POST', `/requests/${visit.ticket}/assign`, dispatcher, {
      technicianId: tech.id,
      start: at('10:00', day),
      end: at('11:30', day),
      parts: [{ sku, quantity: 2 }],
      tools: ['Testeur de câble', 'Échelle 2 m'],
      preparation: 'Badge à retirer à l’accueil',
    });
    expect(assigned.status, assigned.text).toBe(200);

    // Another technician's feeds are not even visible (the route guard of technicianId).
    expect((await call('POST', `/technicians/${tech.id}/calendar-feeds`, stranger)).status).toBe(404);
    const created = await call('POST', `/technicians/${tech.id}/calendar-feeds`, own);
    expect(created.status, created.text).toBe(201);
    const feedUrl = created.body.url as string;
    expect(feedUrl).toMatch(/\/api\/calendar\/fscal_[\w-]{40,}\.ics$/);
    expect(created.body.webcalUrl).toBe(feedUrl.replace(/^http:\/\//, 'webcal://'));
    // Only the hash is stored.
    const secret = /calendar\/(.+)\.ics$/.exec(feedUrl)![1]!;
    const rows = await db.selectFrom('calendarFeedTokens').select('tokenHash').where('technicianId', '=', tech.id).execute();
    expect(rows.map((r) => r.tokenHash)).not.toContain(secret);

    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('text/calendar');
    const [parsed] = parseICalendar([{ ics: await feed.text() }]);
    expect(parsed!.name).toBe(`Interventions – ${tech.name}`);
    expect(parsed!.timezones).toEqual([ZONE]);
    expect(parsed!.method).toBeNull();
    expect(parsed!.events).toHaveLength(1);
    const event = parsed!.events[0]!;
    expect(event.uid).toBe(`${visit.requestId}@intervention-platform`);
    expect(event.tzid).toBe(ZONE);
    expect(DateTime.fromISO(event.start).toMillis()).toBe(DateTime.fromISO(at('10:00', day)).toMillis());
    // The same SEQUENCE as the invite the technician received.
    const invite = await eventually(
      async () => smtp.received.find((m) => m.to.includes(tech.email) && m.raw.includes('text/calendar')),
      'invite',
    );
    const sent = parseICalendar([{ raw: invite.raw }])[0]!.events[0]!;
    expect(event.sequence).toBe(sent.sequence);
    // The preparation: parts with quantities, tools, access, on-site contact.
    expect(sent.description).toContain(`À apporter : 2 × Alimentation 260 W (${sku})`);
    expect(sent.description).toContain('Outillage : Testeur de câble, Échelle 2 m');
    expect(sent.description).toContain('Préparation : Badge à retirer à l’accueil');
    expect(sent.description).toContain('Contact sur place : Paul Durand +33 1 40 00 00 01');

    const listed = await call('GET', `/technicians/${tech.id}/calendar-feeds`, dispatcher);
    expect(listed.body.items).toHaveLength(1);
    const revoked = await call('DELETE', `/technicians/${tech.id}/calendar-feeds/${created.body.id}`, dispatcher);
    expect(revoked.status).toBe(204);
    expect((await fetch(feedUrl)).status).toBe(404);
    expect((await fetch(`${url}/api/calendar/fscal_${'x'.repeat(43)}.ics`)).status).toBe(404);
  });
});
