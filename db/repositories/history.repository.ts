/**
 * Past interventions written in bulk straight to the read model, as the lifecycle leaves them
 * (request, status changes, assignments and visits, survey answer): the demo's year of closed
 * history, the indicators benchmark and the indicators' integration tests. No workflow behind
 * them (their workflow ids say so): they are history, not work in progress.
 */
import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { Priority, RequestStatus, ServiceType } from '../schema/enums.js';

export interface HistoricalTransition {
  at: Date;
  from: RequestStatus | null;
  to: RequestStatus;
  /** details.type of the entry ('escalation' for a technician's escalation). */
  detailsType?: string;
}

export interface HistoricalVisit {
  technicianId: string;
  checkedInAt: Date;
  checkedOutAt: Date;
  travelMinutes: number;
}

export interface HistoricalRequest {
  ticketNumber: string;
  clientId: string;
  locationId: string;
  contractId: string | null;
  assetId: string | null;
  serviceType: ServiceType;
  priority: Priority;
  title: string;
  createdAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  transitions: readonly HistoricalTransition[];
  visits: readonly HistoricalVisit[];
  survey: { rating: number; comment: string | null; at: Date } | null;
}

const CLIENT_STATUS: Record<string, 'new' | 'in_analysis' | 'solution_proposed' | 'resolved' | 'closed'> = {
  new: 'new',
  solution_proposed: 'solution_proposed',
  awaiting_validation: 'solution_proposed',
  validated: 'resolved',
  invoiced: 'resolved',
  survey: 'resolved',
  closed: 'closed',
  cancelled: 'closed',
};

/** Writes the requests (in chunks, one statement per table per chunk); returns their ids in order. */
export async function insertHistoricalRequests(db: Executor, requests: readonly HistoricalRequest[], chunk = 500): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < requests.length; i += chunk) {
    const part = requests.slice(i, i + chunk);
    const rows = await db
      .insertInto('serviceRequests')
      .values(
        part.map((r) => {
          const last = [...r.transitions].sort((a, b) => a.at.getTime() - b.at.getTime()).at(-1);
          const status = last?.to ?? 'new';
          return {
            ticketNumber: r.ticketNumber,
            workflowId: `history-${r.ticketNumber}`,
            clientId: r.clientId,
            locationId: r.locationId,
            contractId: r.contractId,
            assetId: r.assetId,
            serviceType: r.serviceType,
            title: r.title,
            description: r.title,
            businessImpact: '—',
            impactLevel: 'medium' as const,
            urgency: 'medium' as const,
            priority: r.priority,
            status,
            clientStatus: CLIENT_STATUS[status] ?? 'in_analysis',
            createdAt: r.createdAt,
            acknowledgedAt: r.createdAt,
            firstResponseAt: r.firstResponseAt,
            resolvedAt: r.resolvedAt,
            closedAt: r.closedAt,
            cancelledAt: r.cancelledAt,
            responseDueAt: r.responseDueAt,
            resolutionDueAt: r.resolutionDueAt,
            updatedAt: last?.at ?? r.createdAt,
          };
        }),
      )
      .returning('id')
      .execute();
    const partIds = rows.map((r) => r.id);
    ids.push(...partIds);
    const events = part.flatMap((r, k) =>
      r.transitions.map((t, n) => ({
        requestId: partIds[k]!,
        kind: 'status_change',
        fromStatus: t.from,
        toStatus: t.to,
        actorType: 'system' as const,
        message: null,
        details: t.detailsType ? JSON.stringify({ type: t.detailsType }) : null,
        idempotencyKey: `history:${r.ticketNumber}:${n}`,
        createdAt: t.at,
      })),
    );
    for (let e = 0; e < events.length; e += 4000)
      await db
        .insertInto('requestEvents')
        .values(events.slice(e, e + 4000))
        .execute();
    const visits = part.flatMap((r, k) => r.visits.map((v, n) => ({ r, v, n, requestId: partIds[k]! })));
    if (visits.length > 0) {
      const assignments = await db
        .insertInto('assignments')
        .values(
          visits.map(({ r, v, requestId }) => ({
            requestId,
            technicianId: v.technicianId,
            scheduledStart: v.checkedInAt,
            scheduledEnd: v.checkedOutAt,
            priority: r.priority,
            notes: null,
            status: 'completed' as const,
            source: 'optimizer' as const,
            travelMinutes: v.travelMinutes,
          })),
        )
        .returning('id')
        .execute();
      await db
        .insertInto('siteVisits')
        .values(
          visits.map(({ r, v, n, requestId }, j) => ({
            requestId,
            assignmentId: assignments[j]!.id,
            technicianId: v.technicianId,
            mode: 'on_site' as const,
            checkedInAt: v.checkedInAt,
            checkedOutAt: v.checkedOutAt,
            idempotencyKey: `history:${r.ticketNumber}:visit:${n}`,
          })),
        )
        .execute();
    }
    const surveys = part.flatMap((r, k) =>
      r.survey
        ? [
            {
              requestId: partIds[k]!,
              rating: r.survey.rating,
              comment: r.survey.comment,
              answeredAt: r.survey.at,
              idempotencyKey: `history:${r.ticketNumber}:survey`,
            },
          ]
        : [],
    );
    if (surveys.length > 0) await db.insertInto('satisfactionSurveys').values(surveys).execute();
  }
  return ids;
}

