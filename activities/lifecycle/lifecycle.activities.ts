/**
 * What the intervention workflow does outside itself, besides status changes (records) and raw
 * email (notifications): SLA deadlines, timeline entries, assignments and calendar invites, site
 * visits and parts, the report, the survey answer, and the emails of each step rendered in the
 * client's language. Every write and every email is keyed by the workflow id and the step.
 */
import { ApplicationFailure } from '@temporalio/activity';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { appendEvent, recordRemoteSession, requestIdOf, updateRequestFields } from '../../db/repositories/lifecycle.repository.js';
import {
  InterventionFailure,
  type ActorType,
  type Priority,
  type TimelineDetails,
} from '../../workflows/intervention/intervention.contract.js';
import type { Mailer } from '../notifications/mailer.js';
import { renderEmail, type Language, type TemplateData, type TemplateKind } from '../notifications/templates.js';
import { isPublicHoliday } from '../sla/french-holidays.js';
import { resumeDeadline, slaDeadlines, type SlaCalendar } from '../sla/sla-calendar.js';

export interface LifecycleDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  /** Where SLA alerts and overdue validations go. */
  supportEmail?: string;
}

export interface SlaComputation {
  responseDueAt: string;
  resolutionDueAt: string;
  /** The estimated intervention time told to the client: the response deadline. */
  estimatedInterventionAt: string;
  responseMinutes: number;
  resolutionMinutes: number;
  coverage: 'business_hours' | '24_7';
  pausesWhenWaiting: boolean;
}

export interface AssignmentSaved {
  assignmentId: string;
  technicianId: string;
  technicianName: string;
  previousAssignmentId: string | null;
}

function notFound(message: string): never {
  throw ApplicationFailure.nonRetryable(message, InterventionFailure.UnknownReference);
}

async function contractCalendar(db: Kysely<DB>, contractId: string) {
  const contract = await db
    .selectFrom('contracts')
    .select(['coverage', 'timezone', 'slaPausesWhenWaiting'])
    .where('id', '=', contractId)
    .executeTakeFirst();
  if (!contract) notFound(`contract ${contractId} not found`);
  const calendar: SlaCalendar = { coverage: contract.coverage, timezone: contract.timezone, isHoliday: (d) => isPublicHoliday(d) };
  return { contract, calendar };
}

