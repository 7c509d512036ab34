/**
 * What a plan read back may ask apply to do (pure): every entry that writes is held
 * to what the planner itself produces, so a plan.json edited after review (and its
 * fingerprints recomputed) still cannot make apply write outside the plan's rules.
 * This is in addition to the fingerprint check (fingerprint.ts), which catches an edit
 * but not an editor who recomputes the hashes.
 *
 * A create:
 * - DN `CN=<cn>,<parent>` with the entry's cn as its RDN, directly under targetOu, or,
 *   for a recovery in place (plan.recover placement old-ou), under the old DN's parent
 *   moved into the target domain exactly as the planner moves it (recovered-identity.ts,
 *   with the plan's dnMap); always inside the plan's domain;
 * - sAMAccountName and cn that obey Windows' rules (names/);
 * - attributes only from the plan's attribute map (attributeNames), never a reserved or
 *   security attribute (attribute-map.ts), and the userPrincipalName attribute equal to the entry's UPN;
 * - userAccountControl only as map-attributes.ts makes it: 512 or 514 ([MS-ADTS] 2.2.16),
 *   514 when no password is set;
 * - a recovery stamp (recoverConsistencyGuid) equal to the cloud's immutableId and a 16-byte GUID.
 * An adopt: a DN inside the domain, an objectGUID and a planned immutableId of 16 bytes, nothing to write in AD.
 * And no two entries that write share a cloud id, UPN, DN or sAMAccountName (AD and the
 * journal key on them; a duplicate would be created once and reported twice).
 */
import { isGuidString } from '../anchor/guid.js';
import { isGuidImmutableId } from '../anchor/immutable-id.js';
import { escapeRdnValue, tryParseDn, type Rdn } from '../directory/dn.js';
import { UAC, UAC_DISABLED_USER } from '../directory/uac.js';
import { effectiveAttributeMap, RESERVED_ATTRIBUTES, SECURITY_ATTRIBUTES } from './attribute-map.js';
import { cnProblem } from './names/cn.js';
import { samAccountNameProblem } from './names/sam-account-name.js';
import { oldIdentityOf } from './recovered-identity.js';
import { getsAdObject } from './reasons.js';
import type { Plan, PlanEntry } from './types.js';

export interface PlanProblem {
  /** Position in plan.entries. */
  index: number;
  /** The entry's UPN (or cloud id when it has none). */
  user: string;
  /** The entry field at fault, e.g. `dn`, `attributes.servicePrincipalName`. */
  field: string;
  message: string;
}

/** The userAccountControl values the planner writes (map-attributes.ts userAccountControlFor). */
export const PLANNED_USER_ACCOUNT_CONTROL: ReadonlySet<number> = new Set([UAC.NORMAL_ACCOUNT, UAC_DISABLED_USER]);

/** Reserved attributes the default attribute map itself writes (the rest are the planner's or AD's own). */
const MAPPED_RESERVED = new Set(['userprincipalname']);

/** One RDN as dn.ts's dnKey compares it (type upper-cased, value lower-cased, escaping canonical). */
const rdnKey = (r: Rdn): string => `${r.type.toUpperCase()}=${escapeRdnValue(r.value.toLowerCase())}`;

/** A DN parsed once: its RDN keys (100,000 entries are checked in every apply: no DN is parsed twice). */
interface ParsedDn {
  rdns: Rdn[];
  keys: string[];
}

function parsedDn(dn: string): ParsedDn | null {
  const rdns = tryParseDn(dn);
  return rdns ? { rdns, keys: rdns.map(rdnKey) } : null;
}

const keyOf = (p: ParsedDn | null): string | null => (p ? p.keys.join(',') : null);

/** `dn` is `ancestor` or below it. */
function within(dn: ParsedDn, ancestor: ParsedDn): boolean {
  const offset = dn.keys.length - ancestor.keys.length;
  return offset >= 0 && ancestor.keys.every((k, i) => dn.keys[offset + i] === k);
}

const safeDnKey = (dn: string): string | null => keyOf(parsedDn(dn));

