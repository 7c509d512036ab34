/**
 * Protected accounts: the AD users an adopt must never hand to a cloud user without
 * an explicit per-user allow. Writing base64 of such an account's objectGUID as a cloud
 * user's onPremisesImmutableId makes the next Entra Connect sync join the two, so the
 * cloud user's holder would sign in as (and reset the password of) a domain administrator.
 *
 * Which accounts: AD's own list of protected accounts and groups, whose members
 * SDProp marks with adminCount=1 ("Appendix C: Protected Accounts and Groups in Active
 * Directory", learn.microsoft.com/windows-server/identity/ad-ds/plan/security-best-practices/appendix-c--protected-accounts-and-groups-in-active-directory;
 * [MS-ADTS] 3.1.1.6.1.2 "Protected Objects"): Account Operators, Administrators,
 * Backup Operators, Domain Admins, Domain Controllers, Enterprise Admins, Print Operators,
 * Read-only Domain Controllers, Replicator, Schema Admins, Server Operators, with
 * nested membership and the primary group counted. adminCount=1 alone counts too: it
 * stays set on a former member (SDProp never clears it), whose ACL is still AdminSDHolder's.
 *
 * Groups are found by their well-known SIDs ([MS-DTYP] 2.4.2.4), not by name (names
 * are localised and can be renamed). Schema Admins and Enterprise Admins exist only in
 * the forest root domain: in a child domain they are not found here (adminCount still is).
 */
import { AndFilter, EqualityFilter, ExtensibleFilter, OrFilter, type Entry } from 'ldapts';
import { dnKeyOrText } from './dn.js';
import type { Session } from './session.js';
import { PROTECTED_BUILTIN_GROUP_RIDS, PROTECTED_DOMAIN_GROUP_RIDS } from './protection.js';

/** LDAP_MATCHING_RULE_IN_CHAIN: transitive membership ([MS-ADTS] 3.1.1.3.4.4.3). */
export const LDAP_MATCHING_RULE_IN_CHAIN = '1.2.840.113556.1.4.1941';

/** A SID's binary form with one more sub-authority (`rid`) appended ([MS-DTYP] 2.4.2.2). */
export function sidWithRid(sid: Uint8Array, rid: number): Buffer {
  const out = Buffer.alloc(sid.length + 4);
  Buffer.from(sid).copy(out);
  out[1] = sid[1]! + 1;
  out.writeUInt32LE(rid, sid.length);
  return out;
}

/** S-1-5-32: the BUILTIN domain's SID in binary form. */
const BUILTIN_SID = Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0]);

/**
 * dnKey of every object that is, directly or through nested groups, a member of a
 * protected group -> the DNs of those groups. Only the domain `domainDn` is read.
 */
export async function readProtectedMembership(session: Session, domainDn: string): Promise<Map<string, string[]>> {
  const groups = await readProtectedGroups(session, domainDn);
  // One group after the other: each unqualified in-chain search walks the whole domain.
  const found: GroupMembers[] = [];
  for (const group of groups) found.push({ group: group.dn, inChain: await membersInChain(session, domainDn, group.dn) });
  return byMember(found);
}

/** The protected groups of the domain, found by their well-known SIDs. */
async function readProtectedGroups(session: Session, domainDn: string): Promise<Entry[]> {
  const [domain] = await session.search(domainDn, { scope: 'base', attributes: ['objectSid'], explicitBufferAttributes: ['objectSid'] }, { operation: 'readSnapshot', dn: domainDn });
  const domainSid = domain ? sidOf(domain) : undefined;
  const sids: Buffer[] = Object.keys(PROTECTED_BUILTIN_GROUP_RIDS).map((rid) => sidWithRid(BUILTIN_SID, Number(rid)));
  if (domainSid) for (const rid of Object.keys(PROTECTED_DOMAIN_GROUP_RIDS)) sids.push(sidWithRid(domainSid, Number(rid)));
  return session.search(
    domainDn,
    { scope: 'sub', filter: new OrFilter({ filters: sids.map((value) => new EqualityFilter({ attribute: 'objectSid', value })) }), attributes: ['1.1'] },
    { operation: 'readSnapshot', dn: domainDn },
  );
}

/**
 * readProtectedMembership for the given objects only (by objectGUID, `filters` of at
 * most a chunk each): per protected group, the members among them. The transitive
 * match is evaluated only on the objects the indexed objectGUID terms select, not on
 * every object of the domain as an unqualified in-chain search is (measured on Samba
 * 4.17: 70-130 ms per group, one after the other, in a domain of a few thousand users).
 */
export async function readProtectedMembershipOf(session: Session, domainDn: string, objects: readonly OrFilter[]): Promise<Map<string, string[]>> {
  if (objects.length === 0) return new Map();
  const groups = await readProtectedGroups(session, domainDn);
  const found = await Promise.all(
    groups.flatMap((group) => objects.map(async (chunk): Promise<GroupMembers> => ({ group: group.dn, inChain: await membersInChain(session, domainDn, group.dn, chunk) }))),
  );
  return byMember(found);
}

interface GroupMembers {
  group: string;
  inChain: Entry[];
}

/** The members of `group`, direct or nested ([MS-ADTS] LDAP_MATCHING_RULE_IN_CHAIN), among the objects `among` selects, or in the whole domain. */
function membersInChain(session: Session, domainDn: string, group: string, among?: OrFilter): Promise<Entry[]> {
  const inChain = new ExtensibleFilter({ matchType: 'memberOf', rule: LDAP_MATCHING_RULE_IN_CHAIN, value: group });
  return session.search(
    domainDn,
    { scope: 'sub', filter: among ? new AndFilter({ filters: [among, inChain] }) : inChain, attributes: ['1.1'], paged: { pageSize: 500 } },
    { operation: 'readSnapshot', dn: group },
  );
}

/** dnKey of each member -> its protected groups, in the groups search's order, each once (an object may be found through several chunks). */
function byMember(found: readonly GroupMembers[]): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const { group, inChain } of found) {
    for (const member of inChain) {
      const key = dnKeyOrText(member.dn);
      const list = members.get(key) ?? [];
      if (!list.includes(group)) list.push(group);
      members.set(key, list);
    }
  }
  return members;
}

function sidOf(entry: Entry): Buffer | undefined {
  const value = entry['objectSid'];
  const first = Array.isArray(value) ? value[0] : value;
  return Buffer.isBuffer(first) && first.length >= 8 ? first : undefined;
}
