/**
 * Recovery in place, end to end (simulator + Samba DC, the built CLI): after losing
 * the forest `DC=lost,DC=local`, plan --recover and apply bring each user back under
 * its old sAMAccountName (case kept), old CN and old OU moved into the test domain
 * (nested OUs created, RFC 4514 escapes in every RDN), with mS-DS-ConsistencyGuid =
 * its immutableId, and nothing written to onPremisesImmutableId of a recovered user.
 * Checked with OpenLDAP's ldapsearch, not with our own adapter.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childDn, dnEquals, parentDn } from '../../../src/directory/index.js';
import type { Plan } from '../../../src/plan/types.js';
import { connectDirectory, dcInfo, deleteTree } from '../../harness/dc.js';
import { ldapsearch, ldifValues } from '../../harness/ldapsearch.js';
import { newUser } from '../../harness/users.js';
import { describeRun, entryOf, readPlanFile, rig, tag, tenant, writesTo, type Rig } from '../safety/helpers.js';
import { recoveryFixture } from './fixture.js';

const t = tag();
const fx = recoveryFixture(t);
const u = fx.users;
const base = dcInfo().baseDn;
const root = childDn(base, 'OU', `r-${t}`);
const movedTo = `OU=New,${root}`;
let r: Rig;
let plan: Plan;
let holderDn: string;

interface AdUser {
  dn: string;
  sAMAccountName: string;
  consistencyGuid?: string;
  manager?: string;
}

/** Every user under the lost forest's new home, read with ldapsearch (DNs as the DC writes them). */
async function adUsersByUpn(): Promise<Map<string, AdUser>> {
  const { stdout } = await ldapsearch(base, 'sub', ['userPrincipalName', 'sAMAccountName', 'mS-DS-ConsistencyGuid', 'manager']);
  const out = new Map<string, AdUser>();
  for (const block of stdout.split(/\n\n+/)) {
    const upn = ldifValues(block, 'userPrincipalName')[0]?.value;
    const dn = ldifValues(block, 'dn')[0]?.value;
    if (!upn || !dn) continue;
    const guid = ldifValues(block, 'mS-DS-ConsistencyGuid')[0];
    const manager = ldifValues(block, 'manager')[0]?.value;
    out.set(upn.toLowerCase(), {
      dn,
      sAMAccountName: ldifValues(block, 'sAMAccountName')[0]?.value ?? '',
      ...(guid ? { consistencyGuid: guid.base64 ? guid.value : Buffer.from(guid.value, 'utf8').toString('base64') } : {}),
      ...(manager ? { manager } : {}),
    });
  }
  return out;
}

beforeAll(async () => {
  // The new domain already has an object holding one user's old logon name.
  {
    await using directory = await connectDirectory();
    await directory.ensureOu(`OU=Other,${root}`);
    const holder = newUser(`OU=Other,${root}`, { sam: fx.takenSam.toLowerCase(), cn: `Holder ${t}` });
    await directory.createUser(holder, undefined);
    holderDn = holder.dn;
  }
  r = await rig(tenant({ users: Object.values(u) }), t);
  const mapDn = `${fx.movedFrom}=${movedTo}`;
  const planned = await r.run('plan', ['--out', r.dir, '--recover', '--map-dn', mapDn]);
  expect(planned.code, describeRun(planned)).toBe(0);
  plan = await readPlanFile(r.dir);
  const applied = await r.run('apply', ['--plan', join(r.dir, 'plan.json'), '--yes']);
  expect(applied.code, describeRun(applied)).toBe(0);
}, 240_000);

afterAll(async () => {
  await deleteTree(root);
});

