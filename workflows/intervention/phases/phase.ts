/** The stages between analysis and acceptance, which can loop (information, rework, escalation). */
export type Phase = 'analysis' | 'planning' | 'work' | 'validation' | 'accepted';
