/**
 * The emails of an intervention, French by default with English available. Each template turns
 * the facts of one step into a subject and a plain-text body; the activity picks the recipient.
 */
import { describePriorityReason } from '../../workflows/intervention/intervention.priority.js';

export type Language = 'fr' | 'en';

export type TemplateKind =
  | 'confirmation'
  | 'info_requested'
  | 'info_reminder'
  | 'solution_proposed'
  | 'assignment'
  | 'validation_requested'
  | 'validation_reminder'
  | 'rework_planned'
  | 'cancelled'
  | 'survey'
  | 'survey_reminder'
  | 'sla_alert'
  | 'validation_overdue'
  | 'workaround';

export type TemplateData = Record<string, string | number | null | undefined | string[]>;

const PRIORITY_LABEL: Record<Language, Record<string, string>> = {
  fr: { P1: 'P1 (critique)', P2: 'P2 (haute)', P3: 'P3 (normale)', P4: 'P4 (basse)' },
  en: { P1: 'P1 (critical)', P2: 'P2 (high)', P3: 'P3 (normal)', P4: 'P4 (low)' },
};

function when(iso: unknown, lang: Language): string {
  if (typeof iso !== 'string' || !iso) return lang === 'fr' ? 'à préciser' : 'to be confirmed';
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(new Date(iso));
}

/** One "label: value" line, left out when there is no value (French puts a space before the colon). */
const labelled = (sep: string) => (label: string, value: unknown) =>
  value === undefined || value === null || value === '' ? '' : `${label}${sep}${String(value)}\n`;
const line = labelled(' : ');
/** The priority's reason in the reader's language, from its parts (see intervention.priority.ts). */
const reasonIn = (reason: unknown, lang: Language) => (typeof reason === 'string' ? describePriorityReason(reason, lang) : reason);
const lineEn = labelled(': ');

type Render = (d: TemplateData, lang: Language) => { subject: string; text: string };