describe('recovery in place', () => {
  it('plans the old identity, the fallbacks and the blocks, each with its reason', () => {
    const reasons = Object.fromEntries(Object.entries(u).map(([k, user]) => [k, entryOf(plan, user.userPrincipalName).reason]));
    expect(reasons).toEqual({
      boss: 'RECOVER_CONSISTENCY_GUID',
      jdoe: 'RECOVER_CONSISTENCY_GUID',
      lab: 'RECOVER_CONSISTENCY_GUID',
      long: 'RECOVER_CONSISTENCY_GUID',
      moved: 'RECOVER_CONSISTENCY_GUID',
      oldConnect: 'RECOVER_TEMPLATE_FALLBACK',
      taken: 'BLOCKED_RECOVER_NAME_IN_USE',
      legacy: 'BLOCKED_RECOVER_NOT_GUID',
      hire: 'CREATE_NEW',
    });
    const taken = entryOf(plan, u.taken.userPrincipalName);
    expect(dnEquals(taken.message.match(/held by (CN=Holder [^;.]*?,DC=[^ .;]+(?:,DC=[^ .;]+)*)/)?.[1] ?? '', holderDn), taken.message).toBe(true);
    expect(taken.message).toMatch(/onNameTaken.*rename/);
    expect(entryOf(plan, u.oldConnect.userPrincipalName).message).toMatch(/older Entra Connect/);
  });

  it('ldapsearch: old sAMAccountName (case kept), old CN, old parent moved into this domain, ConsistencyGuid = immutableId', async () => {
    const ad = await adUsersByUpn();
    const expected: Array<[keyof typeof u, string, string]> = [
      ['boss', `Boss${t}`, `CN=Boss ${t},OU=Mgmt,${root}`],
      ['jdoe', `JDoe${t}`, `CN=Doe\\, John ${t},OU=Sales,OU=EMEA,${root}`],
      ['lab', `lab${t}`, `CN=\\#Lab ${t},OU=R\\+D,${root}`],
      ['long', `Abcdefghijklmn${t}`, `CN=Long ${t},OU=Staff,${root}`],
      ['moved', `mov${t}`, `CN=Moved ${t},${movedTo}`],
    ];
    for (const [key, sam, dn] of expected) {
      const user = u[key];
      const got = ad.get(user.userPrincipalName.toLowerCase());
      expect(got, key).toBeDefined();
      expect(got!.sAMAccountName, key).toBe(sam);
      expect(dnEquals(got!.dn, dn), `${key}: ${got!.dn} vs ${dn}`).toBe(true);
      expect(dnEquals(parentDn(got!.dn), parentDn(dn)), key).toBe(true);
      expect(got!.consistencyGuid, key).toBe(user.onPremisesImmutableId);
    }
    expect(`Abcdefghijklmn${t}`).toHaveLength(20);
  });

  it('the older-Connect user is in the target OU under template names; the blocked ones are not in AD', async () => {
    const ad = await adUsersByUpn();
    const old = ad.get(u.oldConnect.userPrincipalName.toLowerCase())!;
    expect(dnEquals(parentDn(old.dn), r.ou)).toBe(true);
    expect(old.consistencyGuid).toBe(u.oldConnect.onPremisesImmutableId);
    expect(ad.has(u.taken.userPrincipalName.toLowerCase())).toBe(false);
    expect(ad.has(u.legacy.userPrincipalName.toLowerCase())).toBe(false);
  });

  it("managers point at the recovered manager's new DN", async () => {
    const ad = await adUsersByUpn();
    const boss = ad.get(u.boss.userPrincipalName.toLowerCase())!;
    for (const key of ['jdoe', 'lab'] as const) {
      const got = ad.get(u[key].userPrincipalName.toLowerCase())!;
      expect(got.manager, key).toBeDefined();
      expect(dnEquals(got.manager!, boss.dn), key).toBe(true);
    }
  });

  it('no write to onPremisesImmutableId of any recovered user; the new hire gets its anchor', () => {
    for (const key of ['boss', 'jdoe', 'lab', 'long', 'moved', 'oldConnect', 'taken', 'legacy'] as const) {
      const immutableIdWrites = writesTo(r.sim, u[key].id).filter((w) => JSON.stringify(w).includes('onPremisesImmutableId'));
      expect(immutableIdWrites, key).toEqual([]);
    }
    expect(writesTo(r.sim, u.hire.id).filter((w) => JSON.stringify(w).includes('onPremisesImmutableId'))).toHaveLength(1);
  });

  it('verify --scope domain: hard-match where no identifier is set; previously synced objects are blocked until cleared', async () => {
    const v = await r.run('verify', ['--output', 'json', '--scope', 'domain']);
    expect([0, 4], describeRun(v)).toContain(v.code);
    const result = JSON.parse(v.stdout) as { predictions: { cloudId?: string; reason: string }[] };
    const by = new Map(result.predictions.filter((p) => p.cloudId).map((p) => [p.cloudId!.toLowerCase(), p.reason]));
    expect(by.get(u.oldConnect.id.toLowerCase())).toBe('HARD_MATCH');
    for (const key of ['boss', 'jdoe', 'lab', 'long', 'moved'] as const) expect(by.get(u[key].id.toLowerCase()), key).toBe('BLOCKED_PREVIOUSLY_SYNCED_OBJECT');
  });
});