export function planProblems(plan: Plan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const allowed = new Set((plan.attributeNames ?? effectiveAttributeMap().map((r) => r.attribute)).map((a) => a.toLowerCase()));
  const targetKey = safeDnKey(plan.targetOu);
  const domainParsed = plan.domainDn !== null ? parsedDn(plan.domainDn) : null;
  const domain = domainParsed ? { dn: plan.domainDn!, parsed: domainParsed } : null;
  const dnKeys: (string | null | undefined)[] = [];
  plan.entries.forEach((entry, index) => {
    const add = (field: string, message: string): void => {
      problems.push({ index, user: entry.userPrincipalName || entry.cloudId, field, message });
    };
    const dn = entry.dn === undefined ? undefined : parsedDn(entry.dn);
    dnKeys[index] = dn === undefined ? undefined : keyOf(dn);
    if (entry.action === 'create') createProblems(plan, entry, dn, { targetKey, domain, allowed }, add);
    else if (entry.action === 'adopt') adoptProblems(entry, dn, domain, add);
  });
  problems.push(...duplicateProblems(plan.entries, dnKeys));
  return problems.sort((a, b) => a.index - b.index);
}

type Add = (field: string, message: string) => void;

type Domain = { dn: string; parsed: ParsedDn } | null;

function createProblems(plan: Plan, e: PlanEntry, dn: ParsedDn | null | undefined, ctx: { targetKey: string | null; domain: Domain; allowed: ReadonlySet<string> }, add: Add): void {
  if (e.sAMAccountName === undefined) add('sAMAccountName', 'a create needs a sAMAccountName');
  else {
    const p = samAccountNameProblem(e.sAMAccountName);
    if (p) add('sAMAccountName', `"${e.sAMAccountName}" ${p}`);
  }
  if (e.cn === undefined) add('cn', 'a create needs a cn');
  else {
    const p = cnProblem(e.cn);
    if (p) add('cn', `"${e.cn}" ${p}`);
  }
  dnProblems(plan, e, dn, ctx, add);

  for (const [name, value] of Object.entries(e.attributes ?? {})) {
    const lower = name.toLowerCase();
    if (SECURITY_ATTRIBUTES.has(lower)) add(`attributes.${name}`, 'controls what the account may do or how it signs in; entra2ad never writes it');
    else if (RESERVED_ATTRIBUTES.has(lower) && !MAPPED_RESERVED.has(lower)) add(`attributes.${name}`, 'is set by entra2ad itself (or by AD), never from the attribute map');
    else if (!ctx.allowed.has(lower)) add(`attributes.${name}`, "is not in the plan's attribute map (attributeNames)");
    if (lower === 'userprincipalname' && value !== e.userPrincipalName)
      add(`attributes.${name}`, `${JSON.stringify(value)} differs from the entry's userPrincipalName ${JSON.stringify(e.userPrincipalName)}`);
  }
  if (ctx.allowed.has('userprincipalname') && !Object.keys(e.attributes ?? {}).some((n) => n.toLowerCase() === 'userprincipalname'))
    add('attributes.userPrincipalName', "is missing; the plan's attribute map writes the entry's UPN");

  if (e.userAccountControl === undefined || !PLANNED_USER_ACCOUNT_CONTROL.has(e.userAccountControl))
    add('userAccountControl', `${String(e.userAccountControl)} is not one the planner writes (512 enabled, 514 disabled)`);
  else if (e.passwordMode === 'none' && e.userAccountControl !== UAC_DISABLED_USER)
    add('userAccountControl', `${e.userAccountControl} with password mode none: an account without a password stays disabled (514)`);

  if (e.recoverConsistencyGuid !== undefined) {
    if (!isGuidImmutableId(e.recoverConsistencyGuid)) add('recoverConsistencyGuid', 'is not base64 of a 16-byte GUID');
    else if (e.recoverConsistencyGuid !== e.currentImmutableId)
      add('recoverConsistencyGuid', "differs from the cloud user's immutableId (currentImmutableId), the only value recovery stamps");
  }
  if (e.existingObjectGuid !== undefined || e.plannedImmutableId !== undefined)
    add(e.existingObjectGuid !== undefined ? 'existingObjectGuid' : 'plannedImmutableId', 'a create has no existing object; its anchor is known only after the add');
}

