/**
 * Recovery in place: under which names and where a lost AD user comes back (pure).
 *
 * The cloud keeps what Entra Connect last wrote from the lost forest
 * (learn.microsoft.com/graph/api/resources/user: onPremisesSamAccountName,
 * onPremisesDistinguishedName, onPremisesDomainName; read-only, synced from AD).
 * A recovered user gets:
 * - its old sAMAccountName, exactly (case kept: AD compares it case-insensitively but
 *   stores and shows it as written, and scripts and mapped drives name it so);
 * - its old CN (the first RDN of the old DN);
 * - its old place: the parent of the old DN with the old domain's base DN (the DN's
 *   `DC=` components, else onPremisesDomainName) replaced by the target domain's;
 *   or, when a dnMap entry covers the old parent, with that entry's old DN replaced by
 *   its new one (the longest matching old DN wins).
 *
 * What this module does not decide: whether a name is taken (recovery-names.ts asks
 * the directory index and remembers the rest of the plan). Values that break
 * Windows' rules are reported, never repaired: a repaired name is not the old name.
 */
import { formatDn, isDnWithin, tryParseDn as parseDn, type Rdn } from '../directory/dn.js';
import { cnProblem } from './names/cn.js';
import { samAccountNameProblem } from './names/sam-account-name.js';

export const RECOVERY_PLACEMENTS = ['old-ou', 'target-ou'] as const;
export type RecoveryPlacement = (typeof RECOVERY_PLACEMENTS)[number];

/** The cloud user's memory of its lost AD object (GraphUser's onPremises* properties). */
export interface OldIdentitySource {
  onPremisesSamAccountName?: string | null | undefined;
  onPremisesDistinguishedName?: string | null | undefined;
  onPremisesDomainName?: string | null | undefined;
}

export interface OldNameProblem {
  field: 'sAMAccountName' | 'cn' | 'dn';
  value: string;
  problem: string;
}

export interface OldIdentity {
  /** Old sAMAccountName when the cloud has a valid one; undefined: from the templates (see fallbacks, problems). */
  sAMAccountName: string | undefined;
  /** Old CN when valid; undefined: from the templates. */
  cn: string | undefined;
  /** The new parent (old place moved into the target domain); undefined: targetOu. */
  parentDn: string | undefined;
  oldSamAccountName: string | undefined;
  oldDn: string | undefined;
  /** How the parent was moved (`base DN X -> Y`, `dnMap X -> Y`). */
  how: string | undefined;
  /** What came from the templates because the cloud has nothing (older Entra Connect). */
  fallbacks: string[];
  /** Old values that cannot be used as they are (Windows rules, a DN outside the target domain). */
  problems: OldNameProblem[];
}

/** `corp.example.com` -> the RDNs `DC=corp,DC=example,DC=com`. */
export function domainNameRdns(domain: string): Rdn[] | null {
  const labels = domain.trim().replace(/\.$/, '').split('.');
  if (labels.length === 0 || labels.some((l) => !/^[A-Za-z0-9-]+$/.test(l))) return null;
  return labels.map((value) => ({ type: 'DC', value }));
}

/** The trailing `DC=` components of a DN (its domain), or []. */
function trailingDomain(rdns: readonly Rdn[]): Rdn[] {
  let i = rdns.length;
  while (i > 0 && rdns[i - 1]!.type.toUpperCase() === 'DC') i--;
  return rdns.slice(i);
}

function dnMapMatch(parent: string, dnMap: Readonly<Record<string, string>>): { from: string; to: string } | undefined {
  let best: { from: string; to: string; depth: number } | undefined;
  for (const [from, to] of Object.entries(dnMap)) {
    const fromRdns = parseDn(from);
    if (!fromRdns || !isDnWithin(parent, from)) continue;
    if (!best || fromRdns.length > best.depth) best = { from, to, depth: fromRdns.length };
  }
  return best;
}

/**
 * The old identity moved into the target domain. `targetDomainDn` is the new domain's
 * base DN (`DC=corp,DC=example,DC=test`).
 */
