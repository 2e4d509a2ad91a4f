import { DEFAULT_WEIGHTS, type Priority, type Problem, type Technician, type Visit } from '../index.js';

/** Small seeded generator (mulberry32), independent of the optimizer's. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SKILLS = ['network', 'workstation', 'printer', 'server', 'telephony', 'security'] as const;

/**
 * A realistic field-service day in Île-de-France (times in minutes from midnight): technicians
 * based around Paris with skills (levels 1-5), some electrical clearance, 7:30-17:00 shifts, a
 * 45-minute lunch between 11:30 and 13:30, up to 1 h overtime; visits with P1-P4 priorities,
 * booked half-day slots, SLA targets, a few pins and preferences, optional P4 maintenance.
 */
export function generateDispatchDay(seed = 42, technicianCount = 40, visitCount = 300): Problem {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  // Paris-centred, denser in the centre (inner suburbs), up to ~35 km out.
  const place = (spread: number) => {
    const a = r() * 2 * Math.PI;
    const d = Math.pow(r(), 1.5) * spread;
    return { lat: 48.8566 + d * Math.sin(a) * 0.6, lon: 2.3522 + d * Math.cos(a) * 0.9 };
  };
  const technicians: Technician[] = [];
  for (let i = 0; i < technicianCount; i++) {
    const skills: Record<string, number> = { workstation: 2 + Math.floor(r() * 4) };
    for (const s of SKILLS) if (s !== 'workstation' && r() < 0.45) skills[s] = 1 + Math.floor(r() * 5);
    const start = r() < 0.25 ? 450 : 480;
    technicians.push({
      id: `tech-${String(i + 1).padStart(2, '0')}`,
      skills,
      certifications: r() < 0.3 ? ['habilitation-electrique'] : [],
      shiftStart: start,
      shiftEnd: start + (r() < 0.1 ? 240 : 540),
      maxOvertime: 60,
      home: place(0.3),
      lunchBreak: { earliestStart: 690, latestStart: 810, duration: 45 },
      hourlyCost: 35 + Math.floor(r() * 25),
      rating: 3 + Math.round(r() * 20) / 10,
    });
  }
  const visits: Visit[] = [];
  for (let i = 0; i < visitCount; i++) {
    const x = r();
    const priority: Priority = x < 0.05 ? 1 : x < 0.25 ? 2 : x < 0.7 ? 3 : 4;
    const skill = r() < 0.45 ? 'workstation' : pick(SKILLS);
    const minLevel = priority === 1 ? 1 : 1 + Math.floor(r() * 3);
    const duration = pick([20, 30, 30, 45, 45, 45, 60, 60, 90]);
    let timeWindows: { start: number; end: number }[] | undefined;
    let slaTarget: number | undefined;
    if (priority === 1) {
      timeWindows = [{ start: 480, end: 840 }];
      slaTarget = 660;
    } else if (priority === 2) {
      slaTarget = 720 + Math.floor(r() * 240);
    } else if (r() < 0.5) {
      timeWindows = r() < 0.5 ? [{ start: 480, end: 720 - duration }] : [{ start: 810, end: 1020 - duration }];
      if (r() < 0.2)
        timeWindows = [
          { start: 480, end: 600 },
          { start: 840, end: 960 },
        ];
    }
    const v: Visit = {
      id: `visit-${String(i + 1).padStart(3, '0')}`,
      location: place(0.33),
      duration,
      requiredSkills: [{ skill, minLevel }],
      ...(r() < 0.08 ? { requiredCertifications: ['habilitation-electrique'] } : {}),
      scaleDurationBySkill: r() < 0.5,
      ...(timeWindows ? { timeWindows } : {}),
      ...(slaTarget !== undefined ? { slaTarget } : {}),
      priority,
      ...(priority === 4 && r() < 0.4 ? { optional: true } : {}),
    };
    visits.push(v);
  }
  // A few dispatcher overrides: preferences and pins on technicians that are qualified.
  const qualified = (t: Technician, v: Visit) =>
    (v.requiredSkills ?? []).every((s) => (t.skills?.[s.skill] ?? 0) >= (s.minLevel ?? 1)) &&
    (v.requiredCertifications ?? []).every((c) => t.certifications?.includes(c));
  return {
    technicians,
    visits: visits.map((v, i) => {
      const q = technicians.filter((t) => qualified(t, v));
      if (q.length === 0) return v;
      if (i % 30 === 7 && v.priority > 1) return { ...v, pinnedTechnicianId: pick(q).id };
      if (i % 10 === 3) return { ...v, preferredTechnicianId: pick(q).id };
      return v;
    }),
  };
}

