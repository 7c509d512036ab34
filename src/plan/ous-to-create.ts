/**
 * The OUs a recovered user's old place needs that the directory did not have when
 * planned, top-down (pure). apply creates them itself (src/directory/ensure-ou.ts);
 * this list is for plan.ldif, so an admin importing it (ldapadd, ldifde) gets the
 * parents before the users. Each OU is listed once per plan: `queued` remembers the
 * ones an earlier entry already carries.
 */
import { dnKeyOrText, formatDn, tryParseDn } from '../directory/dn.js';

export function ousToCreate(
  parent: string,
  domainDn: string,
  existing: ReadonlySet<string>,
  queued: Set<string>,
  /** Left out too: the target OU when plan.ldif's head already adds it. */
  skip?: string,
): string[] {
  const rdns = tryParseDn(parent);
  const domain = tryParseDn(domainDn);
  if (!rdns || !domain || rdns.length <= domain.length) return [];
  const skipKey = skip === undefined ? undefined : dnKeyOrText(skip);
  const out: string[] = [];
  // From the one just below the domain down to the parent itself.
  for (let depth = rdns.length - domain.length; depth >= 1; depth--) {
    const dn = formatDn(rdns.slice(depth - 1));
    const key = dnKeyOrText(dn);
    if (existing.has(key) || queued.has(key) || key === skipKey) continue;
    queued.add(key);
    out.push(dn);
  }
  return out;
}
