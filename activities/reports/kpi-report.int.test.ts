/**
 * Scheduled KPI reports, the way production runs them: the Temporal Schedule (triggered now)
 * starts the reports workflow on a real worker, which refreshes the facts, produces the report of
 * the test's own company for the week just ended (PDF with charts, CSV), stores it once and emails
 * it through the outbox to a real SMTP server. Starting the same period again produces no second
 * report and no second email. The subscriptions are made, and the reports read, through the API,
 * where another company's admin sees none of it.
 */
import { execFileSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertHistoricalRequests, type HistoricalRequest } from '../../db/repositories/history.repository.js';
import { ensureKpiReportSchedules } from '../../scripts/kpi-report-schedule.js';
import { eventually, startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, type TestClient } from '../../scripts/testing/fixtures.js';
import { startSmtp, type ReceivedMail } from '../../workflows/intervention/test/harness.js';
import {
  KPI_REPORT_WORKFLOW_TYPE,
  kpiReportWorkflowId,
  type KpiReportResult,
  type KpiReportsResult,
  type ReportScope,
} from '../../workflows/reports/kpi-report.contract.js';
import { parisMidnight, periodJustEnded } from '../../workflows/reports/report-period.contract.js';
import { enterScope } from '../../api/auth/access.js';
import { createMailer } from '../notifications/mailer.js';
import { lastDayOf } from './kpi-report-document.js';
import { createKpiReportActivities } from './kpi-report.activities.js';

interface Part {
  headers: string;
  body: Buffer;
}

/** The attachments of a raw MIME message (base64 or quoted-printable parts with a filename). */
function attachmentsOf(raw: string): Map<string, Part> {
  const found = new Map<string, Part>();
  for (const chunk of raw.split(/\r?\n--[^\r\n]+\r?\n/)) {
    const split = chunk.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = chunk.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
    const filename = /filename="?([^";\r\n]+)"?/i.exec(headers)?.[1];
    if (!filename || !/content-disposition:\s*attachment/i.test(headers)) continue;
    const text = chunk
      .slice(split)
      .trim()
      .replace(/\r?\n--[^\r\n]*--\s*$/, '');
    const body = /content-transfer-encoding:\s*base64/i.test(headers)
      ? Buffer.from(text.replace(/\s+/g, ''), 'base64')
      : Buffer.from(
          text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        );
    found.set(filename, { headers, body });
  }
  return found;
}

const HISTORY_DIR = new URL('../../workflows/reports/test/histories/', import.meta.url);

