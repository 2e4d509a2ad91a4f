/**
 * The password policy (OWASP ASVS 4.0 level 2, V2.1; NIST SP 800-63B 5.1.1.2), applied wherever a
 * password is set through the API (account creation, change):
 * - at least 12 characters, counted as Unicode code points after NFKC (what is hashed), at most
 *   1024; spaces and any Unicode allowed, no composition rules (V2.1.1, 2.1.2, 2.1.4, 2.1.9);
 * - not one character repeated, not containing the account's email or name;
 * - not a common or breached password (V2.1.7), checked offline with zxcvbn-ts and its
 *   `language-common` dictionaries (49,000 passwords from breach corpora, 7,800 diceware words,
 *   keyboard layouts): refused when the whole password is in the common-passwords list, or when
 *   zxcvbn scores it below 3 (fewer than 10^8 guesses: a list word with a year or a digit suffix,
 *   `azertyuiop123`, dates, sequences). Score 3 is zxcvbn's "safely unguessable" for an online
 *   attack, which is the threat here (login is throttled, hashes are scrypt); 4 would also refuse
 *   many four-word passphrases of everyday words, which is what we want people to choose.
 * The current password is refused as the new one by the change route (it alone knows it).
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { HttpError } from '../errors.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;
export const PASSWORD_MIN_SCORE = 3;

/** Why a password is refused: a stable code, and the message sent to the client. */
export interface PasswordProblem {
  code: 'too_short' | 'too_long' | 'repeated_character' | 'contains_identity' | 'common_password' | 'guessable' | 'same_as_current';
  message: string;
}

// Built once: loading the dictionaries takes ~100 ms. Past `maxLength` zxcvbn only looks at the
// beginning (a long password is not the weak one, and matching is quadratic).
let estimator: ZxcvbnFactory | undefined;
const zxcvbn = () => (estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, maxLength: 128 }));

const COMMON = new Set(dictionary['passwords-common']);

/** Lower-cased words of the account (email, its local part, the name) that a password must not contain. */
function identityWords(identity: { email?: string | null; displayName?: string | null }): string[] {
  const words = new Set<string>();
  const email = identity.email?.trim().toLowerCase();
  if (email) {
    words.add(email);
    const local = email.split('@')[0]!;
    // Short local parts (`dsi`, `admin`) are role names more than identities.
    if ([...local].length >= 6) words.add(local);
  }
  const name = identity.displayName?.normalize('NFKC').trim().toLowerCase();
  if (name && [...name].length >= 4) words.add(name);
  return [...words];
}

/**
 * The first rule a password breaks, or null if it is acceptable. `identity` is the account the
 * password is for.
 */
export function passwordProblem(
  password: string,
  identity: { email?: string | null; displayName?: string | null } = {},
): PasswordProblem | null {
  const normalized = password.normalize('NFKC');
  const length = [...normalized].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return { code: 'too_short', message: `must be at least ${PASSWORD_MIN_LENGTH} characters (got ${length})` };
  }
  if (length > PASSWORD_MAX_LENGTH) return { code: 'too_long', message: `must be at most ${PASSWORD_MAX_LENGTH} characters` };
  if (/^(.)\1*$/su.test(normalized)) return { code: 'repeated_character', message: 'must not be one character repeated' };
  const lower = normalized.toLowerCase();
  if (identityWords(identity).some((word) => lower.includes(word))) {
    return { code: 'contains_identity', message: "must not contain the account's email or name" };
  }
  if (COMMON.has(lower)) return { code: 'common_password', message: 'is in a list of common or breached passwords' };
  const result = zxcvbn().check(normalized, identityWords(identity));
  if (result.score < PASSWORD_MIN_SCORE) {
    return {
      code: 'guessable',
      message: 'is too easy to guess (a common password, word, name, date or keyboard pattern); a few unrelated words make a good one',
    };
  }
  return null;
}

/** 400 naming `field` when `password` breaks the policy. */
export function assertPasswordPolicy(
  field: string,
  password: string,
  identity: { email?: string | null; displayName?: string | null },
): void {
  const problem = passwordProblem(password, identity);
  if (problem) throw passwordError(field, problem);
}

export function passwordError(field: string, problem: PasswordProblem): HttpError {
  return new HttpError(400, 'validation_failed', `${field}: ${problem.message}`, [{ field, message: problem.message }], undefined, {
    reason: problem.code,
  });
}
