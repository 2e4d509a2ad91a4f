import { describe, expect, it } from 'vitest';
import { priorityFor } from '../../workflows/intervention/intervention.priority.js';
import { hostOfInstance, levelOfSeverity } from './alertmanager.js';

describe('Alertmanager labels', () => {
  it('maps severity to the priority the intake gives (standard contract)', () => {
    const priority = (severity: string | undefined) => priorityFor(levelOfSeverity(severity), levelOfSeverity(severity), null).priority;
    expect(['critical', 'page', 'error', 'major', 'high', 'warning', 'minor', 'medium', 'info', 'none', undefined].map(priority)).toEqual([
      'P1',
      'P1',
      'P2',
      'P2',
      'P2',
      'P3',
      'P3',
      'P3',
      'P4',
      'P4',
      'P4',
    ]);
    expect(priority('CRITICAL')).toBe('P1');
  });

  it('takes the host of an instance label', () => {
    expect(hostOfInstance('SRV-01:9100')).toBe('srv-01');
    expect(hostOfInstance('srv-01.example.fr')).toBe('srv-01.example.fr');
    expect(hostOfInstance('https://srv-01.example.fr:8443/metrics')).toBe('srv-01.example.fr');
    expect(hostOfInstance('[2001:db8::1]:9100')).toBe('2001:db8::1');
    expect(hostOfInstance('2001:db8::1')).toBe('2001:db8::1');
    expect(hostOfInstance('10.0.0.5:9182')).toBe('10.0.0.5');
    expect(hostOfInstance('')).toBeNull();
    expect(hostOfInstance(undefined)).toBeNull();
  });
});
