import type { CostEvaluator } from './cost/cost-evaluator.js';
import type { CompiledProblem } from './model/compiled-problem.js';
import type { UnassignedReasonCode, UnassignedVisit } from './result.types.js';

/** A phrase in both languages: the French one is written, never derived from the English. */
interface Phrase {
  en: string;
  fr: string;
}

function msg(reason: UnassignedReasonCode, detail: Phrase): Phrase {
  switch (reason) {
    case 'NO_QUALIFIED_TECHNICIAN':
      return { en: `No available technician has ${detail.en}.`, fr: `Aucun technicien disponible n'a ${detail.fr}.` };
    case 'PINNED_TECHNICIAN_UNAVAILABLE':
      return {
        en: `The pinned technician ${detail.en} is not available today.`,
        fr: `Le technicien imposé ${detail.fr} n'est pas disponible aujourd'hui.`,
      };
    case 'PINNED_TIME_OUTSIDE_WINDOWS':
      return {
        en: 'The pinned time is outside every allowed time window.',
        fr: "L'heure imposée est en dehors de tous les créneaux autorisés.",
      };
    case 'NO_TIME_WINDOW':
      return { en: 'No start time is allowed that day.', fr: "Aucune heure de début n'est possible ce jour-là." };
    case 'WINDOW_UNREACHABLE':
      return {
        en: 'The time window closes before any qualified technician can arrive (or finish within the shift).',
        fr: "Le créneau se ferme avant qu'un technicien qualifié puisse arriver (ou terminer dans son horaire).",
      };
    case 'EXCEEDS_CAPACITY':
      return {
        en: 'The visit needs more capacity than any vehicle has.',
        fr: "L'intervention demande plus de capacité qu'aucun véhicule n'en a.",
      };
    case 'QUALIFIED_TECHNICIANS_FULL':
      return { en: 'All qualified technicians are fully booked.', fr: 'Tous les techniciens qualifiés ont un planning complet.' };
  }
}

/** Explains, in dispatcher words, why each unassigned visit could not be planned. */
export function explainUnassigned(p: CompiledProblem, ev: CostEvaluator, unassigned: readonly number[]): UnassignedVisit[] {
  const out: UnassignedVisit[] = [];
  const one = new Int32Array(1);
  for (const v of [...unassigned].sort((a, b) => a - b)) {
    const visit = p.visits[v]!;
    let reason: UnassignedReasonCode;
    let detail: Phrase = { en: '', fr: '' };
    if (visit.pinnedTechnicianId !== undefined && !p.technicians.some((t) => t.id === visit.pinnedTechnicianId)) {
      reason = 'PINNED_TECHNICIAN_UNAVAILABLE';
      detail = { en: visit.pinnedTechnicianId, fr: visit.pinnedTechnicianId };
    } else if (visit.timeWindows?.length === 0) {
      reason = 'NO_TIME_WINDOW';
    } else if (p.winOffset[v + 1] === p.winOffset[v]) {
      reason = 'PINNED_TIME_OUTSIDE_WINDOWS';
    } else {
      const qualified: number[] = [];
      for (let k = 0; k < p.m; k++) if (p.allowed[k * p.n + v] === 1) qualified.push(k);
      if (qualified.length === 0) {
        reason = 'NO_QUALIFIED_TECHNICIAN';
        const missing: Phrase[] = [];
        for (const r of visit.requiredSkills ?? []) {
          const lvl = r.minLevel ?? 1;
          if (!p.technicians.some((t) => (t.skills?.[r.skill] ?? 0) >= lvl)) {
            missing.push({
              en: `skill "${r.skill}"${lvl > 1 ? ` (level ≥ ${lvl})` : ''}`,
              fr: `la compétence « ${r.skill} »${lvl > 1 ? ` (niveau ≥ ${lvl})` : ''}`,
            });
          }
        }
        for (const c of visit.requiredCertifications ?? []) {
          if (!p.technicians.some((t) => t.certifications?.includes(c)))
            missing.push({ en: `certification "${c}"`, fr: `la certification « ${c} »` });
        }
        // Each requirement is met by someone, but nobody meets them all at once.
        detail =
          missing.length > 0
            ? { en: missing.map((m) => m.en).join(' and '), fr: missing.map((m) => m.fr).join(' et ') }
            : {
                en: 'the required combination of skills and certifications',
                fr: 'la combinaison de compétences et de certifications requise',
              };
      } else if (qualified.every((k) => p.demand[v]! > p.capacity[k]!)) {
        reason = 'EXCEEDS_CAPACITY';
      } else {
        one[0] = v;
        const alone = qualified.some((k) => Number.isFinite(ev.routeCost(k, one, 1)));
        reason = alone ? 'QUALIFIED_TECHNICIANS_FULL' : 'WINDOW_UNREACHABLE';
      }
    }
    out.push({ visitId: visit.id, priority: visit.priority, reason, message: msg(reason, detail) });
  }
  return out;
}
