import { describe, expect, it } from 'vitest';
import { priorityFor } from './intervention.priority.js';

describe('initial priority from impact × urgency and the contract', () => {
  it('uses the matrix alone on a standard contract, and says so', () => {
    expect(priorityFor('high', 'medium', { kind: 'standard' })).toEqual({ priority: 'P2', reason: 'impact high × urgency medium → P2' });
  });
  it('raises one level on a premium contract, with the reason recorded', () => {
    const p = priorityFor('low', 'low', { kind: 'premium' });
    expect(p.priority).toBe('P3');
    expect(p.reason).toContain('premium');
  });
  it('never goes above P1', () => {
    expect(priorityFor('critical', 'critical', { kind: 'premium' }).priority).toBe('P1');
  });
});
