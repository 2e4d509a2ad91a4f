/**
 * Timeline entries keep their facts as data: the records activity stores a transition's details
 * beside its message, the lifecycle activity names a part as the catalogue does, a retry writes
 * nothing twice, and an entry without details keeps null (the page then shows the message).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { testDb, testSupportEmail } from '../../scripts/testing/env.js';
import { createTestClient } from '../../scripts/testing/fixtures.js';
import { createClosedIntervention } from '../billing/test/billing-fixtures.js';
import { createLifecycleActivities } from '../lifecycle/lifecycle.activities.js';
import { createMailer, type Mailer } from '../notifications/mailer.js';
import { createRecordActivities } from './records.activities.js';

describe('timeline details', () => {
  let db: Kysely<DB>;
  let mailer: Mailer;
  let records: ReturnType<typeof createRecordActivities>;
  let lifecycle: ReturnType<typeof createLifecycleActivities>;

  beforeAll(async () => {
    db = testDb(4);
    mailer = createMailer({ db, from: 'Support <support@msp.test>' });
    records = createRecordActivities({ db });
    lifecycle = createLifecycleActivities({ db, mailer, supportEmail: testSupportEmail() });
  });

  afterAll(async () => {
    await mailer?.close();
    await db?.destroy();
  });

  async function request() {
    const r = await createClosedIntervention(db, await createTestClient(db), { visits: [] });
    const events = () =>
      db
        .selectFrom('requestEvents')
        .select(['kind', 'message', 'details'])
        .where('requestId', '=', r.requestId)
        .where('idempotencyKey', 'like', `${r.workflowId}:t:%`)
        .orderBy('id')
        .execute();
    return { ...r, events };
  }

  it('stores an assignment’s technician and slot once, however often the activity is retried', async () => {
    const r = await request();
    const details = {
      type: 'assignment',
      technicianName: 'Luc Tech',
      start: '2027-06-16T09:00:00+02:00',
      end: '2027-06-16T11:30:00+02:00',
      reassigned: false,
    } as const;
    const input = {
      workflowId: r.workflowId,
      ticketNumber: r.ticketNumber,
      from: 'awaiting_planning' as const,
      to: 'scheduled' as const,
      actor: 'dispatcher' as const,
      message: 'assigned: Luc Tech 2027-06-16T09:00:00+02:00',
      details,
      idempotencyKey: `${r.workflowId}:t:1:status:scheduled`,
    };
    expect(await records.recordTransition(input)).toBe(true);
    expect(await records.recordTransition(input)).toBe(false);
    expect(await r.events()).toEqual([{ kind: 'status_change', message: input.message, details }]);
  });

  it('keeps null details on an entry written without them', async () => {
    const r = await request();
    await records.recordTransition({
      workflowId: r.workflowId,
      ticketNumber: r.ticketNumber,
      from: 'survey',
      to: 'closed',
      actor: 'system',
      message: 'survey unanswered',
      idempotencyKey: `${r.workflowId}:t:2:status:closed`,
    });
    expect(await r.events()).toEqual([{ kind: 'status_change', message: 'survey unanswered', details: null }]);
  });

  it('names a logged part as the catalogue does; an unknown reference keeps its SKU only', async () => {
    const r = await request();
    const sku = `PSU-${randomUUID().slice(0, 8)}`;
    await db.insertInto('partsCatalogue').values({ sku, label: 'Alimentation ATX 500 W', unitPriceCents: 6500 }).execute();
    const entry = (key: string, partSku: string) => ({
      workflowId: r.workflowId,
      kind: 'log:part',
      actor: 'technician' as const,
      message: `1 × ${partSku}`,
      details: { type: 'part', sku: partSku, quantity: 1, note: null } as const,
      idempotencyKey: `${r.workflowId}:t:${key}`,
    });
    expect(await lifecycle.recordEvent(entry('3:log:part', sku))).toBe(true);
    expect(await lifecycle.recordEvent(entry('4:log:part', 'NO-SUCH-SKU'))).toBe(true);
    expect((await r.events()).map((e) => e.details)).toEqual([
      { type: 'part', sku, quantity: 1, note: null, label: 'Alimentation ATX 500 W' },
      { type: 'part', sku: 'NO-SUCH-SKU', quantity: 1, note: null },
    ]);
  });
});
