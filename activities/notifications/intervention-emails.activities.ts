/**
 * The emails of each step of an intervention, rendered in the client's language and sent once
 * per key, and the technician's calendar invites (iCalendar REQUEST, then CANCEL with the same UID
 * when the assignment is withdrawn).
 */
import { DateTime } from 'luxon';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  findAssignmentForCancellation,
  findAssignmentForInvite,
  listTechnicianSkills,
} from '../../db/repositories/assignments.repository.js';
import { findPartLabels, listRecentPlansOfDay, liveTechnicianOf, raiseVisitSequence } from '../../db/repositories/calendar.repository.js';
import { findNotificationContext } from '../../db/repositories/requests.repository.js';
import { CALENDAR_TIMEZONE, visitInvite } from '../../platform/calendar.js';
import { legOf, type Leg, type StoredRoute } from './visit-leg.js';
import type { Mailer } from './mailer.js';
import { renderEmail, type Language, type TemplateData, type TemplateKind } from './templates.js';

export interface InterventionEmailDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  /** Where SLA alerts and overdue validations go. */
  supportEmail: string;
}

/** "lun. 15/02 09:30" in Paris time, as the technician reads it. */
function parisTime(d: Date): string {
  return DateTime.fromJSDate(d, { zone: CALENDAR_TIMEZONE }).setLocale('fr').toFormat('ccc dd/LL HH:mm');
}

export function createInterventionEmailActivities({ db, mailer, supportEmail }: InterventionEmailDeps) {
  /** The parts with their catalogue label (an unknown SKU is listed as given). */
  async function partsToBring(parts: ReadonlyArray<{ sku: string; quantity: number }>) {
    if (parts.length === 0) return [];
    const labels = new Map(
      (
        await findPartLabels(
          db,
          parts.map((p) => p.sku),
        )
      ).map((p) => [p.sku, p.label]),
    );
    return parts.map((p) => ({ ...p, label: labels.get(p.sku) ?? p.sku }));
  }

  /** The leg to this assignment on the day's newest stored plan that has it (same technician and start). */
  async function legOfAssignment(a: { requestId: string; technicianId: string; scheduledStart: Date }): Promise<Leg | null> {
    const date = DateTime.fromJSDate(a.scheduledStart, { zone: CALENDAR_TIMEZONE }).toISODate()!;
    for (const plan of await listRecentPlansOfDay(db, date)) {
      const routes = (plan.result as { routes?: StoredRoute[] }).routes ?? [];
      const route = routes.find(
        (r) =>
          r.technicianId === a.technicianId &&
          r.stops.some((s) => s.requestId === a.requestId && new Date(s.start).getTime() === a.scheduledStart.getTime()),
      );
      if (route) return legOf(route, a.requestId);
    }
    return null;
  }

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
      parts?: Array<{ sku: string; quantity: number }>;
      tools?: string[];
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
      const leg = await legOfAssignment(a);
      const parts = await partsToBring(input.parts ?? []);
      const route =
        leg?.mapUrl ??
        (a.latitude !== null && a.longitude !== null
          ? `https://www.openstreetmap.org/directions?to=${a.latitude},${a.longitude}`
          : `https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`);
      const description = [
        `${ctx.ticketNumber} : ${a.title}`,
        `Problème : ${a.description}`,
        leg
          ? `Trajet : départ ${parisTime(new Date(leg.departure))} ${leg.from ? `de ${leg.from.ticketNumber} (${leg.from.siteName})` : 'du domicile'}, ` +
            `${leg.km.toLocaleString('fr-FR')} km, ${leg.minutes} min`
          : null,
        input.preparation ? `Préparation : ${input.preparation}` : null,
        parts.length ? `À apporter : ${parts.map((p) => `${p.quantity} × ${p.label} (${p.sku})`).join(', ')}` : null,
        input.tools?.length ? `Outillage : ${input.tools.join(', ')}` : null,
        a.notes ? `Notes : ${a.notes}` : null,
        a.accessInstructions ? `Accès : ${a.accessInstructions}` : null,
        contact ? `Contact sur place : ${contact}` : null,
        `Itinéraire de la journée : ${route}`,
      ]
        .filter(Boolean)
        .join('\n');
      const key = `${input.idempotencyKey}:invite`;
      const sequence = await raiseVisitSequence(db, a.requestId, key);
      const content = visitInvite(
        'REQUEST',
        {
          requestId: a.requestId,
          sequence,
          start: a.scheduledStart,
          end: a.scheduledEnd,
          summary: `${ctx.ticketNumber} – ${a.siteName}`,
          description,
          location: address,
          url: route,
        },
        { organizer: { name: 'Support', email: supportEmail }, attendee: { name, email: a.email } },
        new Date(),
      );
      await mailer.send({
        idempotencyKey: key,
        requestId: ctx.id,
        to: [a.email],
        subject: `Intervention ${ctx.ticketNumber} – ${a.siteName}`,
        text: description,
        icalEvent: { method: 'REQUEST', content },
      });
    },

    /**
     * Withdraws a technician's invite (reassignment or cancellation): METHOD:CANCEL, same UID, a
     * higher SEQUENCE. When the visit stays with the same technician (only its slot moved) nothing
     * is withdrawn: the next REQUEST, with a higher SEQUENCE, updates their event.
     */
    async cancelTechnicianInvite(input: { workflowId: string; assignmentId: string; idempotencyKey: string }): Promise<void> {
      const ctx = await requestContext(input.workflowId);
      const a = await findAssignmentForCancellation(db, input.assignmentId);
      if ((await liveTechnicianOf(db, a.requestId)) === a.technicianId) return;
      const sequence = await raiseVisitSequence(db, a.requestId, input.idempotencyKey);
      const content = visitInvite(
        'CANCEL',
        { requestId: a.requestId, sequence, start: a.scheduledStart, end: a.scheduledEnd, summary: `ANNULÉ ${ctx.ticketNumber}` },
        { organizer: { name: 'Support', email: supportEmail }, attendee: { name: `${a.firstName} ${a.lastName}`, email: a.email } },
        new Date(),
      );
      await mailer.send({
        idempotencyKey: input.idempotencyKey,
        requestId: ctx.id,
        to: [a.email],
        subject: `Annulé : intervention ${ctx.ticketNumber}`,
        text: `L'intervention ${ctx.ticketNumber} du ${parisTime(a.scheduledStart)} ne vous est plus attribuée.`,
        icalEvent: { method: 'CANCEL', content },
      });
    },
  };
}