/** What `generateRealisticDay` adds to a day: the raw facts the independent checker reads. */
export interface GeneratedFacts {
  readonly day: string;
  readonly openRanges: Map<string, { start: number; end: number }[]>;
  readonly requiredCertifications: Map<string, string[]>;
  readonly heldCertifications: Map<string, { name: string; obtainedOn: string; expiresOn: string | null }[]>;
}

const OFFICE = [
  { start: 510, end: 720 },
  { start: 840, end: 1080 },
];
const CONTINUOUS = [{ start: 540, end: 1050 }];
const MORNINGS = [{ start: 480, end: 750 }];

/**
 * `generateDispatchDay` with the world's facts: sites with opening hours (office hours with a
 * lunch closure, continuous, mornings only, none recorded) and a few closed that day; certificates
 * with dates (some expired the week before: held, not valid) and a client's security vetting some
 * visits require. Each visit's windows are its booked slot intersected with its site's open
 * ranges, shrunk so that the slowest allowed technician finishes before closing (a closed site:
 * no window); technicians carry only the certifications valid that day, as the daily plan does.
 */
export function generateRealisticDay(seed = 42, technicianCount = 40, visitCount = 300): { problem: Problem; facts: GeneratedFacts } {
  const base = generateDispatchDay(seed, technicianCount, visitCount);
  const r = rng(seed + 7919);
  const day = '2026-11-23';
  const valid = { obtainedOn: '2024-03-01', expiresOn: '2027-03-01' };
  const expired = { obtainedOn: '2023-11-16', expiresOn: '2026-11-16' };
  const heldCertifications = new Map<string, { name: string; obtainedOn: string; expiresOn: string | null }[]>();
  const technicians = base.technicians.map((t) => {
    const held = (t.certifications ?? []).map((name) => ({ name, ...valid }));
    if (held.length === 0 && r() < 0.2) held.push({ name: 'habilitation-electrique', ...expired });
    const vetting = r();
    if (vetting < 0.3) held.push({ name: 'habilitation-banque-lutece', ...valid });
    else if (vetting < 0.4) held.push({ name: 'habilitation-banque-lutece', ...expired });
    heldCertifications.set(t.id, held);
    const current = held.filter((c) => c.obtainedOn <= day && (c.expiresOn === null || c.expiresOn > day)).map((c) => c.name);
    return { ...t, certifications: current };
  });
  const openRanges = new Map<string, { start: number; end: number }[]>();
  const requiredCertifications = new Map<string, string[]>();
  const visits = base.visits.map((v): Visit => {
    const x = r();
    const mayClose = v.priority > 1 && !v.pinnedTechnicianId;
    const ranges = x < 0.35 ? OFFICE : x < 0.5 ? CONTINUOUS : x < 0.55 ? MORNINGS : x < 0.59 && mayClose ? [] : undefined;
    const certs = [...(v.requiredCertifications ?? [])];
    if (v.priority > 1 && !v.pinnedTechnicianId && r() < 0.06) certs.push('habilitation-banque-lutece');
    if (certs.length) requiredCertifications.set(v.id, certs);
    const withCerts = certs.length ? { ...v, requiredCertifications: certs } : v;
    if (!ranges) return withCerts;
    openRanges.set(v.id, ranges);
    const minLevel = Math.min(...(v.requiredSkills ?? []).map((s) => s.minLevel ?? 1), 5);
    const longest = v.scaleDurationBySkill ? v.duration * DEFAULT_WEIGHTS.durationFactorByLevel[minLevel - 1]! : v.duration;
    const open = ranges.map((o) => ({ start: o.start, end: o.end - longest })).filter((w) => w.end >= w.start);
    const booked = v.timeWindows ?? [{ start: -Infinity, end: Infinity }];
    let windows = booked.flatMap((b) =>
      open.map((o) => ({ start: Math.max(b.start, o.start), end: Math.min(b.end, o.end) })).filter((w) => w.end >= w.start),
    );
    // A booked slot that misses the opening hours is re-booked within them (the client would be called).
    if (windows.length === 0) windows = open;
    return { ...withCerts, timeWindows: windows.sort((a, b) => a.start - b.start) };
  });
  return { problem: { technicians, visits }, facts: { day, openRanges, requiredCertifications, heldCertifications } };
}
