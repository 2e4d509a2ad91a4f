import { describe, expect, it } from 'vitest';
import { frenchVatNumber, luhnValid, sirenProblem, siretProblem, vatNumberProblem } from './french-identifiers.js';

describe('French company identifiers', () => {
  it('accepts real SIREN and SIRET numbers and refuses a wrong check digit', () => {
    // Danone's SIREN and one of its SIRETs.
    expect(sirenProblem('552032534')).toBeNull();
    expect(siretProblem('55203253400646')).toBeNull();
    expect(sirenProblem('552032535')).toMatch(/Luhn/);
    expect(siretProblem('55203253400647')).toMatch(/Luhn/);
    expect(siretProblem('5520325340064')).toMatch(/14 digits/);
  });

  it("checks La Poste's establishments by their digit sum", () => {
    expect(siretProblem('35600000000048')).toBeNull();
    expect(siretProblem('35600000000001')).toBeNull(); // digit sum 15
    expect(siretProblem('35600000000002')).not.toBeNull();
  });

  it('computes and checks the French VAT key', () => {
    expect(frenchVatNumber('552032534')).toBe('FR27552032534');
    expect(vatNumberProblem('FR27552032534')).toBeNull();
    expect(vatNumberProblem('FR12552032534')).toMatch(/key/);
    expect(vatNumberProblem('DE123456789')).toBeNull();
    expect(vatNumberProblem('fr27552032534')).not.toBeNull();
  });

  it('is a plain Luhn check', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });
});