export function createLifecycleActivities({ db, mailer, supportEmail = 'support@intervention.local' }: LifecycleDeps) {
  async function requestContext(workflowId: string) {
    const row = await db
      .selectFrom('serviceRequests as r')
      .innerJoin('clients as c', 'c.id', 'r.clientId')
      .leftJoin('clientContacts as cc', 'cc.id', 'r.requesterContactId')
      .select(['r.id', 'r.ticketNumber', 'r.title', 'r.contactDetails', 'c.preferences', 'cc.email as contactEmail'])
      .where('r.workflowId', '=', workflowId)
      .executeTakeFirstOrThrow();
    const fromForm = (row.contactDetails as { email?: string }).email;
    const language: Language = row.preferences?.language === 'en' ? 'en' : 'fr';
    return { ...row, clientEmail: fromForm ?? row.contactEmail ?? null, language };
  }

  /** A part is named as the catalogue names it, so the page need not look it up per entry. */
  async function withPartLabel(details: TimelineDetails): Promise<TimelineDetails> {
    if (details.type !== 'part' || details.label) return details;
    const part = await db.selectFrom('partsCatalogue').select('label').where('sku', '=', details.sku).executeTakeFirst();
    return part ? { ...details, label: part.label } : details;
  }

  return {
    /** SLA deadlines of the contract for this priority, written to the read model. */
    async computeSlaDeadlines(input: {
      workflowId: string;
      contractId: string | null;
      priority: Priority;
      startAt: string;
      timeScale: number;
    }): Promise<SlaComputation | null> {
      if (!input.contractId) return null;
      const { contract, calendar } = await contractCalendar(db, input.contractId);
      const target = await db
        .selectFrom('contractSlaTargets')
        .select(['responseMinutes', 'resolutionMinutes'])
        .where('contractId', '=', input.contractId)
        .where('priority', '=', input.priority)
        .executeTakeFirst();
      if (!target) return null;
      const due = slaDeadlines(new Date(input.startAt), target, calendar, input.timeScale);
      await updateRequestFields(db, input.workflowId, {
        responseDueAt: due.responseDueAt,
        resolutionDueAt: due.resolutionDueAt,
        estimatedInterventionAt: due.responseDueAt,
        sla: JSON.stringify({ ...target, coverage: contract.coverage, timezone: contract.timezone }),
      });
      return {
        ...due,
        estimatedInterventionAt: due.responseDueAt,
        ...target,
        coverage: contract.coverage,
        pausesWhenWaiting: contract.slaPausesWhenWaiting,
      };
    },

    /** Deadlines after a pause while waiting for the client (contract's covered time). */
    async resumeSlaDeadlines(input: {
      workflowId: string;
      contractId: string;
      responseDueAt: string | null;
      resolutionDueAt: string;
      pausedAt: string;
      resumedAt: string;
      timeScale: number;
    }): Promise<{ responseDueAt: string | null; resolutionDueAt: string }> {
      const { calendar } = await contractCalendar(db, input.contractId);
      const shift = (iso: string) =>
        resumeDeadline(new Date(iso), new Date(input.pausedAt), new Date(input.resumedAt), calendar, input.timeScale).toISOString();
      const next = {
        responseDueAt: input.responseDueAt ? shift(input.responseDueAt) : null,
        resolutionDueAt: shift(input.resolutionDueAt),
      };
      await updateRequestFields(db, input.workflowId, {
        ...(next.responseDueAt ? { responseDueAt: next.responseDueAt } : {}),
        resolutionDueAt: next.resolutionDueAt,
      });
      return next;
    },

    /** A timeline entry (log, decision, SLA alert…) that does not change the status. */
    async recordEvent(input: {
      workflowId: string;
      kind: string;
      actor: ActorType;
      actorId?: string | null;
      message?: string | null;
      payload?: Record<string, unknown>;
      /** The entry's facts as data, for the page to say in the reader's language. */
      details?: TimelineDetails;
      idempotencyKey: string;
      /** The time spent on a remote resolution (and when it was proposed), stored for billing. */
      remoteSession?: { minutes: number; at: string };
    }): Promise<boolean> {
      const { remoteSession, details, ...fields } = input;
      const entry = { ...fields, details: details ? await withPartLabel(details) : null };
      if (!remoteSession) return appendEvent(db, { ...entry, actorType: input.actor });
      // One transaction, both rows keyed by the entry's key: a retry writes neither twice.
      return db.transaction().execute(async (trx) => {
        const appended = await appendEvent(trx, { ...entry, actorType: input.actor });
        await recordRemoteSession(trx, {
          workflowId: input.workflowId,
          actorType: input.actor,
          userId: input.actorId ?? null,
          minutes: remoteSession.minutes,
          performedAt: remoteSession.at,
          idempotencyKey: input.idempotencyKey,
        });
        return appended;
      });
    },

    async updateRequest(input: {
      workflowId: string;
      priority?: Priority;
      priorityReason?: string;
      supportLevel?: number;
      specialistGroup?: string;
      firstResponseAt?: string;
    }): Promise<void> {
      const { workflowId, ...fields } = input;
      // The workflow sets firstResponseAt once (its first triage decision).
      await updateRequestFields(db, workflowId, fields);
    },

    /** Writes the assignment; the previous live one (reassignment) is cancelled in the same transaction. */
    async saveAssignment(input: {
      workflowId: string;
      technicianId: string;
      start: string;
      end: string;
      priority: Priority;
      notes: string | null;
      source: 'optimizer' | 'dispatcher';
    }): Promise<AssignmentSaved> {
      const technician = await db
        .selectFrom('technicians')
        .select(['id', 'firstName', 'lastName', 'active'])
        .where('id', '=', input.technicianId)
        .executeTakeFirst();
      if (!technician || !technician.active) notFound(`technician ${input.technicianId} not found or inactive`);
      return db.transaction().execute(async (trx) => {
        const requestId = await requestIdOf(trx, input.workflowId);
        const live = await trx
          .selectFrom('assignments')
          .selectAll()
          .where('requestId', '=', requestId)
          .where('status', 'in', ['proposed', 'confirmed', 'en_route', 'on_site'])
          .forUpdate()
          .executeTakeFirst();
        const technicianName = `${technician.firstName} ${technician.lastName}`;
        // A retry after a committed attempt finds its own row: same technician and slot.
        if (
          live &&
          live.technicianId === input.technicianId &&
          live.scheduledStart.toISOString() === new Date(input.start).toISOString() &&
          live.scheduledEnd.toISOString() === new Date(input.end).toISOString()
        ) {
          return { assignmentId: live.id, technicianId: live.technicianId, technicianName, previousAssignmentId: null };
        }
        if (live)
          await trx.updateTable('assignments').set({ status: 'cancelled', updatedAt: new Date() }).where('id', '=', live.id).execute();
        const row = await trx
          .insertInto('assignments')
          .values({
            requestId,
            technicianId: input.technicianId,
            scheduledStart: input.start,
            scheduledEnd: input.end,
            priority: input.priority,
            notes: input.notes,
            status: 'confirmed',
            source: input.source,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { assignmentId: row.id, technicianId: input.technicianId, technicianName, previousAssignmentId: live?.id ?? null };
      });
    },

    async setAssignmentStatus(input: { assignmentId: string; status: 'on_site' | 'completed' | 'cancelled' }): Promise<void> {
      await db
        .updateTable('assignments')
        .set({ status: input.status, updatedAt: new Date() })
        .where('id', '=', input.assignmentId)
        .execute();
    },

    /** Opens a site visit; a retry returns the visit of the same key. */
    async checkIn(input: {
      workflowId: string;
      assignmentId: string | null;
      technicianId: string;
      mode: 'on_site' | 'remote';
      travelKm: number;
      at: string;
      idempotencyKey: string;
    }): Promise<{ visitId: string }> {
      const requestId = await requestIdOf(db, input.workflowId);
      await db
        .insertInto('siteVisits')
        .values({
          requestId,
          assignmentId: input.assignmentId,
          technicianId: input.technicianId,
          mode: input.mode,
          checkedInAt: input.at,
          travelKm: input.travelKm,
          idempotencyKey: input.idempotencyKey,
        })
        .onConflict((oc) => oc.column('idempotencyKey').doNothing())
        .execute();
      const visit = await db
        .selectFrom('siteVisits')
        .select('id')
        .where('idempotencyKey', '=', input.idempotencyKey)
        .executeTakeFirstOrThrow();
      if (input.assignmentId) {
        await db
          .updateTable('assignments')
          .set({ status: 'on_site', updatedAt: new Date() })
          .where('id', '=', input.assignmentId)
          .execute();
      }
      return { visitId: visit.id };
    },

    async checkOut(input: { visitId: string; at: string }): Promise<void> {
      await db
        .updateTable('siteVisits')
        .set({ checkedOutAt: sql<Date>`coalesce(checked_out_at, ${input.at}::timestamptz)` })
        .where('id', '=', input.visitId)
        .execute();
    },

    /** A replaced part, by catalogue SKU (billing prices it); unknown SKUs are refused. */
    async recordPart(input: {
      workflowId: string;
      visitId: string | null;
      sku: string;
      quantity: number;
      serialNumbers: string[];
      underWarranty: boolean;
      idempotencyKey: string;
    }): Promise<void> {
      const part = await db.selectFrom('partsCatalogue').select(['sku', 'active']).where('sku', '=', input.sku).executeTakeFirst();
      if (!part || !part.active) notFound(`part ${input.sku} is not in the catalogue`);
      const requestId = await requestIdOf(db, input.workflowId);
      await db
        .insertInto('partsUsed')
        .values({
          requestId,
          siteVisitId: input.visitId,
          sku: input.sku,
          quantity: input.quantity,
          serialNumbers: input.serialNumbers,
          underWarranty: input.underWarranty,
          idempotencyKey: input.idempotencyKey,
        })
        .onConflict((oc) => oc.column('idempotencyKey').doNothing())
        .execute();
    },

    async saveReport(input: {
      workflowId: string;
      technicianId: string | null;
      summary: string;
      recommendations: string[];
      idempotencyKey: string;
    }): Promise<void> {
      const requestId = await requestIdOf(db, input.workflowId);
      await db
        .insertInto('interventionReports')
        .values({
          requestId,
          technicianId: input.technicianId,
          summary: input.summary,
          recommendations: JSON.stringify(input.recommendations),
          idempotencyKey: input.idempotencyKey,
        })
        .onConflict((oc) => oc.column('idempotencyKey').doNothing())
        .execute();
    },

    async saveSurveyAnswer(input: { workflowId: string; rating: number; comment: string | null; idempotencyKey: string }): Promise<void> {
      const requestId = await requestIdOf(db, input.workflowId);
      await db
        .insertInto('satisfactionSurveys')
        .values({ requestId, rating: input.rating, comment: input.comment, idempotencyKey: input.idempotencyKey })
        .onConflict((oc) => oc.column('idempotencyKey').doNothing())
        .execute();
    },

    /** Renders one step's email in the client's language and sends it once per key. */
    async notify(input: {
      workflowId: string;
      template: TemplateKind;
      to: 'client' | 'support';
      data: TemplateData;
      idempotencyKey: string;
    }): Promise<{ sent: boolean }> {
      const ctx = await requestContext(input.workflowId);
      const recipient = input.to === 'support' ? supportEmail : ctx.clientEmail;
      if (!recipient) return { sent: false };
      const { subject, text } = renderEmail(
        input.template,
        { ticket: ctx.ticketNumber, title: ctx.title, ...input.data },
        input.to === 'support' ? 'fr' : ctx.language,
      );
      const result = await mailer.send({ idempotencyKey: input.idempotencyKey, requestId: ctx.id, to: [recipient], subject, text });
      return { sent: !result.duplicate };
    },

    /**
     * Tells the client the slot and the technician's profile, and sends the technician a calendar
     * invite (METHOD:REQUEST) with the site, the preparation and a route link.
     */
    async notifyAssignment(input: {
      workflowId: string;
      assignmentId: string;
      preparation: string | null;
      idempotencyKey: string;
    }): Promise<void> {
      const ctx = await requestContext(input.workflowId);
      const a = await db
        .selectFrom('assignments as a')
        .innerJoin('technicians as t', 't.id', 'a.technicianId')
        .innerJoin('serviceRequests as r', 'r.id', 'a.requestId')
        .innerJoin('clientLocations as l', 'l.id', 'r.locationId')
        .select([
          'a.id',
          'a.scheduledStart',
          'a.scheduledEnd',
          'a.notes',
          't.id as technicianId',
          't.firstName',
          't.lastName',
          't.level',
          't.rating',
          't.email',
          't.phone',
          'l.name as siteName',
          'l.addressLine1',
          'l.postalCode',
          'l.city',
          'l.latitude',
          'l.longitude',
          'l.accessInstructions',
          'l.onSiteContactName',
          'l.onSiteContactPhone',
          'r.locationDetails',
          'r.title',
        ])
        .where('a.id', '=', input.assignmentId)
        .executeTakeFirstOrThrow();
      const skills = await db
        .selectFrom('technicianSkills')
        .select(['skill', 'level'])
        .where('technicianId', '=', a.technicianId)
        .orderBy('level', 'desc')
        .execute();
      const name = `${a.firstName} ${a.lastName}`;
      if (ctx.clientEmail) {
        const { subject, text } = renderEmail(
          'assignment',
          {
            ticket: ctx.ticketNumber,
            start: a.scheduledStart.toISOString(),
            end: a.scheduledEnd.toISOString(),
            technicianName: name,
            technicianLevel: a.level,
            technicianSkills: skills.map((s) => `${s.skill} (${s.level}/5)`),
            technicianRating: a.rating,
            technicianPhone: a.phone,
            technicianEmail: a.email,
            preparation: input.preparation,
          },
          ctx.language,
        );
        await mailer.send({ idempotencyKey: `${input.idempotencyKey}:client`, requestId: ctx.id, to: [ctx.clientEmail], subject, text });
      }
      const address = `${a.addressLine1}, ${a.postalCode} ${a.city}`;
      const details = a.locationDetails as { onSiteContactName?: string; onSiteContactPhone?: string };
      const contact = [details.onSiteContactName ?? a.onSiteContactName, details.onSiteContactPhone ?? a.onSiteContactPhone]
        .filter(Boolean)
        .join(' ');
      const route =
        a.latitude !== null && a.longitude !== null
          ? `https://www.openstreetmap.org/directions?to=${a.latitude},${a.longitude}`
          : `https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`;
      const description = [
        `${ctx.ticketNumber} : ${a.title}`,
        input.preparation ? `Préparation : ${input.preparation}` : null,
        a.notes ? `Notes : ${a.notes}` : null,
        a.accessInstructions ? `Accès : ${a.accessInstructions}` : null,
        contact ? `Contact sur place : ${contact}` : null,
        `Itinéraire : ${route}`,
      ]
        .filter(Boolean)
        .join('\n');
      const calendar = ical({ name: 'Interventions', method: ICalCalendarMethod.REQUEST });
      calendar.createEvent({
        id: `${a.id}@intervention-platform`,
        start: a.scheduledStart,
        end: a.scheduledEnd,
        summary: `${ctx.ticketNumber} – ${a.siteName}`,
        description,
        location: address,
        url: route,
        organizer: { name: 'Support', email: supportEmail },
        attendees: [{ name, email: a.email }],
      });
      await mailer.send({
        idempotencyKey: `${input.idempotencyKey}:invite`,
        requestId: ctx.id,
        to: [a.email],
        subject: `Intervention ${ctx.ticketNumber} – ${a.siteName}`,
        text: description,
        icalEvent: { method: 'REQUEST', content: calendar.toString() },
      });
    },

    /** Withdraws a technician's invite (reassignment or cancellation): METHOD:CANCEL, same UID. */
    async cancelTechnicianInvite(input: { workflowId: string; assignmentId: string; idempotencyKey: string }): Promise<void> {
      const ctx = await requestContext(input.workflowId);
      const a = await db
        .selectFrom('assignments as a')
        .innerJoin('technicians as t', 't.id', 'a.technicianId')
        .select(['a.id', 'a.scheduledStart', 'a.scheduledEnd', 't.email', 't.firstName', 't.lastName'])
        .where('a.id', '=', input.assignmentId)
        .executeTakeFirstOrThrow();
      const calendar = ical({ name: 'Interventions', method: ICalCalendarMethod.CANCEL });
      calendar.createEvent({
        id: `${a.id}@intervention-platform`,
        start: a.scheduledStart,
        end: a.scheduledEnd,
        summary: `ANNULÉ ${ctx.ticketNumber}`,
        status: ICalEventStatus.CANCELLED,
        sequence: 1,
        organizer: { name: 'Support', email: supportEmail },
        attendees: [{ name: `${a.firstName} ${a.lastName}`, email: a.email }],
      });
      await mailer.send({
        idempotencyKey: input.idempotencyKey,
        requestId: ctx.id,
        to: [a.email],
        subject: `Annulé : intervention ${ctx.ticketNumber}`,
        text: `L'intervention ${ctx.ticketNumber} du ${a.scheduledStart.toISOString()} ne vous est plus attribuée.`,
        icalEvent: { method: 'CANCEL', content: calendar.toString() },
      });
    },
  };
}

export type LifecycleActivities = ReturnType<typeof createLifecycleActivities>;
