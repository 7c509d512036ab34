/**
 * sAMAccountName: the pre-Windows 2000 logon name.
 *
 * Microsoft: "This attribute must be 20 characters or fewer to support earlier
 * clients, and cannot contain any of these characters: " / \ [ ] : ; | = , + * ? < >"
 * (learn.microsoft.com/windows/win32/adschema/a-samaccountname). The schema's own
 * rangeUpper is 256 and Samba accepts 25, but Windows tools and the SAM APIs enforce
 * 20, so we do (Samba's 25 measured: src/directory/README.md). Unique domain-wide, case-insensitively.
 *
 * Our choices, stricter than Windows on purpose:
 * - ASCII only, lower case, and only `a-z 0-9 . - _` survive. Windows allows more
 *   (spaces, `'`, `&`, `#`, `$`, `@`, non-ASCII), but spaces need quoting in every
 *   script and `net user`, a trailing `$` marks machine accounts, `@` makes the name
 *   read as a UPN, and non-ASCII breaks older clients and Unix (winbind) consumers.
 *   So `Mary Ann` -> `maryann`, `O'Brien` -> `obrien`, `Jean-Luc` -> `jean-luc`.
 * - no leading `. - _` (a leading `-` reads as an option in scripts), no trailing
 *   `. - _` (a trailing dot is forbidden by Windows; the others just look broken),
 *   no `..` runs (they come from templates over empty-ish parts).
 * - at least one letter or digit, so the name is never "all dots".
 */
import { toAscii } from './transliterate.js';
import { SuffixCounter } from './suffix.js';

export const SAM_MAX_LENGTH = 20;

/** Windows' forbidden characters (learn.microsoft.com, see above). */
export const SAM_FORBIDDEN_CHARACTERS = ['"', '/', '\\', '[', ']', ':', ';', '|', '=', ',', '+', '*', '?', '<', '>'] as const;

/** Built-in account names that exist in every domain; never planned even without a directory snapshot. */
export const WELL_KNOWN_SAM_ACCOUNT_NAMES = ['administrator', 'guest', 'krbtgt', 'defaultaccount', 'wdagutilityaccount'] as const;

const NOT_ALLOWED = /[^a-z0-9._-]/g;

/** One template variable's value -> allowed characters only (lower-case ASCII). */
export function samPart(value: string, locale?: string): string {
  return toAscii(value, locale).toLowerCase().replace(NOT_ALLOWED, '');
}

function trimEdges(value: string): string {
  return value.replace(/^[._-]+/, '').replace(/[._-]+$/, '');
}

/**
 * A rendered candidate -> a valid sAMAccountName, or null when nothing usable is
 * left. Applies the character rules again (literal template text is not trusted),
 * collapses `..`, trims the edges, and truncates to 20.
 */
export function finalizeSamAccountName(candidate: string, locale?: string): string | null {
  let s = samPart(candidate, locale).replace(/\.{2,}/g, '.');
  s = trimEdges(s);
  s = trimEdges(s.slice(0, SAM_MAX_LENGTH));
  return /[a-z0-9]/.test(s) ? s : null;
}

/** The Windows rules plus ours; used by tests and by apply before it writes. */
export function samAccountNameProblem(value: string): string | null {
  if (value.length === 0) return 'is empty';
  if (value.length > SAM_MAX_LENGTH) return `is ${value.length} characters, more than ${SAM_MAX_LENGTH}`;
  if (/[^\x21-\x7E]/.test(value)) return 'contains a space, a control character or non-ASCII';
  const bad = SAM_FORBIDDEN_CHARACTERS.find((c) => value.includes(c));
  if (bad) return `contains the forbidden character "${bad}"`;
  if (value.endsWith('.')) return 'ends with a dot';
  if (/^[. ]+$/.test(value)) return 'is only dots or spaces';
  return null;
}

/** `verylongname12345678` + 2 -> `verylongname1234567` + `2`: the base is cut so the result fits in 20. */
export function withNumericSuffix(base: string, n: number): string {
  const suffix = String(n);
  const cut = base.slice(0, SAM_MAX_LENGTH - suffix.length).replace(/[._-]+$/, '');
  return `${cut || 'u'}${suffix}`;
}

/** `u` + the first hex digits of the cloud object id: stable, and never empty. */
export function fallbackSamAccountName(cloudId: string): string {
  const hex = cloudId.toLowerCase().replace(/[^0-9a-f]/g, '').slice(0, 12);
  return `u${hex || '0'}`;
}

export type SamSource = 'template' | 'suffix' | 'fallback';

export interface SamAllocation {
  sAMAccountName: string;
  source: SamSource;
  /** Index of the template that produced the base (for suffix and template). */
  templateIndex?: number;
}

/**
 * Hands out unique sAMAccountNames, case-insensitively, against names already
 * taken (directory snapshot, well-known accounts) and those it handed out.
 * Amortised O(1) per name (src/plan/names/suffix.ts).
 */
export class SamAccountNameAllocator {
  private readonly taken = new Set<string>();
  private readonly suffixes = new SuffixCounter();

  constructor(existing: Iterable<string> = []) {
    for (const name of WELL_KNOWN_SAM_ACCOUNT_NAMES) this.taken.add(name);
    for (const name of existing) this.taken.add(name.toLowerCase());
  }

  isTaken(name: string): boolean {
    return this.taken.has(name.toLowerCase());
  }

  /** Mark a name as used (e.g. an adopted object's). */
  reserve(name: string): void {
    this.taken.add(name.toLowerCase());
  }

  /**
   * First free finalized candidate in template order; else the first usable
   * candidate with the lowest free numeric suffix (2, 3, ...); else the id fallback
   * (suffixed if even that is taken).
   */
  allocate(candidates: readonly (string | null)[], cloudId: string, locale?: string): SamAllocation {
    const finals: { name: string; index: number }[] = [];
    candidates.forEach((c, index) => {
      if (c === null) return;
      const name = finalizeSamAccountName(c, locale);
      if (name !== null) finals.push({ name, index });
    });
    for (const { name, index } of finals) {
      if (!this.isTaken(name)) {
        this.reserve(name);
        return { sAMAccountName: name, source: 'template', templateIndex: index };
      }
    }
    const first = finals[0];
    if (first) return { sAMAccountName: this.suffixed(first.name), source: 'suffix', templateIndex: first.index };
    const fallback = fallbackSamAccountName(cloudId);
    if (!this.isTaken(fallback)) {
      this.reserve(fallback);
      return { sAMAccountName: fallback, source: 'fallback' };
    }
    return { sAMAccountName: this.suffixed(fallback), source: 'fallback' };
  }

  private suffixed(base: string): string {
    const name = this.suffixes.firstFree(base, base.toLowerCase(), withNumericSuffix, (n) => this.isTaken(n));
    this.reserve(name);
    return name;
  }
}
