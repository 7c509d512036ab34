/**
 * Distinguished names, RFC 4514 style.
 *
 * Every DN entra2ad sends is built here from raw values, so a display name
 * like `Smith, John` or `#1 Support` can never change the meaning of a DN.
 *
 * Escaping (RFC 4514 section 2.4, and Microsoft's "Distinguished Names" list,
 * learn.microsoft.com/previous-versions/windows/desktop/ldap/distinguished-names):
 * - `" + , ; < > \` anywhere, and `=` too (RFC 4514 allows escaping it as a
 *   "special"; Microsoft lists it as a character to escape);
 * - `#` or a space as the first character, a space as the last;
 * - NUL and the other ASCII control characters as `\XX` hex pairs (Microsoft
 *   requires `\0A` and `\0D`; RFC 4514 permits a hex pair for any byte);
 * - everything else, including non-ASCII, is sent as UTF-8 as is, which
 *   RFC 4514 section 2.4 allows.
 *
 * We escape with a backslash, never by quoting the value (RFC 2253 style, what
 * ldapts' `DN` builder does for leading/trailing spaces), because RFC 4514
 * removed quoting and Windows' acceptance of it is unverified.
 *
 * Parsing accepts what DCs send back: Samba answers `\3B` and `\3D` for `;`
 * and `=` (measured, Samba 4.17), and multi-byte UTF-8 may arrive as hex pairs.
 */
import { DirectoryError } from './directory-error.js';

export interface Rdn {
  /** Attribute type as written, e.g. `CN`, `OU`, `DC`. */
  type: string;
  /** The unescaped value. */
  value: string;
}

const ALWAYS_ESCAPED = new Set(['"', '+', ',', ';', '<', '>', '\\', '=']);
const HEX = /^[0-9a-fA-F]{2}$/;

