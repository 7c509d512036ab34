/**
 * Initial passwords. The only impure piece of planning (randomness), isolated behind
 * an injected `RandomBytes` so tests are deterministic; the default is
 * node:crypto's randomBytes. Passwords are never put in the plan.
 *
 * AD's "Password must meet complexity requirements" (learn.microsoft.com/windows/
 * security/threat-protection/security-policy-settings/password-must-meet-complexity-requirements):
 * - must not contain the sAMAccountName (case-insensitive) when it is 3+ characters;
 * - must not contain any token of the displayName of 3+ characters, tokens split at
 *   commas, periods, dashes, underscores, spaces, pound signs and tabs;
 * - characters from 3 of 5 categories: upper case, lower case, digits,
 *   non-alphanumeric, and Unicode letters that are neither upper nor lower case.
 * Random passwords are drawn with all 4 ASCII classes (stronger than 3 of 5) and
 * redrawn until they pass those name rules.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { InternalError } from '../errors.js';

export type RandomBytes = (size: number) => Uint8Array;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
/** Symbols that survive shells, CSV, LDIF and being read aloud (no quotes, backslash, backtick, space). */
const SYMBOLS = '!#$%&*+-=?@^_~()[]{}<>.,:;/';
/** First characters a spreadsheet turns into a formula (owasp.org/www-community/attacks/CSV_Injection). */
export const FORMULA_START: ReadonlySet<string> = new Set(['=', '+', '-', '@']);
const AMBIGUOUS = new Set(['I', 'l', '1', 'O', '0', 'o', '|', '[', ']', '{', '}', '(', ')', '<', '>', '.', ',', ':', ';', '/']);

export interface PasswordOptions {
  /** Leave out look-alike characters (default true). */
  avoidAmbiguous?: boolean;
  /** The account name and display name the password must not contain (AD rule). */
  samAccountName?: string;
  displayName?: string | null;
}

function classes(avoidAmbiguous: boolean): string[] {
  const keep = (s: string): string => (avoidAmbiguous ? [...s].filter((c) => !AMBIGUOUS.has(c)).join('') : s);
  return [keep(UPPER), keep(LOWER), keep(DIGITS), keep(SYMBOLS)];
}

/**
 * Uniform index in [0, n) from random bytes by rejection sampling: bytes at or above
 * the largest multiple of n below 256 are thrown away, so `b % n` has no bias.
 */
export function makeUniformPicker(random: RandomBytes): (n: number) => number {
  let pool: Uint8Array = new Uint8Array(0);
  let pos = 0;
  return (n: number) => {
    if (n < 1 || n > 256) throw new InternalError(`picker range ${n} out of 1..256`);
    const limit = 256 - (256 % n);
    for (;;) {
      if (pos >= pool.length) {
        pool = random(64);
        pos = 0;
        if (pool.length === 0) throw new InternalError('random source returned no bytes');
      }
      const b = pool[pos++]!;
      if (b < limit) return b % n;
    }
  };
}

/**
 * A random password of `length` characters with at least one upper, lower, digit
 * and symbol, that passes AD's name rules for the given account. Uniform over all
 * such passwords (whole-password rejection: draw, test, redraw).
 */
export function generatePassword(length: number, random: RandomBytes = nodeRandomBytes, options: PasswordOptions = {}): string {
  if (!Number.isInteger(length) || length < 4) throw new InternalError(`password length ${length} is too short for 4 character classes`);
  const sets = classes(options.avoidAmbiguous ?? true);
  const alphabet = sets.join('');
  const pick = makeUniformPicker(random);
  for (let attempt = 0; attempt < 10_000; attempt++) {
    let pw = '';
    for (let i = 0; i < length; i++) pw += alphabet[pick(alphabet.length)];
    if (!sets.every((set) => [...pw].some((c) => set.includes(c)))) continue;
    // Spreadsheet programs read a cell starting with = + - @ as a formula (OWASP "CSV Injection"):
    // credentials.csv keeps passwords verbatim, so a password never starts with one.
    if (FORMULA_START.has(pw[0]!)) continue;
    if (checkPasswordComplexity(pw, options.samAccountName ?? '', options.displayName ?? null).ok) return pw;
  }
  throw new InternalError('could not draw a password that satisfies the complexity rules (is the random source broken?)');
}

export type PasswordRule = 'CONTAINS_ACCOUNT_NAME' | 'CONTAINS_DISPLAY_NAME_PART' | 'TOO_FEW_CATEGORIES' | 'EMPTY' | 'TOO_LONG';

export type PasswordCheck = { ok: true } | { ok: false; rule: PasswordRule; message: string };

/** displayName tokens as AD splits them (3+ characters only). */
export function displayNameTokens(displayName: string | null): string[] {
  if (!displayName) return [];
  return displayName.split(/[,.\-_ #\t\u2010-\u2015]+/).filter((t) => t.length >= 3);
}

/**
 * AD's complexity rule for a given password, for the `fixed` password mode (and as
 * the test for random ones). Reports the first rule broken, by name.
 */
export function checkPasswordComplexity(password: string, samAccountName: string, displayName: string | null): PasswordCheck {
  if (password.length === 0) return { ok: false, rule: 'EMPTY', message: 'the password is empty' };
  if (password.length > 256) return { ok: false, rule: 'TOO_LONG', message: 'AD accepts at most 256 characters in unicodePwd' };
  const lower = password.toLowerCase();
  if (samAccountName.length >= 3 && lower.includes(samAccountName.toLowerCase()))
    return { ok: false, rule: 'CONTAINS_ACCOUNT_NAME', message: `the password contains the account name "${samAccountName}"` };
  const token = displayNameTokens(displayName).find((t) => lower.includes(t.toLowerCase()));
  if (token !== undefined)
    return { ok: false, rule: 'CONTAINS_DISPLAY_NAME_PART', message: `the password contains "${token}", a part of the display name` };
  let categories = 0;
  if (/\p{Lu}/u.test(password)) categories++;
  if (/\p{Ll}/u.test(password)) categories++;
  if (/[0-9]/.test(password)) categories++;
  if (/[^\p{L}\p{N}]/u.test(password)) categories++;
  if (/(?![\p{Lu}\p{Ll}])\p{L}/u.test(password)) categories++;
  if (categories < 3)
    return {
      ok: false,
      rule: 'TOO_FEW_CATEGORIES',
      message: `the password uses ${categories} of the 5 character categories; AD needs 3 (upper, lower, digit, symbol, other letters)`,
    };
  return { ok: true };
}
