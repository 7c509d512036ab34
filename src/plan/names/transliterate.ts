/**
 * Unicode -> the ASCII that sAMAccountName is built from.
 *
 * Steps, in this order, and why:
 * 1. drop lone surrogates, control (Cc) and format (Cf: zero-width space/joiners,
 *    bidi marks, BOM, soft hyphen) characters: invisible, and they would survive as
 *    garbage or split words;
 * 2. NFKC: folds compatibility forms first (`ﬁ` -> `fi`, full-width `Ａ` -> `A`),
 *    which @sindresorhus/transliterate leaves as they are;
 * 3. @sindresorhus/transliterate: language-aware letters (`ß` -> `ss`, `ø` -> `o`,
 *    `ł` -> `l`, `ı` -> `i`, Cyrillic, Greek, Arabic consonants; German `ä` -> `ae`
 *    unless a locale such as `sv` says otherwise);
 * 4. NFD and strip combining marks (\p{M}): whatever accent is left;
 * 5. drop anything still outside printable ASCII: the library leaves CJK, Hangul,
 *    Hebrew and emoji untouched, and those cannot go into a sAMAccountName that
 *    every client (and every script) handles.
 */
import transliterate from '@sindresorhus/transliterate';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const MARKS = /\p{M}/gu;
const NON_PRINTABLE_ASCII = /[^\x20-\x7E]/g;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/** Remove lone surrogates, control and format characters. */
export function stripInvisible(value: string): string {
  return value.replace(LONE_SURROGATE, '').replace(INVISIBLE, '');
}

/** `Łukasz Żółć` -> `Lukasz Zolc`; `山田` -> `` (nothing usable). Keeps case and spaces. */
export function toAscii(value: string, locale?: string): string {
  // Fast path: printable ASCII is already the answer (the library has no ASCII
  // replacements, NFKC is the identity on it, and it holds no Cc/Cf characters).
  if (PRINTABLE_ASCII.test(value)) return value;
  const clean = stripInvisible(value).normalize('NFKC');
  const latin = locale ? transliterate(clean, { locale }) : transliterate(clean);
  return latin.normalize('NFD').replace(MARKS, '').replace(NON_PRINTABLE_ASCII, '');
}