function hexPair(code: number): string {
  return `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Escapes one attribute value so it can stand as an RDN value (RFC 4514 section 2.4). */
export function escapeRdnValue(value: string): string {
  const chars = Array.from(value);
  return chars
    .map((ch, index) => {
      const code = ch.codePointAt(0)!;
      if (code < 0x20 || code === 0x7f) return hexPair(code);
      if (ALWAYS_ESCAPED.has(ch)) return `\\${ch}`;
      if (index === 0 && (ch === '#' || ch === ' ')) return `\\${ch}`;
      if (index === chars.length - 1 && ch === ' ') return '\\ ';
      return ch;
    })
    .join('');
}

const ATTRIBUTE_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)$/;

function assertAttributeType(type: string, context: string): void {
  if (!ATTRIBUTE_TYPE.test(type)) {
    throw invalidDn(context, `"${type}" is not an attribute type`);
  }
}

function invalidDn(dn: string, why: string): DirectoryError {
  return new DirectoryError('INVALID_DN', `invalid DN "${dn}": ${why}`, { dn, usage: true });
}

/** `rdn('CN', 'Smith, John')` -> `CN=Smith\, John`. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function rdn(type: string, value: string): string {
  assertAttributeType(type, `${type}=${value}`);
  if (value === '') throw invalidDn(`${type}=`, 'an RDN value cannot be empty');
  // A lone UTF-16 surrogate has no UTF-8 form: it would reach the DC as U+FFFD.
  if (LONE_SURROGATE.test(value)) throw invalidDn(`${type}=${value}`, 'the value is not well-formed Unicode');
  return `${type}=${escapeRdnValue(value)}`;
}

/** `childDn('OU=Sales,DC=corp', 'CN', 'Smith, John')` -> `CN=Smith\, John,OU=Sales,DC=corp`. */
export function childDn(parentDn: string, type: string, value: string): string {
  return parentDn === '' ? rdn(type, value) : `${rdn(type, value)},${parentDn}`;
}

/** RDNs of `dn` (leftmost first), or null when it is not a DN or is empty: parseDn for validating input, which must not throw. */
export function tryParseDn(dn: string): Rdn[] | null {
  try {
    const rdns = parseDn(dn);
    return rdns.length > 0 ? rdns : null;
  } catch {
    return null;
  }
}

/** Rebuilds a DN string from parsed RDNs, escaping every value. */
export function formatDn(rdns: readonly Rdn[]): string {
  return rdns.map((r) => rdn(r.type, r.value)).join(',');
}

/**
 * Parses a DN into its RDNs, unescaping values. Accepts RFC 4514 escapes
 * (`\,` and `\2C`, multi-byte UTF-8 as consecutive hex pairs), optional
 * spaces around `,` and `=` (older RFC 1779 style), and quoted values
 * (RFC 2253 style). Rejects multi-valued RDNs (`+`), which AD does not use,
 * and BER-encoded `#hex` values.
 */
export function parseDn(dn: string): Rdn[] {
  if (dn.trim() === '') return [];
  const out: Rdn[] = [];
  let i = 0;
  const n = dn.length;
  const skipSpaces = (): void => {
    while (i < n && dn[i] === ' ') i++;
  };

  while (i < n) {
    skipSpaces();
    const typeStart = i;
    while (i < n && dn[i] !== '=' && dn[i] !== ',') i++;
    if (i >= n || dn[i] !== '=') throw invalidDn(dn, `missing "=" after "${dn.slice(typeStart, i)}"`);
    const type = dn.slice(typeStart, i).trim();
    assertAttributeType(type, dn);
    i++; // '='
    skipSpaces();

    const bytes: number[] = [];
    /** The character at `at` (a whole code point) into the value as UTF-8; `i` moves past it. */
    const takeChar = (at: number): void => {
      const cp = dn.codePointAt(at);
      if (cp === undefined) throw invalidDn(dn, 'dangling "\\"');
      const text = String.fromCodePoint(cp);
      for (const b of Buffer.from(text, 'utf8')) bytes.push(b);
      i = at + text.length;
    };
    // Index into `bytes` after the last character that must be kept, so that
    // unescaped trailing spaces are trimmed but an escaped `\ ` is not.
    let keep = 0;

    if (dn[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const ch = dn[i]!;
        if (ch === '\\') {
          takeChar(i + 1);
        } else if (ch === '"') {
          closed = true;
          i++;
          break;
        } else {
          takeChar(i);
        }
      }
      if (!closed) throw invalidDn(dn, 'unterminated quoted value');
      keep = bytes.length;
      skipSpaces();
    } else {
      if (dn[i] === '#') throw invalidDn(dn, 'BER-encoded (#hex) RDN values are not supported');
      while (i < n) {
        const ch = dn[i]!;
        if (ch === ',' || ch === ';') break;
        if (ch === '+') throw invalidDn(dn, 'multi-valued RDNs are not supported by Active Directory');
        if (ch === '\\') {
          const pair = dn.slice(i + 1, i + 3);
          if (HEX.test(pair)) {
            bytes.push(Number.parseInt(pair, 16));
            i += 3;
          } else {
            takeChar(i + 1);
          }
          keep = bytes.length;
        } else if (ch === '"') {
          throw invalidDn(dn, 'unescaped \'"\' inside a value');
        } else {
          takeChar(i);
          if (ch !== ' ') keep = bytes.length;
        }
      }
    }

    const raw = Buffer.from(bytes.slice(0, keep));
    let value: string;
    try {
      value = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw invalidDn(dn, 'an escaped value is not valid UTF-8');
    }
    if (value === '') throw invalidDn(dn, `empty value for ${type}`);
    out.push({ type, value });

    if (i < n) {
      if (dn[i] !== ',' && dn[i] !== ';') throw invalidDn(dn, `unexpected "${dn[i]}"`);
      i++;
      if (i >= n || dn.slice(i).trim() === '') throw invalidDn(dn, 'trailing separator');
    }
  }
  return out;
}

/** The unescaped value of the first RDN: `rdnValue('CN=Smith\, John,OU=x')` -> `Smith, John`. */
export function rdnValue(dn: string): string {
  const first = parseDn(dn)[0];
  if (!first) throw invalidDn(dn, 'empty DN');
  return first.value;
}

/** The attribute type of the first RDN, upper-cased: `CN`, `OU`... */
export function rdnType(dn: string): string {
  const first = parseDn(dn)[0];
  if (!first) throw invalidDn(dn, 'empty DN');
  return first.type.toUpperCase();
}

/** The parent of a DN, re-escaped canonically: `CN=a,OU=b,DC=c` -> `OU=b,DC=c`. */
export function parentDn(dn: string): string {
  return formatDn(parseDn(dn).slice(1));
}

/**
 * A comparison key for DNs: types upper-cased, values lower-cased (AD compares
 * RDN values case-insensitively), escaping made canonical. Two DNs name the
 * same entry when their keys are equal.
 */
export function dnKey(dn: string): string {
  return parseDn(dn)
    .map((r) => `${r.type.toUpperCase()}=${escapeRdnValue(r.value.toLowerCase())}`)
    .join(',');
}

/**
 * {@link dnKey}, or the lower-cased text for a DN that does not parse: such a DN
 * (read from a snapshot or a plan) then matches nothing we build, instead of
 * stopping a whole plan or check.
 */
export function dnKeyOrText(dn: string): string {
  try {
    return dnKey(dn);
  } catch {
    return dn.toLowerCase();
  }
}

/** {@link parentDn}, or '' when `dn` does not parse. */
export function parentDnOrEmpty(dn: string): string {
  try {
    return parentDn(dn);
  } catch {
    return '';
  }
}

/** True when both strings name the same entry (see {@link dnKey}). */
export function dnEquals(a: string, b: string): boolean {
  return dnKey(a) === dnKey(b);
}

/** True when `dn` is `ancestor` itself or lies below it. */
export function isDnWithin(dn: string, ancestor: string): boolean {
  const child = parseDn(dn);
  const parent = parseDn(ancestor);
  if (parent.length > child.length) return false;
  return dnKey(formatDn(child.slice(child.length - parent.length))) === dnKey(formatDn(parent));
}
