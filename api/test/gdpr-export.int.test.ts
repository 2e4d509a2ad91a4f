/**
 * The right of access on the real app, PostgreSQL and Temporal: the export names what a person
 * provided (attachments, with a download path that works), the invoices of their interventions,
 * the audit entries about them, the consents, their sessions and tokens (metadata only) — and
 * nothing of another person of the same company.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { issueCredential } from '../../db/repositories/credentials.repository.js';
import { stageIntakeAttachments } from '../../db/repositories/intake-attachments.repository.js';
import { createUser } from '../../db/repositories/users.repository.js';
import { createBillingActivities } from '../../activities/billing/billing.activities.js';
import { sellerProfileFromConfig } from '../../activities/billing/seller-profile.js';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { createMailer } from '../../activities/notifications/mailer.js';
import { loadConfig } from '../../platform/config.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, sessionHeaders, type TestClient } from '../../scripts/testing/fixtures.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(48, 3)]);

describe('GDPR export (right of access)', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let tenant: TestClient;
  let admin: Awaited<ReturnType<typeof createTestAccount>>;
  let person: { userId: string; headers: Record<string, string>; apiToken: string };
  let colleague: Awaited<ReturnType<typeof createTestAccount>>;
  let ticket: string;
  let colleagueTicket: string;
  let invoiceNumber: string;

  async function post(path: string, headers: Record<string, string>, body: unknown, method = 'POST') {
    const response = await fetch(`${platform.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    db = platform.db;
    tenant = await createTestClient(db);
    admin = await createTestAccount(db, 'admin');
    colleague = await createTestAccount(db, 'client_user', { clientId: tenant.clientId });
    // The person is both the company's contact and a client account, with the same email.
    const user = await createUser(db, {
      email: tenant.contactEmail,
      displayName: 'Claire Martin',
      role: 'client_user',
      clientId: tenant.clientId,
    });
    const session = await issueCredential(db, 'session', { userId: user.id, ttlSeconds: 600, ip: '203.0.113.7' });
    const headers = sessionHeaders(session.secret);
    const token = await post('/auth/tokens', headers, { name: 'Intégration ERP' });
    expect(token.status).toBe(201);
    person = { userId: user.id, headers, apiToken: token.body.token };

    const created = await post(
      '/requests',
      headers,
      intakeBody(tenant, {
        photos: [{ filename: 'ecran.png', contentType: 'image/png', dataBase64: PNG.toString('base64') }],
        diagnostics: { systemInfo: { os: 'Windows 11', userName: 'cmartin' }, errorLog: 'boot failure', level: 'complete' },
      }),
    );
    expect(created.status).toBe(201);
    ticket = created.body.ticketNumber;
    expect(
      (
        await post(`/requests/${ticket}/consents`, headers, {
          purpose: 'diagnostic_data',
          granted: true,
          subjectEmail: tenant.contactEmail,
        })
      ).status,
    ).toBe(201);

    // A colleague's request of the same company, with their own contact and photo: not the person's.
    const other = await post(
      '/requests',
      colleague.headers,
      intakeBody(tenant, {
        requesterContactId: undefined,
        contact: { name: 'Paul Durand', email: colleague.email, phone: '+33 6 11 11 11 11', preferredContactMode: 'email' },
        photos: [{ filename: 'autre.png', contentType: 'image/png', dataBase64: PNG.toString('base64') }],
      }),
    );
    expect(other.status).toBe(201);
    colleagueTicket = other.body.ticketNumber;

    // An invoiced intervention the person requested (the fixture's requester is the contact).
    const billing = createBillingActivities({
      db,
      mailer: createMailer({ db, from: 'facturation@msp.test' }),
      seller: sellerProfileFromConfig(loadConfig({})),
      financeEmail: 'compta@msp.test',
    });
    const issued = await billing.issueInvoice(await createClosedIntervention(db, tenant, { visits: [{ minutes: 60 }] }));
    invoiceNumber = (await db.selectFrom('invoices').select('number').where('id', '=', issued.invoiceId).executeTakeFirstOrThrow()).number;

    // An admin action about the person's account.
    expect((await post(`/users/${person.userId}`, admin.headers, { displayName: 'Claire Martin-Durand' }, 'PATCH')).status).toBe(200);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('contains the new sections, about this person only, and no secret', async () => {
    const response = await fetch(`${platform.url}/api/gdpr/export?email=${encodeURIComponent(tenant.contactEmail)}`, {
      headers: admin.headers,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="gdpr-export-/);
    const text = await response.text();
    const body = JSON.parse(text);

    // Attachments they provided: metadata, sha256 and a download path; no bytes.
    expect(body.attachments.map((a: any) => [a.ticketNumber, a.kind, a.providedBy]).sort()).toEqual([
      [ticket, 'diagnostic_bundle', 'account'],
      [ticket, 'photo', 'account'],
    ]);
    const photo = body.attachments.find((a: any) => a.kind === 'photo');
    expect(photo).toMatchObject({
      filename: 'ecran.png',
      contentType: 'image/png',
      sizeBytes: PNG.length,
      href: `/api/requests/${ticket}/attachments/${photo.id}`,
    });
    expect(photo).not.toHaveProperty('content');
    const download = await fetch(`${platform.url}${photo.href}`, { headers: admin.headers });
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    expect(text).not.toContain(colleagueTicket);

    // Invoices of their interventions, kept (with why) and with the buyer snapshot.
    expect(body.invoices.map((i: any) => i.number)).toEqual([invoiceNumber]);
    expect(body.invoices[0].buyer).toMatchObject({ name: expect.any(String), city: 'Paris' });
    expect(body.invoices[0].retention).toContain('L123-22');

    // Audit entries about them: the admin's change to their account, their request's status changes.
    const about = body.auditAboutSubject.map((a: any) => `${a.action} ${a.entityId}`);
    expect(about).toEqual(expect.arrayContaining([`PATCH /users/:userId ${person.userId}`, `status_change ${ticket}`]));
    expect(body.auditAboutSubject.every((a: any) => !('actorUserId' in a) && !('ip' in a))).toBe(true);

    // Consents about them and recorded by them; sessions and tokens as metadata only.
    expect(body.consents.map((c: any) => c.granted)).toEqual([true]);
    expect(body.consentsRecordedByThem).toHaveLength(1);
    expect(body.sessions.map((s: any) => s.ip)).toContain('203.0.113.7');
    expect(body.apiTokens.map((t: any) => t.name)).toEqual(['Intégration ERP']);
    expect(text).not.toContain(person.apiToken);
    expect(text).not.toMatch(/tokenHash|token_hash|passwordHash|password_hash/);
    expect(text).not.toContain(PNG.toString('base64'));
    // Nothing staged for them: every intake of theirs reached its request.
    expect(body.stagedIntakeFiles).toEqual([]);
  });

  it('lists the intake files still staged (the API stopped before the workflow started), theirs only, without their bytes', async () => {
    const year = new Date().getUTCFullYear();
    const staged = {
      ticketNumber: `INT-${year}-GDPR-${person.userId.slice(0, 8)}`,
      clientId: tenant.clientId,
      kind: 'photo' as const,
      contentType: 'image/png',
      sizeBytes: PNG.length,
      sha256: 'b'.repeat(64),
      content: PNG,
    };
    await stageIntakeAttachments(db, [
      { ...staged, filename: 'bloque.png', uploadedByUserId: person.userId },
      { ...staged, ticketNumber: `${staged.ticketNumber}-C`, filename: 'collegue.png', uploadedByUserId: colleague.userId },
    ]);
    try {
      const response = await fetch(`${platform.url}/api/gdpr/export?email=${encodeURIComponent(tenant.contactEmail)}`, {
        headers: admin.headers,
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      const body = JSON.parse(text);
      expect(body.stagedIntakeFiles).toEqual([
        {
          id: expect.any(String),
          ticketNumber: staged.ticketNumber,
          kind: 'photo',
          filename: 'bloque.png',
          contentType: 'image/png',
          sizeBytes: PNG.length,
          sha256: 'b'.repeat(64),
          createdAt: expect.any(String),
          retention: expect.stringContaining('purged by the retention run'),
        },
      ]);
      expect(text).not.toContain('collegue.png');
      expect(text).not.toContain(PNG.toString('base64'));
    } finally {
      await db.deleteFrom('intakeAttachments').where('ticketNumber', 'like', `${staged.ticketNumber}%`).execute();
    }
  });
  it('lists the requests their account submitted under another contact email', async () => {
    const submitted = await post(
      '/requests',
      person.headers,
      intakeBody(tenant, {
        requesterContactId: undefined,
        contact: { name: 'Claire Martin', email: 'claire.perso@example.org', phone: '+33 6 00 00 00 00', preferredContactMode: 'email' },
      }),
    );
    expect(submitted.status).toBe(201);
    const response = await fetch(`${platform.url}/api/gdpr/export?email=${encodeURIComponent(tenant.contactEmail)}`, {
      headers: admin.headers,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.serviceRequests.map((r: any) => r.ticketNumber)).toEqual(expect.arrayContaining([ticket, submitted.body.ticketNumber]));
    expect(body.serviceRequests.map((r: any) => r.ticketNumber)).not.toContain(colleagueTicket);
  });
});
