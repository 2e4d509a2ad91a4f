/** Certification requirements of a visit, and expiry: a certification expired on the plan's day does not count. */
import { describe, expect, it } from 'vitest';
import { maxIterations, solve } from '../../optimizer/index.js';
import { buildDayProblem, validCertifications, type OpenRequest, type TechnicianDay } from './day-problem.js';

const DATE = '2026-11-23';
const BR = 'Habilitation électrique BR';
const VETTING = 'Habilitation sécurité Banque Lutèce';

const tech = (id: string, certifications: TechnicianDay['certifications']): TechnicianDay => ({
  id,
  name: id,
  homeLatitude: 48.8589,
  homeLongitude: 2.3799,
  hourlyCostCents: 4200,
  maxOvertimeMinutes: 60,
  rating: 4.5,
  skills: [{ skill: 'hardware_upgrade', level: 3 }],
  certifications,
  shift: { startsAt: '08:30:00', endsAt: '17:30:00', lunchEarliest: '12:00:00', lunchLatest: '14:00:00', lunchMinutes: 45 },
  absences: [],
});
const request = (requiredCertifications: string[]): OpenRequest => ({
  requestId: 'r1',
  ticketNumber: 'INT-2026-000001',
  title: 'Ajout de barrettes mémoire',
  companyName: 'Banque Lutèce',
  siteName: 'La Défense',
  serviceType: 'hardware_upgrade',
  priority: 'P2',
  supportLevel: 1,
  latitude: 48.8918,
  longitude: 2.2389,
  responseDueAt: null,
  resolutionDueAt: null,
  requiredCertifications,
});

describe('validCertifications', () => {
  const certs = [
    { name: BR, obtainedOn: '2023-05-10', expiresOn: '2026-11-23' },
    { name: VETTING, obtainedOn: '2026-11-24', expiresOn: null },
    { name: 'CompTIA A+', obtainedOn: '2022-01-01', expiresOn: null },
  ];

  it('counts a certification from the day it was obtained until the day before it expires', () => {
    expect(validCertifications(certs, '2026-11-22')).toEqual(['CompTIA A+', BR]);
    expect(validCertifications(certs, '2026-11-23')).toEqual(['CompTIA A+']);
    expect(validCertifications(certs, '2026-11-24')).toEqual(['CompTIA A+', VETTING]);
    expect(validCertifications(undefined, '2026-11-24')).toEqual([]);
  });
});

describe('certification requirements in the day’s plan', () => {
  const expired = tech('expired', [{ name: BR, obtainedOn: '2023-05-10', expiresOn: '2026-11-20' }]);
  const valid = tech('valid', [
    { name: BR, obtainedOn: '2023-05-10', expiresOn: '2027-05-10' },
    { name: VETTING, obtainedOn: '2025-01-06', expiresOn: null },
  ]);

  it('gives the optimizer the requirements and only the certifications valid that day', () => {
    const { problem } = buildDayProblem(DATE, [expired, valid], [request([BR, VETTING])]);
    expect(problem.visits[0]!.requiredCertifications).toEqual([BR, VETTING]);
    expect(problem.technicians.map((t) => [t.id, t.certifications])).toEqual([
      ['expired', []],
      ['valid', [BR, VETTING].sort()],
    ]);
  });

  it('plans the visit with the technician whose certification is valid, though the other is nearer and cheaper', async () => {
    const near = { ...expired, homeLatitude: 48.89, homeLongitude: 2.24, hourlyCostCents: 3000 };
    const { problem } = buildDayProblem(DATE, [near, valid], [request([BR])]);
    const result = await solve(problem, { seed: 1, stop: maxIterations(2000) });
    expect(result.routes.find((r) => r.stops.length > 0)?.technicianId).toBe('valid');
  });

  it('leaves the visit unassigned, naming the certification, when nobody holds it valid that day', async () => {
    const { problem } = buildDayProblem(DATE, [expired], [request([BR])]);
    const result = await solve(problem, { seed: 1, stop: maxIterations(500) });
    expect(result.unassigned).toEqual([
      expect.objectContaining({
        visitId: 'r1',
        reason: 'NO_QUALIFIED_TECHNICIAN',
        message: {
          en: `No available technician has certification "${BR}".`,
          fr: `Aucun technicien disponible n'a la certification « ${BR} ».`,
        },
      }),
    ]);
  });
});