export function oldIdentityOf(user: OldIdentitySource, targetDomainDn: string, dnMap: Readonly<Record<string, string>> = {}): OldIdentity {
  const out: OldIdentity = { sAMAccountName: undefined, cn: undefined, parentDn: undefined, oldSamAccountName: undefined, oldDn: undefined, how: undefined, fallbacks: [], problems: [] };
  const sam = typeof user.onPremisesSamAccountName === 'string' && user.onPremisesSamAccountName !== '' ? user.onPremisesSamAccountName : undefined;
  out.oldSamAccountName = sam;
  if (sam === undefined) out.fallbacks.push('the cloud has no onPremisesSamAccountName (synced by an older Entra Connect), so sAMAccountName comes from the templates');
  else {
    const problem = samAccountNameProblem(sam);
    if (problem) out.problems.push({ field: 'sAMAccountName', value: sam, problem });
    else out.sAMAccountName = sam;
  }

  const oldDn = typeof user.onPremisesDistinguishedName === 'string' && user.onPremisesDistinguishedName.trim() !== '' ? user.onPremisesDistinguishedName : undefined;
  out.oldDn = oldDn;
  if (oldDn === undefined) {
    out.fallbacks.push('the cloud has no onPremisesDistinguishedName (synced by an older Entra Connect), so the CN comes from the templates and the user goes to targetOu');
    return out;
  }
  const dnProblem = (problem: string): OldIdentity => {
    out.problems.push({ field: 'dn', value: oldDn, problem });
    return out;
  };
  const rdns = parseDn(oldDn);
  if (!rdns || rdns.length < 2) return dnProblem('is not a DN with a parent');
  if (rdns[0]!.type.toUpperCase() !== 'CN') return dnProblem(`names the user by ${rdns[0]!.type}=, not CN=`);
  const cn = rdns[0]!.value;
  const cnIssue = cnProblem(cn);
  if (cnIssue) out.problems.push({ field: 'cn', value: cn, problem: cnIssue });
  else out.cn = cn;

  const parentRdns = rdns.slice(1);
  const parent = formatDn(parentRdns);
  const target = parseDn(targetDomainDn) ?? [];
  let newParent: Rdn[];
  let how: string;
  const mapped = dnMapMatch(parent, dnMap);
  if (mapped) {
    const depth = parseDn(mapped.from)!.length;
    newParent = [...parentRdns.slice(0, parentRdns.length - depth), ...(parseDn(mapped.to) ?? [])];
    how = `dnMap ${mapped.from} -> ${mapped.to}`;
  } else {
    const base = trailingDomain(rdns);
    if (base.length > 0) {
      newParent = [...parentRdns.slice(0, parentRdns.length - base.length), ...target];
      how = `base DN ${formatDn(base)} -> ${targetDomainDn}`;
    } else {
      // A DN without DC= components: read it as relative to onPremisesDomainName's domain.
      const domain = user.onPremisesDomainName ? domainNameRdns(user.onPremisesDomainName) : null;
      if (!domain) return dnProblem('has no DC= components and the cloud has no onPremisesDomainName: add a dnMap entry for it');
      newParent = [...parentRdns, ...target];
      how = `base DN ${formatDn(domain)} (onPremisesDomainName) -> ${targetDomainDn}`;
    }
  }
  const newParentDn = formatDn(newParent);
  if (target.length > 0 && !isDnWithin(newParentDn, targetDomainDn)) {
    return dnProblem(`would be placed in ${newParentDn} (${how}), outside the target domain ${targetDomainDn}: fix the dnMap`);
  }
  out.parentDn = newParentDn;
  out.how = how;
  return out;
}

/**
 * `--map-dn OLD=NEW`: both sides are DNs and contain `=` themselves, so the split is the
 * one `=` where both sides parse as DNs (RFC 4514 does not require `=` in a value to be
 * escaped, so a split inside a value is tried too and fails on the other side). Null
 * when no split, or more than one, works.
 */
export function splitMapDn(arg: string): { from: string; to: string } | null {
  const found: { from: string; to: string }[] = [];
  for (let i = arg.indexOf('='); i >= 0; i = arg.indexOf('=', i + 1)) {
    const from = arg.slice(0, i).trim();
    const to = arg.slice(i + 1).trim();
    const a = parseDn(from);
    const b = parseDn(to);
    if (a && b && a.every((r) => r.value !== '') && b.every((r) => r.value !== '')) found.push({ from, to });
  }
  return found.length === 1 ? found[0]! : null;
}
