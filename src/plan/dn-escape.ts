/**
 * Minimal RFC 4514 DN helpers for the planner, written against the signature of
 * src/directory/dn.ts (`escapeRdnValue`, `childDn`, `rdnValue`), which was not in
 * the tree when the planner was written. The lead merges the two; until then the
 * planner builds every DN through this file and nowhere else.
 *
 * Escaping (RFC 4514 section 2.4): `"` `+` `,` `;` `<` `>` `\` anywhere, `#` or
 * SPACE at the start, SPACE at the end, and NUL (as `\00`). Everything else,
 * including non-ASCII, is left as UTF-8 text, which AD and Samba accept.
 */

const SPECIAL = new Set(['"', '+', ',', ';', '<', '>', '\\']);

/** Escape one attribute value for use in an RDN (`CN=<here>`). */
export function escapeRdnValue(value: string): string {
  let out = '';
  const chars = Array.from(value);
  chars.forEach((ch, i) => {
    if (ch === '\0') out += '\\00';
    else if (SPECIAL.has(ch)) out += `\\${ch}`;
    else if (i === 0 && (ch === '#' || ch === ' ')) out += `\\${ch}`;
    else if (i === chars.length - 1 && ch === ' ') out += '\\ ';
    else out += ch;
  });
  return out;
}

/** `childDn('OU=x,DC=y', 'CN', 'Smith, John')` -> `CN=Smith\, John,OU=x,DC=y`. */
export function childDn(parentDn: string, attr: string, value: string): string {
  return `${attr}=${escapeRdnValue(value)},${parentDn}`;
}

export interface Rdn {
  type: string;
  /** Unescaped value. */
  value: string;
}

const ATTR_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)$/;

/**
 * Parse a DN string into its RDNs (first = leftmost), unescaping values.
 * Multi-valued RDNs (`a=1+b=2`) yield one Rdn per AVA in order. Returns null when
 * the string is not a DN.
 */
export function parseDn(dn: string): Rdn[] | null {
  const rdns: Rdn[] = [];
  let i = 0;
  const n = dn.length;
  if (dn.trim() === '') return null;
  while (i < n) {
    // attribute type
    const eq = dn.indexOf('=', i);
    if (eq < 0) return null;
    const type = dn.slice(i, eq).trim();
    if (!ATTR_TYPE.test(type)) return null;
    i = eq + 1;
    // value
    const bytes: number[] = [];
    const encoder = new TextEncoder();
    let sawValue = false;
    let trailingUnescapedSpaces = 0;
    if (dn[i] === '#') {
      // hex string form: keep as text, it is not what we generate
      const m = /^#(?:[0-9A-Fa-f]{2})+/.exec(dn.slice(i));
      if (!m) return null;
      for (const b of encoder.encode(m[0])) bytes.push(b);
      i += m[0].length;
      sawValue = true;
    } else {
      while (i < n && dn[i] === ' ') i++; // leading unescaped spaces are not part of the value
      while (i < n) {
        const ch = dn[i]!;
        if (ch === ',' || ch === '+' || ch === ';') break;
        if (ch === '\\') {
          const next = dn.slice(i + 1, i + 3);
          if (/^[0-9A-Fa-f]{2}$/.test(next)) {
            bytes.push(parseInt(next, 16));
            i += 3;
          } else if (i + 1 < n) {
            for (const b of encoder.encode(dn[i + 1]!)) bytes.push(b);
            i += 2;
            // a surrogate pair after a backslash: take the low half too
            const code = dn.charCodeAt(i - 1);
            if (code >= 0xd800 && code <= 0xdbff && i < n) {
              bytes.splice(bytes.length - 3, 3);
              for (const b of encoder.encode(dn.slice(i - 1, i + 1))) bytes.push(b);
              i += 1;
            }
          } else {
            return null;
          }
          trailingUnescapedSpaces = 0;
          sawValue = true;
          continue;
        }
        if (ch === '"' || ch === '<' || ch === '>' || ch === '=') {
          // RFC 4514 requires these to be escaped; `=` we tolerate inside values
          if (ch !== '=') return null;
        }
        const cp = dn.codePointAt(i)!;
        const s = String.fromCodePoint(cp);
        for (const b of encoder.encode(s)) bytes.push(b);
        trailingUnescapedSpaces = ch === ' ' ? trailingUnescapedSpaces + 1 : 0;
        i += s.length;
        sawValue = true;
      }
    }
    if (trailingUnescapedSpaces > 0) bytes.splice(bytes.length - trailingUnescapedSpaces, trailingUnescapedSpaces);
    let value: string;
    try {
      value = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    } catch {
      return null;
    }
    if (!sawValue && value === '') {
      // empty values are legal in RFC 4514 but never meaningful for us
    }
    rdns.push({ type, value });
    if (i < n) {
      i++; // skip separator
      if (i >= n) return null; // trailing separator
      while (i < n && dn[i] === ' ') i++;
    }
  }
  return rdns;
}

/** The value of the leftmost RDN, unescaped: `rdnValue('CN=Smith\\, John,OU=x')` -> `Smith, John`. */
export function rdnValue(dn: string): string {
  const rdns = parseDn(dn);
  if (!rdns || rdns.length === 0) throw new Error(`not a DN: ${dn}`);
  return rdns[0]!.value;
}
