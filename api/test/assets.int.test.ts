/**
 * The asset registry (issue 13) on the real app, PostgreSQL (row-level security) and Temporal:
 * who manages and reads whose assets, the CSV import (whole file checked, good lines imported,
 * each bad line refused with its reasons), the intake naming an asset (only the company's own),
 * the history in time order, and a part used under the asset's warranty billed as such.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { loadInterventionForBilling } from '../../db/repositories/invoices.repository.js';
import { createClosedIntervention } from '../../activities/billing/test/billing-fixtures.js';
import { startTestPlatform, type TestPlatform } from '../../scripts/testing/env.js';
import { createTestAccount, createTestClient, intakeBody, type TestClient } from '../../scripts/testing/fixtures.js';

type Headers = Record<string, string>;

describe('asset registry', () => {
  let platform: TestPlatform;
  let db: Kysely<DB>;
  let url: string;
  let own: TestClient;
  let other: TestClient;
  let clientAdmin: Headers;
  let clientUser: Headers;
  let otherAdmin: Headers;
  let support: Headers;

  async function call(method: string, path: string, headers: Headers, body?: unknown) {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    ({ db, url } = platform);
    own = await createTestClient(db);
    other = await createTestClient(db);
    clientAdmin = (await createTestAccount(db, 'client_admin', { clientId: own.clientId })).headers;
    clientUser = (await createTestAccount(db, 'client_user', { clientId: own.clientId })).headers;
    otherAdmin = (await createTestAccount(db, 'client_admin', { clientId: other.clientId })).headers;
    support = (await createTestAccount(db, 'support_agent')).headers;
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('a company admin registers and changes its assets; its users read them; another company sees nothing', async () => {
    const created = await call('POST', `/clients/${own.clientId}/assets`, clientAdmin, {
      kind: 'server',
      brand: 'Dell',
      model: 'PowerEdge R650',
      serialNumber: 'SRV-0001',
      hostname: 'SRV-Compta.local',
      purchaseDate: '2025-03-01',
      warrantyEndsOn: '2028-03-01',
      locationId: own.locationId,
      department: 'Comptabilité',
      contractId: own.contractId,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ hostname: 'srv-compta.local', status: 'in_service', locationName: 'Siège' });
    const id = created.body.id as string;

    expect(
      (await call('POST', `/clients/${own.clientId}/assets`, clientUser, { kind: 'nas', brand: 'Synology', model: 'DS923+' })).status,
    ).toBe(403);
    const duplicate = await call('POST', `/clients/${own.clientId}/assets`, support, {
      kind: 'laptop',
      brand: 'Lenovo',
      model: 'T14',
      hostname: 'srv-compta.local',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['hostname']);
    const foreignSite = await call('POST', `/clients/${own.clientId}/assets`, clientAdmin, {
      kind: 'printer',
      brand: 'HP',
      model: 'M479',
      locationId: other.locationId,
    });
    expect(foreignSite.status).toBe(422);

    const list = await call('GET', `/assets?clientId=${own.clientId}&kind=server`, clientUser);
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
    // Another company's admin: not in its list, 404 on the asset, no write.
    const theirs = await call('GET', `/assets?clientId=${own.clientId}`, otherAdmin);
    expect(theirs.body.items).toEqual([]);
    expect((await call('GET', `/assets/${id}`, otherAdmin)).status).toBe(404);
    expect((await call('PATCH', `/assets/${id}`, otherAdmin, { status: 'retired' })).status).toBe(404);
    expect((await call('POST', `/clients/${own.clientId}/assets`, otherAdmin, { kind: 'nas', brand: 'x', model: 'y' })).status).toBe(404);

    const changed = await call('PATCH', `/assets/${id}`, clientAdmin, { status: 'in_repair', notes: 'Alimentation changée' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'in_repair', notes: 'Alimentation changée', brand: 'Dell' });
    expect((await call('PATCH', `/assets/${id}`, clientUser, { status: 'retired' })).status).toBe(403);
  });

  it('imports a CSV: every line checked, good lines imported, each bad line refused with its reasons', async () => {
    const client = await createTestClient(db);
    const admin = (await createTestAccount(db, 'client_admin', { clientId: client.clientId })).headers;
    const contract = (await db.selectFrom('contracts').select('reference').where('id', '=', client.contractId).executeTakeFirstOrThrow())
      .reference;
    const csv = [
      '\uFEFFType;Brand;Model;Serial number;Hostname;Operating system;Purchase date;Warranty end;Site;Department;Contract;Status;Notes',
      `laptop;Lenovo;ThinkPad T14;LNV-1;pc-compta-1;Windows 11;01/02/2025;2028-02-01;Siège;Compta;${contract};in service;`,
      `nas;Synology;"DS923+; 4 baies";SYN-1;nas-1;DSM 7;2024-05-01;;siege;;;en service;"Sauvegardes ""nuit"""`,
      'toaster;Moulinex;X;;;;;;;;;;',
      'printer;HP;M479;LNV-1;;;2025-01-01;2024-01-01;Entrepôt;;;;',
      'server;Dell;R650;DELL-9;PC-COMPTA-1;;;;;;;broken;',
      'phone;Apple;iPhone',
    ].join('\r\n');
    const before = await call('GET', `/assets?clientId=${client.clientId}`, admin);
    expect(before.body.total).toBe(0);

    const dry = await call('POST', `/clients/${client.clientId}/assets/import`, admin, { csv, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, imported: 0, refused: 4 });
    expect((await call('GET', `/assets?clientId=${client.clientId}`, admin)).body.total).toBe(0);

    const report = await call('POST', `/clients/${client.clientId}/assets/import`, admin, { csv });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ dryRun: false, imported: 2, refused: 4 });
    const byLine = Object.fromEntries(
      report.body.lines.map((l: { line: number; outcome: string; errors: { field: string; message: string }[] }) => [
        l.line,
        { outcome: l.outcome, fields: l.errors.map((e) => e.field).sort() },
      ]),
    );
    expect(byLine).toEqual({
      2: { outcome: 'imported', fields: [] },
      3: { outcome: 'imported', fields: [] },
      4: { outcome: 'refused', fields: ['kind'] },
      // Unknown site, warranty before purchase, serial number of line 2.
      5: { outcome: 'refused', fields: ['serialNumber', 'site', 'warrantyEndsOn'] },
      // Hostname of line 2 (case-insensitive), unknown status.
      6: { outcome: 'refused', fields: ['hostname', 'status'] },
      7: { outcome: 'refused', fields: ['line'] },
    });
    const assets = (await call('GET', `/assets?clientId=${client.clientId}`, admin)).body.items as Record<string, unknown>[];
    expect(assets.map((a) => a.serialNumber).sort()).toEqual(['LNV-1', 'SYN-1']);
    const nas = assets.find((a) => a.kind === 'nas')!;
    expect(nas).toMatchObject({ model: 'DS923+; 4 baies', notes: 'Sauvegardes "nuit"', locationName: 'Siège', status: 'in_service' });
    const laptop = assets.find((a) => a.kind === 'laptop')!;
    expect(laptop).toMatchObject({ purchaseDate: '2025-02-01', warrantyEndsOn: '2028-02-01', contractId: client.contractId });

    // Importing the same file again: every line now collides with the register; nothing is added.
    const again = await call('POST', `/clients/${client.clientId}/assets/import`, admin, { csv });
    expect(again.body).toMatchObject({ imported: 0, refused: 6 });
    const unknownColumn = await call('POST', `/clients/${client.clientId}/assets/import`, admin, {
      csv: 'type;brand;model;colour\nlaptop;a;b;red',
    });
    expect(unknownColumn.status).toBe(400);
    expect((await call('GET', `/assets?clientId=${client.clientId}`, admin)).body.total).toBe(2);
  });

  it('the intake names the company’s own asset only; the asset’s history lists requests, visits, parts and reports in time order', async () => {
    const asset = (
      await call('POST', `/clients/${own.clientId}/assets`, clientAdmin, {
        kind: 'workstation',
        brand: 'HP',
        model: 'EliteDesk 800',
        serialNumber: 'HP-HIST-1',
        warrantyEndsOn: '2099-12-31',
      })
    ).body;
    const foreign = (await call('POST', `/clients/${other.clientId}/assets`, otherAdmin, { kind: 'workstation', brand: 'HP', model: 'Z2' }))
      .body;
    const refused = await call('POST', '/requests', clientAdmin, intakeBody(own, { assetId: foreign.id }));
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['assetId']);
    const filed = await call('POST', '/requests', clientAdmin, intakeBody(own, { assetId: asset.id }));
    expect([201, 202]).toContain(filed.status);

    // A past intervention on the asset: a visit, a part with its serial numbers, a report.
    const past = await createClosedIntervention(db, own, {
      visits: [{ minutes: 90, at: '2026-03-10T08:30:00Z' }],
      parts: [{ unitPriceCents: 12000, label: 'Alimentation 500 W' }],
    });
    await db.updateTable('serviceRequests').set({ assetId: asset.id }).where('id', '=', past.requestId).execute();
    await db
      .updateTable('serviceRequests')
      .set({ createdAt: new Date('2026-03-09T10:00:00Z') } as never)
      .where('id', '=', past.requestId)
      .execute();
    await db
      .updateTable('partsUsed')
      .set({ serialNumbers: ['PSU-77-A'], createdAt: new Date('2026-03-10T09:00:00Z') } as never)
      .where('requestId', '=', past.requestId)
      .execute();
    await db
      .insertInto('interventionReports')
      .values({
        requestId: past.requestId,
        summary: 'Alimentation remplacée, poste redémarré.',
        recommendations: JSON.stringify(['Onduleur conseillé']),
        idempotencyKey: `${past.workflowId}:report`,
        createdAt: new Date('2026-03-10T10:05:00Z'),
      })
      .execute();

    const history = await call('GET', `/assets/${asset.id}/history`, clientUser);
    expect(history.status).toBe(200);
    const entries = history.body.entries as { kind: string; ticketNumber: string; at: string; serialNumbers?: string[] }[];
    expect(entries.map((e) => `${e.kind}:${e.ticketNumber}`)).toEqual([
      `request:${past.ticketNumber}`,
      `visit:${past.ticketNumber}`,
      `part:${past.ticketNumber}`,
      `report:${past.ticketNumber}`,
      `request:${filed.body.ticketNumber}`,
    ]);
    expect(entries.find((e) => e.kind === 'part')!.serialNumbers).toEqual(['PSU-77-A']);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort());
    expect((await call('GET', `/assets/${asset.id}/history`, otherAdmin)).status).toBe(404);

    // The part was used while the asset is under warranty: billed as a warranty part.
    const billing = await loadInterventionForBilling(db, past.requestId);
    expect(billing!.parts.map((p) => p.underWarranty)).toEqual([true]);
    await db.updateTable('assets').set({ warrantyEndsOn: '2026-03-01' }).where('id', '=', asset.id).execute();
    expect((await loadInterventionForBilling(db, past.requestId))!.parts.map((p) => p.underWarranty)).toEqual([false]);
  });
});
