/**
 * The emails of each step of an intervention, rendered in the client's language and sent once
 * per key, and the technician's calendar invites (iCalendar REQUEST, then CANCEL with the same UID
 * when the assignment is withdrawn).
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  findAssignmentForCancellation,
  findAssignmentForInvite,
  listTechnicianSkills,
} from '../../db/repositories/assignments.repository.js';
import { findNotificationContext } from '../../db/repositories/requests.repository.js';
import type { Mailer } from './mailer.js';
import { renderEmail, type Language, type TemplateData, type TemplateKind } from './templates.js';

export interface InterventionEmailDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  /** Where SLA alerts and overdue validations go. */
  supportEmail: string;
}

export function createInterventionEmailActivities({ db, mailer, supportEmail }: InterventionEmailDeps) {
  async function requestContext(workflowId: string) {
    const row = await findNotificationContext(db, workflowId);
    const fromForm = (row.contactDetails as { email?: string }).email;
    const language: Language = row.preferences?.language === 'en' ? 'en' : 'fr';
    return { ...row, clientEmail: fromForm ?? row.contactEmail ?? null, language };
  }

  return {
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
      const result = await mailer.send({
        idempotencyKey: input.idempotencyKey,
        requestId: ctx.id,
        to: [recipient],
        subject,
        text,
        ...(input.to === 'support' ? { notifyRoles: ['support_agent'] as const } : {}),
      });
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
      const a = await findAssignmentForInvite(db, input.assignmentId);
      const skills = await listTechnicianSkills(db, a.technicianId);
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
      const a = await findAssignmentForCancellation(db, input.assignmentId);
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
