import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

const account = { email: 'claire.martin@client.test', displayName: 'Claire Martin' };
const problem = (password: string) => passwordProblem(password, account)?.code ?? null;

describe('password policy (ASVS 2.1)', () => {
  it('refuses what the outside probe got accepted: twelve spaces, one letter repeated', () => {
    expect(problem(' '.repeat(12))).toBe('repeated_character');
    expect(problem('z'.repeat(12))).toBe('repeated_character');
  });

  it('counts code points, not UTF-16 units: six emoji are six characters', () => {
    expect(problem('🔑'.repeat(6))).toBe('too_short');
    expect(problem('abc def gh')).toBe('too_short');
    expect(passwordProblem('🔑'.repeat(6))?.message).toContain('got 6');
  });

  it('refuses common and breached passwords, and patterns zxcvbn finds guessable', () => {
    expect(problem('password1234')).toBe('common_password');
    expect(problem('Password1234')).toBe('common_password');
    for (const weak of ['motdepasse123', 'azertyuiop123', 'iloveyou2026', 'Password123!']) expect(problem(weak), weak).toBe('guessable');
  });

  it("refuses a password containing the account's email or name", () => {
    expect(problem('claire.martin@client.test!')).toBe('contains_identity');
    expect(problem('xx Claire Martin 2026 xx')).toBe('contains_identity');
    expect(problem('claire.martin-secret-phrase')).toBe('contains_identity');
  });

  it('accepts long passphrases, spaces and any Unicode, with no composition rule', () => {
    for (const good of [
      'correct horse battery staple',
      'ventilateur rouge ciel',
      'Été brûlant à Kyōto 夏',
      'le technicien passe le mardi, la imprimante du troisième étage refuse toujours les bacs A3 et personne ne sait pourquoi depuis la mise à jour de juin',
    ]) {
      expect(problem(good), good).toBeNull();
    }
    expect(problem('x'.repeat(1025) + 'yz')).toBe('too_long');
  });

  it('keeps accepting the README demo passwords as passwords (the seed sets them without the identity rule)', () => {
    for (const role of ['admin', 'support-agent', 'dispatcher', 'finance', 'technician', 'client-admin', 'client-user']) {
      expect(passwordProblem(`demo-${role}-2026`), role).toBeNull();
    }
  });
});