/** Writes a finished workflow's history as a replay fixture (RECORD_HISTORIES=1). */
async function record(platform: TestPlatform, workflowId: string, scenario: string) {
  if (!process.env.RECORD_HISTORIES) return;
  mkdirSync(HISTORY_DIR, { recursive: true });
  const history = await platform.client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(new URL(`${scenario}.json`, HISTORY_DIR), JSON.stringify(history));
}

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-report-'));
  const file = join(dir, 'report.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** A resolved request of the test's company, created `hoursAfter` the period's start. */
function request(client: TestClient, start: Date, hoursAfter: number, serviceType: HistoricalRequest['serviceType']): HistoricalRequest {
  const createdAt = new Date(start.getTime() + hoursAfter * 3_600_000);
  const resolvedAt = new Date(createdAt.getTime() + 2 * 3_600_000);
  return {
    ticketNumber: `INT-${createdAt.getUTCFullYear()}-${String(randomInt(1e9)).padStart(9, '0')}`,
    clientId: client.clientId,
    locationId: client.locationId,
    contractId: client.contractId,
    assetId: null,
    serviceType,
    priority: 'P3',
    title: 'Poste bloqué',
    createdAt,
    firstResponseAt: new Date(createdAt.getTime() + 1_800_000),
    resolvedAt,
    closedAt: resolvedAt,
    cancelledAt: null,
    responseDueAt: null,
    resolutionDueAt: null,
    transitions: [
      { at: createdAt, from: 'new', to: 'analysis' },
      { at: resolvedAt, from: 'analysis', to: 'closed' },
    ],
    visits: [],
    survey: null,
  };
}

describe('scheduled KPI reports (Schedule → workflow → PDF, CSV, email once)', () => {
  let platform: TestPlatform;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let company: TestClient;
  let admin: Awaited<ReturnType<typeof createTestAccount>>;
  let colleague: Awaited<ReturnType<typeof createTestAccount>>;
  let other: { client: TestClient; admin: Awaited<ReturnType<typeof createTestAccount>> };
  const scheduleIds = { weekly: `kpi-report-weekly-test-${randomUUID()}`, monthly: `kpi-report-monthly-test-${randomUUID()}` };

  const api = async (headers: Record<string, string>, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${platform.url}/api${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const type = response.headers.get('content-type') ?? '';
    const answer: any = type.includes('json') ? await response.json() : Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      type,
      body: answer,
    };
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    platform = await startTestPlatform({
      // The report activities send through the real SMTP server (the outbox claims each message first).
      activities: (db) =>
        createKpiReportActivities({ db, mailer: createMailer({ db, from: 'Rapports <rapports@msp.test>', smtpUrl: smtp.url }) }),
    });
    company = await createTestClient(platform.db);
    admin = await createTestAccount(platform.db, 'client_admin', { clientId: company.clientId });
    colleague = await createTestAccount(platform.db, 'client_user', { clientId: company.clientId });
    const otherClient = await createTestClient(platform.db);
    other = { client: otherClient, admin: await createTestAccount(platform.db, 'client_admin', { clientId: otherClient.clientId }) };
  });
  afterAll(async () => {
    for (const id of Object.values(scheduleIds))
      await platform?.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => {});
    await platform?.stop();
    await smtp?.stop();
  });

  const mailTo = (email: string): ReceivedMail[] => smtp.received.filter((m) => m.to.includes(email));

  it('is subscribed to by the company admin, produced by the schedule, and emailed once with its PDF and CSV', async () => {
    const db = platform.db;
    // Subscribers chosen in the app: the admin (weekly and monthly) and a colleague (weekly).
    expect((await api(admin.headers, 'PUT', `/kpi-reports/subscriptions/${admin.userId}`, { weekly: true, monthly: true })).status).toBe(
      200,
    );
    const subscribed = await api(admin.headers, 'PUT', `/kpi-reports/subscriptions/${colleague.userId}`, { weekly: true, monthly: false });
    expect(subscribed.status).toBe(200);
    expect(subscribed.body.scope).toBe('client');
    expect(subscribed.body.items.map((s: { email: string }) => s.email).sort()).toEqual([admin.email, colleague.email].sort());
    // Another company's account cannot be subscribed, nor be seen.
    expect(
      (await api(admin.headers, 'PUT', `/kpi-reports/subscriptions/${other.admin.userId}`, { weekly: true, monthly: true })).status,
    ).toBe(404);
    expect((await api(other.admin.headers, 'GET', '/kpi-reports/subscriptions')).body.items).toEqual([]);
    expect((await api(other.admin.headers, 'DELETE', `/kpi-reports/subscriptions/${colleague.userId}`)).status).toBe(404);

    // The week that ended: three requests of the company (two on its Monday, one on its Wednesday).
    const period = periodJustEnded('weekly', new Date());
    const monday = parisMidnight(period.start);
    await insertHistoricalRequests(db, [
      request(company, monday, 9, 'security'),
      request(company, monday, 14, 'security'),
      request(company, monday, 48 + 10, 'hardware_repair'),
    ]);

    const schedules = await ensureKpiReportSchedules(platform.client, {
      taskQueue: platform.taskQueue,
      scheduleIds,
      only: [{ kind: 'client', clientId: company.clientId }],
    });
    await schedules.weekly.trigger();
    const scope: ReportScope = { kind: 'client', clientId: company.clientId };
    const reportWorkflowId = kpiReportWorkflowId(scope, period);
    const first = await eventually(
      async () => (await schedules.weekly.describe()).info.recentActions[0]?.action.workflow.workflowId,
      'the first scheduled run',
    );
    const firstRun = (await platform.client.workflow.getHandle(first).result()) as KpiReportsResult;
    expect(firstRun.period).toEqual(period);
    expect(firstRun.started).toEqual([reportWorkflowId]);
    const produced = (await platform.client.workflow.getHandle(reportWorkflowId).result()) as KpiReportResult;
    expect(produced).toMatchObject({ created: true, emailed: 2, duplicates: 0 });

    // Stored once, with its figures.
    const stored = await db.selectFrom('kpiReports').selectAll().where('clientId', '=', company.clientId).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: produced.reportId, periodKind: 'weekly', periodStart: period.start, periodEnd: period.end });

    // One email to each subscriber, with the PDF and the CSV.
    const toAdmin = await eventually(async () => mailTo(admin.email).length === 1 && mailTo(admin.email), 'the email to the company admin');
    expect(mailTo(colleague.email)).toHaveLength(1);
    const files = attachmentsOf(toAdmin[0]!.raw);
    const pdfName = [...files.keys()].find((n) => n.endsWith('.pdf'));
    const csvName = [...files.keys()].find((n) => n.endsWith('.csv'));
    expect(pdfName).toMatch(new RegExp(`hebdo-${period.start}\\.pdf$`));
    const pdf = files.get(pdfName!)!.body;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    const companyName = (await db.selectFrom('clients').select('companyName').where('id', '=', company.clientId).executeTakeFirstOrThrow())
      .companyName;
    expect(text).toContain('Rapport hebdomadaire');
    expect(text).toContain(companyName);
    expect(text).toMatch(/Demandes créées\s+3\b/);
    expect(text).toContain('Demandes créées par jour');
    expect(text).toContain('Tendance sur 8 semaines');
    const csv = files
      .get(csvName!)!
      .body.toString('utf8')
      .replace(/^\ufeff/, '');
    const rows = csv
      .trim()
      .split(/\r?\n/)
      .map((line) => line.split(';'));
    expect(rows).toContainEqual(['volume', 'created', 'Demandes créées', '', '3']);
    expect(rows).toContainEqual(['volume', 'closed', 'Demandes clôturées', '', '3']);
    expect(rows).toContainEqual(['daily', 'created', 'Demandes créées par jour', period.start, '2']);
    expect(rows).toContainEqual(['service_type', 'created', 'Sécurité', 'security', '2']);
    expect(rows).toContainEqual(['service_type', 'created', 'Réparation matériel', 'hardware_repair', '1']);
    // The CSV sent is the CSV stored.
    expect(csv).toBe(stored[0]!.csv.replace(/^\ufeff/, ''));

    // The same period again, through the schedule: the report's workflow id is refused, nothing is redone.
    await schedules.weekly.trigger();
    const second = await eventually(async () => {
      const actions = (await schedules.weekly.describe()).info.recentActions;
      return actions.length >= 2 && actions.at(-1)!.action.workflow.workflowId;
    }, 'the second scheduled run');
    const secondRun = (await platform.client.workflow.getHandle(second).result()) as KpiReportsResult;
    expect(secondRun).toMatchObject({ started: [], alreadyStarted: [reportWorkflowId] });
    await record(platform, first, 'schedules-the-weekly-reports-of-the-period');
    await record(platform, reportWorkflowId, 'produces-and-emails-one-report');
    await record(platform, second, 'finds-the-report-of-the-period-already-started');
    // Forced to run again (as a retry after a lost worker would): the stored report and the claimed emails are found.
    const rerun = await platform.client.workflow.execute(KPI_REPORT_WORKFLOW_TYPE, {
      workflowId: reportWorkflowId,
      taskQueue: platform.taskQueue,
      args: [{ scope, period }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    expect(rerun).toEqual({ reportId: produced.reportId, created: false, emailed: 0, duplicates: 2 });
    expect(await db.selectFrom('kpiReports').select('id').where('clientId', '=', company.clientId).execute()).toHaveLength(1);
    expect(mailTo(admin.email)).toHaveLength(1);
    expect(mailTo(colleague.email)).toHaveLength(1);

    // Listed and downloadable by the company admin; invisible to another company's admin.
    const list = await api(admin.headers, 'GET', '/kpi-reports');
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([produced.reportId]);
    const listed = list.body.items[0];
    expect(listed).toMatchObject({ periodKind: 'weekly', periodStart: period.start, periodLastDay: lastDayOf(period), companyName });
    const downloaded = await api(admin.headers, 'GET', listed.links.pdf.replace(/^\/api/, ''));
    expect(downloaded.status).toBe(200);
    expect(downloaded.type).toBe('application/pdf');
    expect(Buffer.compare(downloaded.body, pdf)).toBe(0);
    const csvDownload = await api(admin.headers, 'GET', `/kpi-reports/${produced.reportId}/csv`);
    expect(csvDownload.type).toMatch(/^text\/csv/);
    expect(csvDownload.body.toString('utf8').replace(/^\ufeff/, '')).toBe(csv);
    expect((await api(other.admin.headers, 'GET', '/kpi-reports')).body.items.map((r: { id: string }) => r.id)).not.toContain(
      produced.reportId,
    );
    expect((await api(other.admin.headers, 'GET', `/kpi-reports/${produced.reportId}/pdf`)).status).toBe(404);
    expect((await api(other.admin.headers, 'GET', `/kpi-reports/${produced.reportId}/csv`)).status).toBe(404);

    // The monthly report of the same company goes to its monthly subscriber only (the admin).
    await schedules.monthly.trigger();
    const monthlyRunId = await eventually(
      async () => (await schedules.monthly.describe()).info.recentActions[0]?.action.workflow.workflowId,
      'the monthly scheduled run',
    );
    const monthlyRun = (await platform.client.workflow.getHandle(monthlyRunId).result()) as KpiReportsResult;
    expect(monthlyRun.period).toEqual(periodJustEnded('monthly', new Date()));
    const monthly = (await platform.client.workflow.getHandle(monthlyRun.started[0]!).result()) as KpiReportResult;
    expect(monthly).toMatchObject({ created: true, emailed: 1, duplicates: 0 });
    expect(mailTo(admin.email)).toHaveLength(2);
    expect(mailTo(colleague.email)).toHaveLength(1);
    expect(attachmentsOf(mailTo(admin.email)[1]!.raw).size).toBe(2);

    // Unsubscribing is idempotent.
    expect((await api(admin.headers, 'DELETE', `/kpi-reports/subscriptions/${colleague.userId}`)).body.items).toHaveLength(1);
    expect((await api(admin.headers, 'DELETE', `/kpi-reports/subscriptions/${colleague.userId}`)).status).toBe(200);
  });

  it('stores one report when two productions of the same period race (a retry overlapping a restarted worker)', async () => {
    const reports = createKpiReportActivities({ db: platform.db, mailer: createMailer({ db: platform.db, from: 'rapports@msp.test' }) });
    const scope: ReportScope = { kind: 'client', clientId: company.clientId };
    const period = periodJustEnded('monthly', new Date('2025-07-01T04:30:00Z'));
    const workflowId = kpiReportWorkflowId(scope, period);
    const results = await Promise.all([1, 2, 3].map(() => reports.produceKpiReport({ scope, period, workflowId })));
    expect(new Set(results.map((r) => r.reportId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await platform.db
      .selectFrom('kpiReports')
      .select(['id', 'periodEnd'])
      .where('clientId', '=', company.clientId)
      .where('periodKind', '=', 'monthly')
      .where('periodStart', '=', '2025-06-01')
      .execute();
    expect(rows).toEqual([{ id: results[0]!.reportId, periodEnd: '2025-07-01' }]);
  });

  it('shows a client admin its own company’s reports and subscriptions only, never the management ones (row-level security)', async () => {
    const staff = await createTestAccount(platform.db, 'support_agent');
    const rolledBack = new Error('rolled back');
    const seen = await platform.db
      .transaction()
      .execute(async (trx) => {
        // A management report and subscription that exist only inside this transaction.
        const management = await trx
          .insertInto('kpiReports')
          .values({
            clientId: null,
            periodKind: 'weekly',
            periodStart: '2019-01-07',
            periodEnd: '2019-01-14',
            language: 'fr',
            figures: '{}',
            pdf: Buffer.from('%PDF-1.7'),
            csv: '',
            workflowId: `rls-${randomUUID()}`,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('reportSubscriptions')
          .values({ clientId: null, userId: staff.userId, weekly: true, monthly: false })
          .execute();
        await trx
          .insertInto('reportSubscriptions')
          .values({ clientId: company.clientId, userId: colleague.userId, weekly: true, monthly: true })
          .onConflict((oc) => oc.columns(['scope', 'userId']).doNothing())
          .execute();
        await enterScope(trx, { userId: admin.userId, role: 'client_admin', clientId: company.clientId, technicianId: null });
        const reports = await trx.selectFrom('kpiReports').select(['id', 'clientId']).execute();
        const subscriptions = await trx.selectFrom('reportSubscriptions').select(['clientId']).execute();
        const sneaked = await trx
          .insertInto('reportSubscriptions')
          .values({ clientId: null, userId: admin.userId, weekly: true, monthly: true })
          .execute()
          .then(
            () => 'inserted',
            (err: Error) => err.message,
          );
        throw Object.assign(rolledBack, { seen: { management: management.id, reports, subscriptions, sneaked } });
      })
      .catch((err: unknown) => {
        if (err !== rolledBack) throw err;
        return (err as typeof rolledBack & { seen: any }).seen;
      });
    expect(seen.reports.length).toBeGreaterThan(0);
    expect(seen.reports.every((r: { clientId: string | null }) => r.clientId === company.clientId)).toBe(true);
    expect(seen.reports.map((r: { id: string }) => r.id)).not.toContain(seen.management);
    expect(seen.subscriptions.length).toBeGreaterThan(0);
    expect(seen.subscriptions.every((r: { clientId: string | null }) => r.clientId === company.clientId)).toBe(true);
    expect(seen.sneaked).toMatch(/row-level security/);
  });
});
