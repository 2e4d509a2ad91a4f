/** A closed intervention as the lifecycle leaves it: request, technician visits, parts used. */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { ContractBillingTermsTable, DB, TechnicianLevel } from '../../../db/index.js';
import { allocateTicketNumber } from '../../../db/repositories/requests.repository.js';
import type { TestClient } from '../../../scripts/testing/fixtures.js';

export interface VisitSpec {
  /** ISO instant of the check-in. */
  at?: string;
  minutes: number;
  level?: TechnicianLevel;
  mode?: 'on_site' | 'remote';
  km?: string;
  /** Leave the visit open (no check-out). */
  open?: boolean;
}

export interface PartSpec {
  unitPriceCents: number;
  vatRateBasisPoints?: number;
  quantity?: number;
  underWarranty?: boolean;
  label?: string;
}

/** Time a support agent declared on a remote resolution. */
export interface RemoteSessionSpec {
  minutes: number;
  /** ISO instant of the proposal. */
  at?: string;
}

export interface ClosedIntervention {
  requestId: string;
  workflowId: string;
  ticketNumber: string;
}

/** Sets the contract's billing terms (contract_billing_terms row) and contract columns. */
export async function setContractTerms(
  db: Kysely<DB>,
  contractId: string,
  terms: Omit<Insertable<ContractBillingTermsTable>, 'contractId'>,
  contract: {
    kind?: 'standard' | 'premium' | 'flat_rate' | 'time_and_materials';
    includedHoursPerMonth?: string;
    hourlyRateCents?: number;
    travelFeeCents?: number;
  } = {},
) {
  await db
    .insertInto('contractBillingTerms')
    .values({ contractId, ...terms })
    .execute();
  if (Object.keys(contract).length > 0) await db.updateTable('contracts').set(contract).where('id', '=', contractId).execute();
}

export async function createClosedIntervention(
  db: Kysely<DB>,
  client: TestClient,
  spec: { visits: VisitSpec[]; parts?: PartSpec[]; remoteSessions?: RemoteSessionSpec[] },
): Promise<ClosedIntervention> {
  const ticketNumber = await allocateTicketNumber(db, 2026);
  const workflowId = `intervention-${ticketNumber}-${randomUUID().slice(0, 6)}`;
  const request = await db
    .insertInto('serviceRequests')
    .values({
      ticketNumber,
      workflowId,
      clientId: client.clientId,
      locationId: client.locationId,
      contractId: client.contractId,
      requesterContactId: client.contactId,
      serviceType: 'hardware_repair',
      title: 'Poste comptabilité ne démarre plus',
      description: 'Écran noir, voyant orange.',
      businessImpact: 'Saisie des factures bloquée.',
      impactLevel: 'high',
      urgency: 'medium',
      priority: 'P2',
      status: 'validated',
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const technicians = new Map<TechnicianLevel, string>();
  const technicianOf = async (level: TechnicianLevel) => {
    const known = technicians.get(level);
    if (known) return known;
    const row = await db
      .insertInto('technicians')
      .values({
        firstName: 'Luc',
        lastName: `Technicien ${level}`,
        email: `tech-${randomUUID()}@msp.test`,
        level,
        homeAddress: '5 rue Oberkampf, 75011 Paris',
        homeLatitude: 48.864,
        homeLongitude: 2.37,
        hourlyCostCents: 3500,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    technicians.set(level, row.id);
    return row.id;
  };

  for (const [index, visit] of spec.visits.entries()) {
    const checkedInAt = new Date(visit.at ?? `2026-11-${String(10 + index).padStart(2, '0')}T08:30:00Z`);
    await db
      .insertInto('siteVisits')
      .values({
        requestId: request.id,
        technicianId: await technicianOf(visit.level ?? 'N2'),
        mode: visit.mode ?? 'on_site',
        checkedInAt,
        checkedOutAt: visit.open ? null : new Date(checkedInAt.getTime() + visit.minutes * 60_000),
        travelKm: visit.km ?? '0',
        idempotencyKey: `${workflowId}:visit:${index}`,
      })
      .execute();
  }
  for (const [index, part] of (spec.parts ?? []).entries()) {
    const sku = `SKU-${randomUUID().slice(0, 8)}`;
    await db
      .insertInto('partsCatalogue')
      .values({
        sku,
        label: part.label ?? 'Disque SSD 1 To',
        unitPriceCents: part.unitPriceCents,
        vatRateBasisPoints: part.vatRateBasisPoints ?? 2000,
      })
      .execute();
    await db
      .insertInto('partsUsed')
      .values({
        requestId: request.id,
        sku,
        quantity: part.quantity ?? 1,
        underWarranty: part.underWarranty ?? false,
        idempotencyKey: `${workflowId}:part:${index}`,
      })
      .execute();
  }
  for (const [index, session] of (spec.remoteSessions ?? []).entries()) {
    await db
      .insertInto('remoteSessions')
      .values({
        requestId: request.id,
        actorType: 'support',
        userId: null,
        minutes: session.minutes,
        performedAt: session.at ?? `2026-11-${String(10 + index).padStart(2, '0')}T09:05:00Z`,
        idempotencyKey: `${workflowId}:remote:${index}`,
      })
      .execute();
  }
  return { requestId: request.id, workflowId, ticketNumber };
}
