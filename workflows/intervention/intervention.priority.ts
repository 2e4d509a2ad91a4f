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
