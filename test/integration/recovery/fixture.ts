/**
 * A recovery tenant of our own: the cloud side of a lost forest `DC=lost,DC=local`,
 * as Entra Connect left it (onPremisesSyncEnabled true, immutableId = base64 of the
 * lost objectGUID, onPremisesSamAccountName / onPremisesDistinguishedName /
 * onPremisesDomainName, and onPremisesObjectIdentifier from Connect 2.2.8+), plus the
 * awkward cases: nested OUs, escaped CNs and OUs, old logon names that differ from the
 * UPN prefix, a 20-character name, users from an older Connect without the names or
 * the identifier, a user whose old name is taken in the new domain, a non-GUID anchor,
 * a subtree moved with --map-dn, a manager, a user switched to cloud management
 * (source of authority), and a new cloud-only hire.
 *
 * Every name carries the test's tag, and the whole lost forest lives under
 * `OU=r-<tag>`, so runs on a shared DC never meet.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SnapshotUser } from '../../../src/graph/tenant-snapshot.js';
import { taggedUser } from '../../harness/tenant.js';

export const LOST_BASE = 'DC=lost,DC=local';

const guidAnchor = () => randomBytes(16).toString('base64');

export interface RecoveryFixture {
  /** `OU=r-<tag>,DC=lost,DC=local`: the root of the lost users' OUs. */
  lostRoot: string;
  users: Record<
    'boss' | 'jdoe' | 'lab' | 'long' | 'moved' | 'oldConnect' | 'taken' | 'legacy' | 'soa' | 'hire',
    SnapshotUser
  >;
  /** The sAMAccountName a pre-existing AD object holds (the taken user's old name). */
  takenSam: string;
  /** Old subtree moved with --map-dn (relative to the lost root). */
  movedFrom: string;
}

export function recoveryFixture(t: string): RecoveryFixture {
  const lostRoot = `OU=r-${t},${LOST_BASE}`;
  const synced = (name: string, sam: string | null, dn: string | null, extra: Partial<SnapshotUser> = {}): SnapshotUser =>
    taggedUser(name, t, {
      onPremisesSyncEnabled: true,
      onPremisesImmutableId: guidAnchor(),
      onPremisesSamAccountName: sam,
      onPremisesDistinguishedName: dn,
      onPremisesDomainName: dn ? 'lost.local' : null,
      onPremisesLastSyncDateTime: '2026-11-30T02:00:00Z',
      // Connect 2.2.8+ writes it: the lost object's id (format undocumented; a GUID here).
      onPremisesObjectIdentifier: dn ? randomUUID() : null,
      ...extra,
    });
  const boss = synced('boss', `Boss${t}`, `CN=Boss ${t},OU=Mgmt,${lostRoot}`);
  const users: RecoveryFixture['users'] = {
    boss,
    // Old logon name differs from the UPN prefix (and keeps its case); nested OUs; an escaped CN.
    jdoe: synced('john.doe', `JDoe${t}`, `CN=Doe\\, John ${t},OU=Sales,OU=EMEA,${lostRoot}`, { manager: { id: boss.id } }),
    // Escapes in the OU (`+`) and a leading `#` in the CN.
    lab: synced('lab', `lab${t}`, `CN=\\#Lab ${t},OU=R\\+D,${lostRoot}`, { manager: { id: boss.id } }),
    // Exactly 20 characters: the Windows limit, kept whole.
    long: synced('long', `Abcdefghijklmn${t}`, `CN=Long ${t},OU=Staff,${lostRoot}`),
    moved: synced('moved', `mov${t}`, `CN=Moved ${t},OU=Old,${lostRoot}`),
    // Synced by an older Connect: no names, no identifier.
    oldConnect: synced('oldconnect', null, null),
    taken: synced('taken', `Taken${t}`, `CN=Taken ${t},OU=Staff,${lostRoot}`),
    // An anchor that is not a GUID (sourceAnchor was employeeID or similar).
    legacy: synced('legacy', `leg${t}`, `CN=Legacy ${t},OU=Staff,${lostRoot}`, { onPremisesImmutableId: Buffer.from(`emp-${t}`).toString('base64') }),
    // Switched to cloud management (onPremisesSyncBehavior.isCloudManaged true) before the loss.
    soa: synced('soa', `soa${t}`, `CN=Soa ${t},OU=Staff,${lostRoot}`, { onPremisesSyncBehavior: { isCloudManaged: true } }),
    // Hired after the loss: cloud-only.
    hire: taggedUser('hire', t),
  };
  return { lostRoot, users, takenSam: `Taken${t}`, movedFrom: `OU=Old,${lostRoot}` };
}
