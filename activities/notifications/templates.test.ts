import { describe, expect, it } from 'vitest';
import { priorityFor } from '../../workflows/intervention/intervention.priority.js';
import { renderEmail } from './templates.js';

describe('intervention emails', () => {
  it('are written in French by default, with the ticket, priority and estimated time', () => {
    const mail = renderEmail('confirmation', {
      ticket: 'INT-2026-000123',
      title: 'Poste HS',
      priority: 'P2',
      estimatedInterventionAt: '2026-11-23T09:00:00.000Z',
    });
    expect(mail.subject).toBe('[INT-2026-000123] Demande reçue : Poste HS');
    expect(mail.text).toContain('P2 (haute)');
    expect(mail.text).toContain('lundi 23 novembre 2026');
    expect(mail.text).toContain('10:00');
  });

  it('are available in English', () => {
    const mail = renderEmail(
      'assignment',
      {
        ticket: 'INT-2026-000123',
        start: '2026-11-23T09:00:00.000Z',
        end: '2026-11-23T11:00:00.000Z',
        technicianName: 'Julien Moreau',
        technicianSkills: ['hardware_repair (4/5)'],
      },
      'en',
    );
    expect(mail.subject).toBe('[INT-2026-000123] Visit scheduled on Monday, 23 November 2026 at 10:00');
    expect(mail.text).toContain('Technician: Julien Moreau');
    expect(mail.text).toContain('Skills: hardware_repair (4/5)');
  });

  it('tell the client a workaround is available while the request stays open', () => {
    const mail = renderEmail('workaround', {
      ticket: 'INT-2026-000124',
      articleTitle: 'Imprimer via le serveur',
      link: '/requests/INT-2026-000124',
    });
    expect(mail.subject).toBe('[INT-2026-000124] Solution de contournement disponible');
    expect(mail.text).toContain('« Imprimer via le serveur »');
    expect(mail.text).toContain('reste ouverte');
  });

  it("write the priority's reason in the reader's language, from its parts", () => {
    const { reason } = priorityFor('medium', 'high', { kind: 'premium' });
    expect(reason).toBe('impact medium × urgency high → P3; premium contract: raised to P2');
    const data = { ticket: 'INT-2026-000125', title: 'Poste HS', priority: 'P2', priorityReason: reason };
    const fr = renderEmail('confirmation', data, 'fr').text;
    expect(fr).toContain('Motif : impact moyen × urgence élevée → P3 ; contrat premium : relevée à P2');
    expect(fr).not.toContain('urgency');
    expect(renderEmail('confirmation', data, 'en').text).toContain(
      'Reason: impact medium × urgency high → P3; premium contract: raised to P2',
    );
    // A support agent's own words (a priority changed by hand) are kept as written.
    const own = renderEmail('confirmation', { ...data, priorityReason: 'Client VIP, arrêt de production' }, 'en').text;
    expect(own).toContain('Reason: Client VIP, arrêt de production');
    expect(renderEmail('confirmation', { ...data, priorityReason: priorityFor('low', 'low', null).reason }, 'fr').text).toContain(
      'Motif : impact faible × urgence faible → P4',
    );
  });
});