const T: Record<TemplateKind, Record<Language, Render>> = {
  confirmation: {
    fr: (d, l) => ({
      subject: `[${d.ticket}] Demande reçue : ${d.title}`,
      text:
        `Bonjour,\n\nNous avons bien reçu votre demande ${d.ticket}.\n\n` +
        line('Résumé', d.title) +
        line('Priorité', PRIORITY_LABEL[l][String(d.priority)]) +
        line('Motif', reasonIn(d.priorityReason, 'fr')) +
        `Délai d'intervention estimé : ${when(d.estimatedInterventionAt, l)}\n\n` +
        `Vous pouvez suivre son avancement depuis votre portail.\n\nL'équipe support`,
    }),
    en: (d, l) => ({
      subject: `[${d.ticket}] Request received: ${d.title}`,
      text:
        `Hello,\n\nWe have received your request ${d.ticket}.\n\n` +
        lineEn('Summary', d.title) +
        lineEn('Priority', PRIORITY_LABEL[l][String(d.priority)]) +
        lineEn('Reason', reasonIn(d.priorityReason, 'en')) +
        `Estimated intervention time: ${when(d.estimatedInterventionAt, l)}\n\nYou can follow it from your portal.\n\nThe support team`,
    }),
  },
  info_requested: {
    fr: (d) => ({
      subject: `[${d.ticket}] Informations complémentaires demandées`,
      text: `Bonjour,\n\nPour traiter votre demande ${d.ticket}, nous avons besoin de précisions :\n\n${d.question}\n\nRépondez depuis votre portail.\n\nL'équipe support`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] More information needed`,
      text: `Hello,\n\nTo handle your request ${d.ticket} we need more information:\n\n${d.question}\n\nPlease answer from your portal.\n\nThe support team`,
    }),
  },
  info_reminder: {
    fr: (d) => ({
      subject: `[${d.ticket}] Rappel : informations attendues`,
      text: `Bonjour,\n\nNous attendons toujours votre réponse pour la demande ${d.ticket} :\n\n${d.question}\n\nL'équipe support`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] Reminder: information needed`,
      text: `Hello,\n\nWe are still waiting for your answer on request ${d.ticket}:\n\n${d.question}\n\nThe support team`,
    }),
  },
  solution_proposed: {
    fr: (d) => ({
      subject: `[${d.ticket}] Solution proposée`,
      text: `Bonjour,\n\nNotre équipe propose la solution suivante pour la demande ${d.ticket} :\n\n${d.solution}\n\nMerci de valider (ou refuser, avec un motif) depuis votre portail.\n\nL'équipe support`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] Solution proposed`,
      text: `Hello,\n\nOur team proposes this solution for request ${d.ticket}:\n\n${d.solution}\n\nPlease accept (or reject, with a reason) from your portal.\n\nThe support team`,
    }),
  },
  assignment: {
    fr: (d, l) => ({
      subject: `[${d.ticket}] Intervention planifiée le ${when(d.start, l)}`,
      text:
        `Bonjour,\n\nVotre intervention ${d.ticket} est planifiée.\n\n` +
        `Créneau : du ${when(d.start, l)} au ${when(d.end, l)}\n` +
        line('Technicien', d.technicianName) +
        line('Niveau', d.technicianLevel) +
        line('Compétences', Array.isArray(d.technicianSkills) ? d.technicianSkills.join(', ') : d.technicianSkills) +
        line('Note moyenne', d.technicianRating) +
        line('Contact direct', d.technicianPhone ?? d.technicianEmail) +
        `\nPréparation : ${d.preparation ?? "merci de rendre l'équipement accessible et de prévoir un interlocuteur sur place."}\n\nL'équipe support`,
    }),
    en: (d, l) => ({
      subject: `[${d.ticket}] Visit scheduled on ${when(d.start, l)}`,
      text:
        `Hello,\n\nYour intervention ${d.ticket} is scheduled.\n\n` +
        `Slot: ${when(d.start, l)} to ${when(d.end, l)}\n` +
        lineEn('Technician', d.technicianName) +
        lineEn('Level', d.technicianLevel) +
        lineEn('Skills', Array.isArray(d.technicianSkills) ? d.technicianSkills.join(', ') : d.technicianSkills) +
        lineEn('Rating', d.technicianRating) +
        lineEn('Direct contact', d.technicianPhone ?? d.technicianEmail) +
        `\nPreparation: ${d.preparation ?? 'please make the equipment accessible and have someone on site.'}\n\nThe support team`,
    }),
  },
  validation_requested: {
    fr: (d) => ({
      subject: `[${d.ticket}] Rapport d'intervention à valider`,
      text: `Bonjour,\n\nL'intervention ${d.ticket} est terminée.\n\nRapport : ${d.summary}\n${Array.isArray(d.recommendations) && d.recommendations.length ? `\nRecommandations préventives :\n- ${d.recommendations.join('\n- ')}\n` : ''}\nMerci de valider ou de refuser (avec un motif) depuis votre portail.\n\nL'équipe support`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] Intervention report to validate`,
      text: `Hello,\n\nIntervention ${d.ticket} is complete.\n\nReport: ${d.summary}\n${Array.isArray(d.recommendations) && d.recommendations.length ? `\nPreventive recommendations:\n- ${d.recommendations.join('\n- ')}\n` : ''}\nPlease accept or reject (with a reason) from your portal.\n\nThe support team`,
    }),
  },
  validation_reminder: {
    fr: (d) => ({
      subject: `[${d.ticket}] Rappel ${d.count} : validation attendue`,
      text: `Bonjour,\n\nNous attendons votre validation de l'intervention ${d.ticket}.\n\nL'équipe support`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] Reminder ${d.count}: validation pending`,
      text: `Hello,\n\nWe are waiting for your validation of intervention ${d.ticket}.\n\nThe support team`,
    }),
  },
  rework_planned: {
    fr: (d) => ({
      subject: `[${d.ticket}] Reprise de l'intervention`,
      text: `Bonjour,\n\nVous avez refusé l'intervention ${d.ticket} (${d.reason}). Une nouvelle intervention va être planifiée.\n\nL'équipe support`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] Intervention to be redone`,
      text: `Hello,\n\nYou rejected intervention ${d.ticket} (${d.reason}). A new visit will be scheduled.\n\nThe support team`,
    }),
  },
  cancelled: {
    fr: (d) => ({
      subject: `[${d.ticket}] Demande annulée`,
      text: `Bonjour,\n\nLa demande ${d.ticket} a été annulée : ${d.reason}\n\nL'équipe support`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] Request cancelled`,
      text: `Hello,\n\nRequest ${d.ticket} was cancelled: ${d.reason}\n\nThe support team`,
    }),
  },
  survey: {
    fr: (d) => ({
      subject: `[${d.ticket}] Votre avis sur notre intervention`,
      text: `Bonjour,\n\nMerci de nous avoir fait confiance pour ${d.ticket}. Notez notre intervention de 1 à 5 depuis votre portail.\n\nL'équipe support`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] How did we do?`,
      text: `Hello,\n\nThank you for trusting us with ${d.ticket}. Please rate our intervention from 1 to 5 in your portal.\n\nThe support team`,
    }),
  },
  survey_reminder: {
    fr: (d) => ({
      subject: `[${d.ticket}] Rappel : votre avis compte`,
      text: `Bonjour,\n\nIl vous reste quelques jours pour noter l'intervention ${d.ticket}.\n\nL'équipe support`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] Reminder: your feedback`,
      text: `Hello,\n\nThere are a few days left to rate intervention ${d.ticket}.\n\nThe support team`,
    }),
  },
  sla_alert: {
    fr: (d, l) => ({
      subject: `[${d.ticket}] SLA ${d.milestone}`,
      text: `Demande ${d.ticket} (${d.priority}) : ${d.milestone}.\nÉchéance : ${when(d.dueAt, l)}\nAction : ${d.action}`,
    }),
    en: (d, l) => ({
      subject: `[${d.ticket}] SLA ${d.milestone}`,
      text: `Request ${d.ticket} (${d.priority}): ${d.milestone}.\nDue: ${when(d.dueAt, l)}\nAction: ${d.action}`,
    }),
  },
  validation_overdue: {
    fr: (d) => ({
      subject: `[${d.ticket}] Validation client sans réponse`,
      text: `Le client n'a pas validé l'intervention ${d.ticket} après ${d.count} rappels. Merci de le contacter.`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] Client validation unanswered`,
      text: `The client has not validated intervention ${d.ticket} after ${d.count} reminders. Please call them.`,
    }),
  },
  // A workaround article attached to a request that stays open (knowledge base, issue 11).
  workaround: {
    fr: (d) => ({
      subject: `[${d.ticket}] Solution de contournement disponible`,
      text:
        `Bonjour,\n\nEn attendant la résolution définitive de votre demande ${d.ticket}, une solution de contournement ` +
        `est disponible : « ${d.articleTitle} ».\n\nVous la trouverez sur votre demande dans le portail : ${d.link}\n\n` +
        `Votre demande reste ouverte et suivie.\n\nL'équipe support`,
    }),
    en: (d) => ({
      subject: `[${d.ticket}] Workaround available`,
      text:
        `Hello,\n\nWhile we work on a permanent fix for request ${d.ticket}, a workaround is available: "${d.articleTitle}".\n\n` +
        `You will find it on your request in the portal: ${d.link}\n\nYour request stays open and followed.\n\nThe support team`,
    }),
  },
};

export function renderEmail(kind: TemplateKind, data: TemplateData, lang: Language = 'fr'): { subject: string; text: string } {
  return T[kind][lang](data, lang);
}