/** An asset of a generated demo fleet, with only the columns every schema version has. */
export interface FleetAsset {
  kind: 'workstation' | 'laptop' | 'server' | 'printer' | 'network' | 'phone' | 'other';
  brand: string;
  model: string;
  serialNumber: string;
  operatingSystem: string | null;
  purchaseDate: string;
  warrantyEndsOn: string;
}

/** Writes a company's generated fleet unless one of its serial numbers is there already; returns how many were written. */
/** Every company with its sites' ids (oldest first), companies by name: where a demo fleet goes. */
export async function companiesWithSites(db: Executor) {
  const [clients, sites] = await Promise.all([
    db.selectFrom('clients').select(['id', 'companyName']).orderBy('companyName').execute(),
    db.selectFrom('clientLocations').select(['id', 'clientId']).orderBy('createdAt').orderBy('name').execute(),
  ]);
  return clients.map((c) => ({ ...c, siteIds: sites.filter((s) => s.clientId === c.id).map((s) => s.id) }));
}

export async function insertFleetAssets(
  db: Executor,
  clientId: string,
  fleet: ReadonlyArray<FleetAsset & { locationId: string }>,
): Promise<number> {
  if (fleet.length === 0) return 0;
  const there = await db
    .selectFrom('assets')
    .select('id')
    .where('clientId', '=', clientId)
    .where(
      'serialNumber',
      'in',
      fleet.map((a) => a.serialNumber),
    )
    .limit(1)
    .executeTakeFirst();
  if (there) return 0;
  await db
    .insertInto('assets')
    .values(
      fleet.map((a) => ({
        clientId,
        locationId: a.locationId,
        kind: a.kind,
        brand: a.brand,
        model: a.model,
        serialNumber: a.serialNumber,
        operatingSystem: a.operatingSystem,
        purchaseDate: a.purchaseDate,
        warrantyEndsOn: a.warrantyEndsOn,
      })),
    )
    .execute();
  return fleet.length;
}

/** What past interventions can be written against: every client's sites, contract, assets, and the technicians. */
export async function historyTargets(db: Executor) {
  const [clients, locations, contracts, assets, technicians] = await Promise.all([
    db.selectFrom('clients').select(['id', 'companyName']).orderBy('companyName').execute(),
    db.selectFrom('clientLocations').select(['id', 'clientId']).orderBy('id').execute(),
    db.selectFrom('contracts').select(['id', 'clientId', 'kind', 'coverage']).orderBy('id').execute(),
    // By serial number: the generator picks assets by position, so the same fleet gives the same history.
    db.selectFrom('assets').select(['id', 'clientId', 'locationId']).orderBy('serialNumber').orderBy('id').execute(),
    db.selectFrom('technicians').select('id').where('active', '=', true).orderBy('id').execute(),
  ]);
  return {
    clients: clients.map((c) => ({
      clientId: c.id,
      companyName: c.companyName,
      locationIds: locations.filter((l) => l.clientId === c.id).map((l) => l.id),
      contract: contracts.find((k) => k.clientId === c.id) ?? null,
      assets: assets.filter((a) => a.clientId === c.id),
    })),
    technicianIds: technicians.map((t) => t.id),
  };
}

export type HistoryTargets = Awaited<ReturnType<typeof historyTargets>>;

/** True when past interventions were already written (the demo writes its year once). */
export async function hasHistory(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('serviceRequests').select('id').where('workflowId', 'like', 'history-%').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Marks requests as changed now (their facts are then refreshed): the benchmark's incremental refresh. */
export async function touchRequests(db: Executor, workflowIds: readonly string[]): Promise<void> {
  if (workflowIds.length === 0) return;
  await db.updateTable('serviceRequests').set({ updatedAt: new Date() }).where('workflowId', 'in', workflowIds).execute();
}

/** Planner statistics after a bulk write (the benchmark; autovacuum does it later otherwise). */
export async function analyzeHistoryTables(db: Executor): Promise<void> {
  await sql`analyze service_requests, request_events, site_visits, assignments, satisfaction_surveys, kpi_request_facts`.execute(db);
}