function dnProblems(plan: Plan, e: PlanEntry, dn: ParsedDn | null | undefined, ctx: { targetKey: string | null; domain: Domain }, add: Add): void {
  if (e.dn === undefined || dn === undefined) return add('dn', 'a create needs a DN');
  if (!dn || dn.rdns.length < 2) return add('dn', `"${e.dn}" is not a DN with a parent`);
  const first = dn.rdns[0]!;
  if (first.type.toUpperCase() !== 'CN') add('dn', `names the user by ${first.type}=, not CN=`);
  else if (e.cn !== undefined && first.value !== e.cn) add('dn', `its RDN CN=${first.value} differs from the entry's cn "${e.cn}"`);
  const parentKey = dn.keys.slice(1).join(',');
  if (ctx.domain !== null && !within(dn, ctx.domain.parsed)) add('dn', `is outside the plan's domain ${ctx.domain.dn}`);

  const inPlace = e.oldDn !== undefined;
  if (inPlace && (e.recoverConsistencyGuid === undefined || plan.recover?.placement !== 'old-ou')) {
    return add('oldDn', 'only a recovery planned with placement old-ou (plan.recover) has an old DN');
  }
  if (!inPlace) {
    if (parentKey !== ctx.targetKey) add('dn', `is not directly under the target OU ${plan.targetOu}`);
    return;
  }
  // The parent the planner derives from the old DN: the old base DN (or a dnMap entry's old DN) replaced.
  // A DN without DC= components was read relative to onPremisesDomainName, which only names it: any valid domain gives the same parent.
  const old = oldIdentityOf({ onPremisesDistinguishedName: e.oldDn, onPremisesDomainName: 'old.invalid' }, plan.domainDn ?? '', plan.recover?.dnMap ?? {});
  if (old.parentDn === undefined) return add('oldDn', `"${e.oldDn}" gives no place in the target domain${old.problems[0] ? `: it ${old.problems[0].problem}` : ''}`);
  if (parentKey !== safeDnKey(old.parentDn)) add('dn', `is not directly under ${old.parentDn}, where the old DN ${e.oldDn} moves to (${old.how ?? 'plan.recover'})`);
}

function adoptProblems(e: PlanEntry, dn: ParsedDn | null | undefined, domain: Domain, add: Add): void {
  if (!dn) add('dn', 'an adopt needs the DN of the object it adopts');
  else if (domain !== null && !within(dn, domain.parsed)) add('dn', `is outside the plan's domain ${domain.dn}`);
  if (e.existingObjectGuid === undefined || !isGuidString(e.existingObjectGuid)) add('existingObjectGuid', 'is not a GUID');
  if (e.plannedImmutableId !== undefined && !isGuidImmutableId(e.plannedImmutableId)) add('plannedImmutableId', 'is not base64 of a 16-byte GUID');
  for (const field of ['attributes', 'userAccountControl', 'recoverConsistencyGuid', 'oldDn', 'oldSAMAccountName'] as const)
    if (e[field] !== undefined) add(field, 'an adopt writes nothing to the AD object but its anchor');
}

/**
 * Two entries that write with one cloud id, UPN, DN or sAMAccountName. Entries that
 * write nothing may repeat one (BLOCKED_DUPLICATE_INPUT repeats the id or UPN of the user that is planned).
 */
function duplicateProblems(entries: readonly PlanEntry[], dnKeys: readonly (string | null | undefined)[]): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const seen = new Map<string, number>();
  entries.forEach((e, index) => {
    if (!getsAdObject(e)) return;
    const keys: [string, string | null | undefined][] = [
      ['cloudId', e.cloudId.toLowerCase()],
      ['userPrincipalName', e.userPrincipalName.toLowerCase()],
      ['dn', dnKeys[index]],
      ['sAMAccountName', e.sAMAccountName?.toLowerCase()],
    ];
    for (const [field, key] of keys) {
      if (key === undefined || key === null || key === '') continue;
      const first = seen.get(`${field}\u0000${key}`);
      if (first === undefined) seen.set(`${field}\u0000${key}`, index);
      else problems.push({ index, user: e.userPrincipalName || e.cloudId, field, message: `duplicates entries.${first}: two entries with one ${field}` });
    }
  });
  return problems;
}
