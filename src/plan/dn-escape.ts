/**
 * The planner's view of DN handling: src/directory/dn.ts (RFC 4514) is the one
 * implementation; this file only adds a non-throwing parse for validation. Every
 * DN the planner builds goes through `childDn` (never string concatenation).
 */
import { parseDn as parseDnStrict, type Rdn } from '../directory/dn.js';

export { childDn, escapeRdnValue, rdnValue, type Rdn } from '../directory/dn.js';

/** RDNs of `dn` (leftmost first), or null when it is not a DN (or is empty). */
export function parseDn(dn: string): Rdn[] | null {
  try {
    const rdns = parseDnStrict(dn);
    return rdns.length > 0 ? rdns : null;
  } catch {
    return null;
  }
}
