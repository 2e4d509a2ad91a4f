/**
 * Attachments behind tenant isolation, on the real app, PostgreSQL and Temporal: the bytes the
 * intake stored come back unchanged, as a download, to those who may see them — and a 404 for
 * another company, finance (photos and diagnostic bundles), and technicians not on the request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('photo-bytes-'),
  Buffer.alloc(40, 7),
]);
const PDF = Buffer.from('%PDF-1.7\nrapport');

type Account = Awaited<ReturnType<typeof createTestAccount>>;

describe('request attachments: list and download under row-level security', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let tenant: TestClient;
  let other: TestClient;
  let ticket: string;
  let otherTicket: string;
  let ids: Record<'photo' | 'diagnostic_bundle' | 'report', string>;
  const as = {} as Record<'client' | 'otherClient' | 'finance' | 'support' | 'technician' | 'otherTechnician', Account>;

  async function get(path: string, account: Account) {
    const response = await fetch(`${platform.url}/api${path}`, { headers: account.headers });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }
  const list = async (t: string, account: Account) => {
    const response = await get(`/requests/${t}/attachments`, account);
    return {
      status: response.status,
      items: response.status === 200 ? (JSON.parse(response.bytes.toString()).items as { id: string; kind: string; href: string }[]) : [],
    };
  };

  beforeAll(async () => {
    platform = await startTestPlatform();
    db = platform.db;
    tenant = await createTestClient(db);
    other = await createTestClient(db);
    as.client = await createTestAccount(db, 'client_user', { clientId: tenant.clientId });
    as.otherClient = await createTestAccount(db, 'client_admin', { clientId: other.clientId });
    as.finance = await createTestAccount(db, 'finance');
    as.support = await createTestAccount(db, 'support_agent');
    as.technician = await createTestAccount(db, 'technician');
    as.otherTechnician = await createTestAccount(db, 'technician');

    const created = await fetch(`${platform.url}/api/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as.client.headers },
      body: JSON.stringify(
        intakeBody(tenant, {
          photos: [{ filename: 'écran cassé.png', contentType: 'image/png', dataBase64: PNG.toString('base64') }],
          diagnostics: { systemInfo: { os: 'Windows 11', userName: 'cmartin' }, errorLog: 'boot failure', level: 'complete' },
        }),
      ),
    });
    expect(created.status).toBe(201);
    ticket = ((await created.json()) as { ticketNumber: string }).ticketNumber;
    const request = await db
      .selectFrom('serviceRequests')
      .select(['id', 'priority'])
      .where('ticketNumber', '=', ticket)
      .executeTakeFirstOrThrow();
    const report = await db
      .insertInto('requestAttachments')
      .values({
        requestId: request.id,
        kind: 'report',
        filename: 'rapport.pdf',
        contentType: 'application/pdf',
        sizeBytes: PDF.length,
        sha256: 'x',
        content: PDF,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('assignments')
      .values({
        requestId: request.id,
        technicianId: as.technician.technicianId!,
        scheduledStart: '2026-12-01T09:00:00Z',
        scheduledEnd: '2026-12-01T10:00:00Z',
        priority: request.priority,
        source: 'dispatcher',
      })
      .execute();
    const stored = await db
      .selectFrom('requestAttachments')
      .select(['id', 'kind', 'uploadedByUserId'])
      .where('requestId', '=', request.id)
      .execute();
    ids = Object.fromEntries(stored.map((a) => [a.kind, a.id])) as typeof ids;
    expect(ids.report).toBe(report.id);
    // The intake records who provided the files (the GDPR export lists them for that person).
    expect(stored.filter((a) => a.kind !== 'report').map((a) => a.uploadedByUserId)).toEqual([as.client.userId, as.client.userId]);

    const second = await fetch(`${platform.url}/api/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as.otherClient.headers },
      body: JSON.stringify(intakeBody(other)),
    });
    otherTicket = ((await second.json()) as { ticketNumber: string }).ticketNumber;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('returns the stored bytes as a download with their content type, to the requesting company', async () => {
    const { items } = await list(ticket, as.client);
    expect(items.map((i) => i.kind).sort()).toEqual(['diagnostic_bundle', 'photo', 'report']);
    const photo = items.find((i) => i.kind === 'photo')!;
    expect(photo.href).toBe(`/api/requests/${ticket}/attachments/${ids.photo}`);
    const download = await get(photo.href.replace('/api', ''), as.client);
    expect(download.status).toBe(200);
    expect(download.bytes.equals(PNG)).toBe(true);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="?cran cass?.png"; filename*=UTF-8''%C3%A9cran%20cass%C3%A9.png`,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    const bundle = await get(`/requests/${ticket}/attachments/${ids.diagnostic_bundle}`, as.client);
    expect(bundle.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(bundle.bytes.toString())).toMatchObject({ level: 'complete' });
    // Each download is an audited read of personal data.
    const audit = await db
      .selectFrom('auditLog')
      .select(['actorUserId', 'personalData'])
      .where('action', '=', 'GET /requests/:ticket/attachments/:attachmentId')
      .where('entityId', '=', ticket)
      .execute();
    expect(audit).toEqual(expect.arrayContaining([{ actorUserId: as.client.userId, personalData: true }]));
  });

  it('answers 404 to another company, for the list and each file', async () => {
    expect((await list(ticket, as.otherClient)).status).toBe(404);
    for (const id of Object.values(ids)) expect((await get(`/requests/${ticket}/attachments/${id}`, as.otherClient)).status).toBe(404);
    // Nor through their own ticket: an attachment is only reachable under its request.
    expect((await get(`/requests/${otherTicket}/attachments/${ids.photo}`, as.otherClient)).status).toBe(404);
    expect((await get(`/requests/${otherTicket}/attachments/${ids.photo}`, as.support)).status).toBe(404);
  });

  it('shows finance the report only, never photos or diagnostic bundles', async () => {
    const { items } = await list(ticket, as.finance);
    expect(items.map((i) => i.kind)).toEqual(['report']);
    expect((await get(`/requests/${ticket}/attachments/${ids.photo}`, as.finance)).status).toBe(404);
    expect((await get(`/requests/${ticket}/attachments/${ids.diagnostic_bundle}`, as.finance)).status).toBe(404);
    const report = await get(`/requests/${ticket}/attachments/${ids.report}`, as.finance);
    expect(report.status).toBe(200);
    expect(report.bytes.equals(PDF)).toBe(true);
  });

  it('shows a technician the files of requests they are assigned to, and nothing of others', async () => {
    expect((await list(ticket, as.technician)).items).toHaveLength(3);
    expect((await get(`/requests/${ticket}/attachments/${ids.photo}`, as.technician)).bytes.equals(PNG)).toBe(true);
    expect((await list(ticket, as.otherTechnician)).status).toBe(404);
    expect((await get(`/requests/${ticket}/attachments/${ids.photo}`, as.otherTechnician)).status).toBe(404);
  });

  it('refuses a malformed attachment id with 400 naming the parameter', async () => {
    const response = await get(`/requests/${ticket}/attachments/not-a-uuid`, as.support);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.bytes.toString()).error.fields[0].field).toBe('params.attachmentId');
  });
});
