/**
 * cn: the RDN value of the new user (`CN=<cn>,<targetOu>`).
 *
 * AD schema: cn is String(Unicode), rangeLower 1, rangeUpper 64 (MS-ADA1 "Attribute
 * cn"; AD_DS_Attributes Windows Server 2016 LDF). rangeUpper for String(Unicode) is
 * counted in Unicode characters (MS-ADA3 "rangeUpper"); we count UTF-16 code units,
 * which is never fewer, and never cut a surrogate pair. Samba answers 21
 * (invalidAttributeSyntax) above 64 (measured: src/directory/README.md).
 *
 * The CN stays Unicode (AD is fine with it); we only remove what is invisible or
 * breaks tools: control characters, format characters other than ZWJ/ZWNJ (which
 * emoji sequences and Persian need), lone surrogates; we NFC-normalise, collapse
 * whitespace runs to one space and trim. The DN is built only through the RFC 4514
 * escaper, so `,` `+` `"` `#`... are fine in a CN.
 *
 * Unique among the target OU's children, case-insensitively: AD compares RDNs
 * ignoring case, width and kana type, so the comparison key folds all three
 * (NFKC + lower case + katakana->hiragana). Treating more names as equal than AD
 * does only costs a ` (2)`, never a failed add.
 */
import { SuffixCounter } from './suffix.js';

export const CN_MAX_LENGTH = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /\p{Cc}/gu;
const FORMAT_EXCEPT_JOINERS = /(?![\u200C\u200D])\p{Cf}/gu;
const NONCHARACTERS = /[\uFFFE\uFFFF]/g;

/** Clean a candidate CN; '' when nothing is left. */
export function cleanCn(value: string): string {
  return value
    .replace(LONE_SURROGATE, '')
    .replace(CONTROL, ' ')
    .replace(FORMAT_EXCEPT_JOINERS, '')
    .replace(NONCHARACTERS, '')
    .normalize('NFC')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Cut to at most `max` UTF-16 code units without splitting a surrogate pair; trims the end. */
export function truncateUtf16(value: string, max: number): string {
  if (value.length <= max) return value;
  let out = '';
  for (const ch of value) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/** Comparison key for CN uniqueness (see the file comment). */
export function cnKey(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30A1-\u30F6]/g, (k) => String.fromCharCode(k.charCodeAt(0) - 0x60));
}

/** The rules a planned CN obeys; null when fine. */
export function cnProblem(value: string): string | null {
  if (value.length === 0) return 'is empty';
  if (value.length > CN_MAX_LENGTH) return `is ${value.length} UTF-16 code units, more than ${CN_MAX_LENGTH}`;
  if (value !== value.trim()) return 'has leading or trailing whitespace';
  if (/\p{Cc}/u.test(value)) return 'contains a control character';
  return null;
}

export interface CnAllocation {
  cn: string;
  /** true when a ` (n)` suffix was needed. */
  suffixed: boolean;
  truncated: boolean;
}

/** Hands out CNs unique within the target OU (snapshot + plan), case-insensitively. */
export class CnAllocator {
  private readonly taken = new Set<string>();
  private readonly suffixes = new SuffixCounter();

  constructor(existing: Iterable<string> = []) {
    for (const cn of existing) this.taken.add(cnKey(cn));
  }

  isTaken(cn: string): boolean {
    return this.taken.has(cnKey(cn));
  }

  /** Mark a CN as used (e.g. the old CN a recovered user keeps). */
  reserve(cn: string): void {
    this.taken.add(cnKey(cn));
  }

  /**
   * The first non-empty cleaned candidate is the base (later candidates are only
   * fallbacks for an empty one: a CN is a label, and `John Smith (2)` reads better
   * than switching to the UPN). `fallback` (e.g. the cloud id) when all are empty.
   */
  allocate(candidates: readonly (string | null)[], fallback: string): CnAllocation {
    let base = '';
    for (const c of candidates) {
      if (c === null) continue;
      base = cleanCn(c);
      if (base) break;
    }
    if (!base) base = cleanCn(fallback) || 'user';
    const cut = truncateUtf16(base, CN_MAX_LENGTH).trimEnd();
    const truncated = cut !== base;
    if (!this.isTaken(cut)) {
      this.taken.add(cnKey(cut));
      return { cn: cut, suffixed: false, truncated };
    }
    const name = this.suffixes.firstFree(cut, cnKey(cut), withCnSuffix, (cn) => this.isTaken(cn));
    this.taken.add(cnKey(name));
    return { cn: name, suffixed: true, truncated: truncated || !name.startsWith(cut) };
  }
}

/** `John Smith` + 2 -> `John Smith (2)`, cutting the base so the whole fits in 64. */
export function withCnSuffix(base: string, n: number): string {
  const suffix = ` (${n})`;
  const cut = truncateUtf16(base, CN_MAX_LENGTH - suffix.length).trimEnd();
  return `${cut}${suffix}`;
}
