import type { Level, Priority } from './intervention.vocabulary.js';

/**
 * Initial priority from business impact (rows) × urgency (columns), an ITIL-style matrix
 * extended to four levels. The contract may then raise it (see the lifecycle's priority rules).
 */
const MATRIX: Record<Level, Record<Level, Priority>> = {
  low: { low: 'P4', medium: 'P4', high: 'P3', critical: 'P3' },
  medium: { low: 'P4', medium: 'P3', high: 'P3', critical: 'P2' },
  high: { low: 'P3', medium: 'P2', high: 'P2', critical: 'P1' },
  critical: { low: 'P3', medium: 'P2', high: 'P1', critical: 'P1' },
};

export function initialPriority(impact: Level, urgency: Level): Priority {
  return MATRIX[impact][urgency];
}

const ONE_UP: Record<Priority, Priority> = { P4: 'P3', P3: 'P2', P2: 'P1', P1: 'P1' };

/**
 * Priority of a new request: the impact × urgency matrix, then the contract. A premium contract
 * raises it one level. The reason is kept so the client and support see why.
 */
export function priorityFor(impact: Level, urgency: Level, contract: { kind: string } | null): { priority: Priority; reason: string } {
  const base = initialPriority(impact, urgency);
  const matrix = `impact ${impact} × urgency ${urgency} → ${base}`;
  if (contract?.kind === 'premium' && base !== 'P1') {
    return { priority: ONE_UP[base], reason: `${matrix}; premium contract: raised to ${ONE_UP[base]}` };
  }
  return { priority: base, reason: matrix };
}

/** The parts of a reason `priorityFor` wrote: what each reader's language renders. */
export interface PriorityReasonParts {
  impact: Level;
  urgency: Level;
  base: Priority;
  /** Set when the premium contract raised the matrix's priority. */
  raisedTo?: Priority;
}

const LEVELS = 'low|medium|high|critical';
const REASON = new RegExp(`^impact (${LEVELS}) × urgency (${LEVELS}) → (P[1-4])(?:; premium contract: raised to (P[1-4]))?$`);

/** The parts of a reason written by `priorityFor`; undefined for any other text (a person's own words). */
export function priorityReasonParts(reason: string): PriorityReasonParts | undefined {
  const m = REASON.exec(reason.trim());
  if (!m) return undefined;
  return {
    impact: m[1] as Level,
    urgency: m[2] as Level,
    base: m[3] as Priority,
    ...(m[4] ? { raisedTo: m[4] as Priority } : {}),
  };
}

const LEVEL_WORDS: Record<'fr' | 'en', { impact: Record<Level, string>; urgency: Record<Level, string> }> = {
  // Impact is masculine and urgence feminine in French.
  fr: {
    impact: { low: 'faible', medium: 'moyen', high: 'élevé', critical: 'critique' },
    urgency: { low: 'faible', medium: 'moyenne', high: 'élevée', critical: 'critique' },
  },
  en: {
    impact: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
    urgency: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
  },
};

/**
 * The priority reason in the reader's language, rendered from its parts; a reason that is not
 * `priorityFor`'s (a support agent's own words when changing a priority) is kept as written.
 */
export function describePriorityReason(reason: string, language: 'fr' | 'en'): string {
  const parts = priorityReasonParts(reason);
  if (!parts) return reason;
  const w = LEVEL_WORDS[language];
  if (language === 'fr') {
    const matrix = `impact ${w.impact[parts.impact]} × urgence ${w.urgency[parts.urgency]} → ${parts.base}`;
    return parts.raisedTo ? `${matrix} ; contrat premium : relevée à ${parts.raisedTo}` : matrix;
  }
  const matrix = `impact ${w.impact[parts.impact]} × urgency ${w.urgency[parts.urgency]} → ${parts.base}`;
  return parts.raisedTo ? `${matrix}; premium contract: raised to ${parts.raisedTo}` : matrix;
}
