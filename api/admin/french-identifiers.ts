/**
 * French company identifiers: SIREN (9 digits) and SIRET (SIREN + 5-digit establishment number)
 * carry a Luhn check digit; La Poste's establishments (SIREN 356 000 000) use instead a digit sum
 * that is a multiple of 5. The intra-community VAT number of a French company is
 * FR + key + SIREN, the key being (12 + 3 × (SIREN mod 97)) mod 97.
 */

/** Luhn (mod 10) over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const LA_POSTE_SIREN = '356000000';

/** Why a SIREN is refused, or null when it is valid. */
export function sirenProblem(siren: string): string | null {
  if (!/^[0-9]{9}$/.test(siren)) return 'expected 9 digits';
  return luhnValid(siren) ? null : 'invalid check digit (Luhn key)';
}

/** Why a SIRET is refused, or null when it is valid. */
export function siretProblem(siret: string): string | null {
  if (!/^[0-9]{14}$/.test(siret)) return 'expected 14 digits';
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== `${LA_POSTE_SIREN}00048`) {
    const sum = [...siret].reduce((total, d) => total + Number(d), 0);
    return sum % 5 === 0 ? null : 'invalid check digit';
  }
  return luhnValid(siret) ? null : 'invalid check digit (Luhn key)';
}

/** The French VAT number of a SIREN. */
export function frenchVatNumber(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}

/**
 * Why a VAT number is refused, or null. Any EU-style number (two letters, 2–13 letters or
 * digits); a French one with a numeric key must carry the key of its SIREN.
 */
export function vatNumberProblem(vat: string): string | null {
  if (!/^[A-Z]{2}[0-9A-Z+*]{2,13}$/.test(vat)) return 'expected a country code and 2 to 13 letters or digits, e.g. FR40303265045';
  const french = /^FR([0-9]{2})([0-9]{9})$/.exec(vat);
  if (french && frenchVatNumber(french[2]!) !== vat) return 'the key does not match the SIREN';
  return null;
}
