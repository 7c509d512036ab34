/**
 * Recovery in place, end to end (simulator + Samba DC, the built CLI): after losing
 * the forest `DC=lost,DC=local`, plan --recover and apply bring each user back under
 * its old sAMAccountName (case kept), old CN and old OU moved into the test domain
 * (nested OUs created, RFC 4514 escapes in every RDN), with mS-DS-ConsistencyGuid =
 * its immutableId, and nothing written to onPremisesImmutableId of a recovered user.
 * Then apply --clear-object-identifier, killed with SIGKILL right after its second
 * clear and run again: exactly one clear per identifier-bearing recovered user, and
 * verify predicts a hard match for every recovered user.
 * Checked with OpenLDAP's ldapsearch and the simulator's state, not with our own adapter.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childDn, dnEquals, parentDn } from '../../../src/directory/index.js';
import type { Plan } from '../../../src/plan/types.js';
import { connectDirectory, dcInfo, deleteTree } from '../../harness/dc.js';
import { ldapsearch, ldifValues } from '../../harness/ldapsearch.js';
import { newUser } from '../../harness/users.js';
import type { JournalRecord } from '../../../src/journal/records.js';
import { writesTo } from '../../harness/graph.js';
import { entryOf, planThenApply, type Rig, taggedRig } from '../../harness/rig.js';
import { describeRun } from '../../harness/run-cli.js';
import { tag, buildTenant } from '../../harness/tenant.js';
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
  r = await taggedRig(buildTenant({ users: Object.values(u) }), t);
  const mapDn = `${fx.movedFrom}=${movedTo}`;
  ({ plan } = await planThenApply(r, ['--recover', '--map-dn', mapDn]));
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
      soa: 'BLOCKED_RECOVER_CLOUD_MANAGED',
      hire: 'CREATE_NEW',
    });
    expect(entryOf(plan, u.soa.userPrincipalName).message).toMatch(/blocks updates from on-premises AD.*"isCloudManaged": false/);
    const taken = entryOf(plan, u.taken.userPrincipalName);
    expect(dnEquals(taken.message.match(/held by (CN=Holder [^;.]*?,DC=[^ .;]+(?:,DC=[^ .;]+)*)/)?.[1] ?? '', holderDn), taken.message).toBe(true);
    expect(taken.message).toMatch(/onNameTaken.*rename/);
    expect(entryOf(plan, u.oldConnect.userPrincipalName).message).toMatch(/older Entra Connect/);
  });

  it('plan.ldif adds the old OUs the new domain lacks, top-down, each once, before the users in them', async () => {
    const ldif = await readFile(join(r.dir, 'plan.ldif'), 'utf8');
    const records = ldif.split(/\n\n+/).map((b) => ({ dn: /^dn: (.*)$/m.exec(b)?.[1] ?? '', ou: /objectClass: organizationalUnit/.test(b) }));
    const ous = records.filter((x) => x.ou).map((x) => x.dn);
    const expected = [r.ou, `OU=Mgmt,${root}`, `OU=EMEA,${root}`, `OU=Sales,OU=EMEA,${root}`, `OU=R\\+D,${root}`, `OU=Staff,${root}`, movedTo];
    expect(ous.map((d) => d.toLowerCase()).sort()).toEqual(expected.map((d) => d.toLowerCase()).sort());
    // OU=r-<tag> and OU=Other existed already; every OU comes before the first user below it.
    for (const ou of ous) {
      const at = records.findIndex((x) => x.dn === ou);
      const firstUser = records.findIndex((x) => !x.ou && x.dn.toLowerCase().endsWith(`,${ou.toLowerCase()}`));
      if (firstUser >= 0) expect(at, ou).toBeLessThan(firstUser);
    }
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
    expect(ad.has(u.soa.userPrincipalName.toLowerCase())).toBe(false);
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
    for (const key of ['boss', 'jdoe', 'lab', 'long', 'moved', 'oldConnect', 'taken', 'legacy', 'soa'] as const) {
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

  const bearers = ['boss', 'jdoe', 'lab', 'long', 'moved'] as const;
  const clearsOf = (id: string) =>
    writesTo(r.sim, id).filter((w) => w.status === 204 && Object.prototype.hasOwnProperty.call(w.body, 'onPremisesObjectIdentifier'));
  const journal = async () =>
    (await readFile(join(r.dir, 'journal.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as JournalRecord);

  it('apply --clear-object-identifier killed (SIGKILL) after its second clear, then again: one clear per identifier-bearing user, nothing else', async () => {
    const args = ['--plan', join(r.dir, 'plan.json'), '--yes', '--clear-object-identifier'];
    const crashed = await r.run('apply', args, { ENTRA2AD_CRASH_AT: 'after-identifier-clear:2' });
    expect(crashed.signal, describeRun(crashed)).toBe('SIGKILL');
    expect(crashed.stderr).toMatch(/cannot be undone/);
    // Halfway: two PATCHes answered, the journal knows one of them done.
    const cleared = () => Object.values(u).flatMap((user) => clearsOf(user.id));
    expect(cleared()).toHaveLength(2);
    const before = await journal();
    expect(before.filter((l) => l.kind === 'identifier-clear-start')).toHaveLength(2);
    expect(before.filter((l) => l.kind === 'identifier-cleared' && l.outcome === 'cleared')).toHaveLength(1);

    const resumed = await r.run('apply', args);
    expect(resumed.code, describeRun(resumed)).toBe(0);
    const again = await r.run('apply', args);
    expect(again.code, describeRun(again)).toBe(0);

    const state = new Map(r.sim.state().users.map((x) => [x.id, x]));
    for (const key of bearers) {
      expect(clearsOf(u[key].id), key).toHaveLength(1);
      expect(state.get(u[key].id)?.onPremisesObjectIdentifier ?? null, key).toBeNull();
    }
    // Not recovered (blocked), or nothing to clear: no PATCH at all, the blocked users keep their identifier.
    for (const key of ['oldConnect', 'taken', 'legacy', 'soa', 'hire'] as const) expect(clearsOf(u[key].id), key).toEqual([]);
    for (const key of ['taken', 'legacy', 'soa'] as const) expect(state.get(u[key].id)?.onPremisesObjectIdentifier, key).toBe(u[key].onPremisesObjectIdentifier);
    // Still no write to onPremisesImmutableId of any recovered user.
    for (const key of [...bearers, 'oldConnect', 'taken', 'legacy', 'soa'] as const) {
      expect(writesTo(r.sim, u[key].id).filter((w) => Object.prototype.hasOwnProperty.call(w.body, 'onPremisesImmutableId')), key).toEqual([]);
    }
    const report = JSON.parse(await readFile(join(r.dir, 'clear-object-identifier.json'), 'utf8')) as { users: { cloudId: string; outcome: string }[] };
    // The last run found everything done by the two before it.
    expect(new Set(report.users.map((x) => x.outcome))).toEqual(new Set(['done-earlier']));
    const after = await journal();
    expect(after.filter((l) => l.kind === 'identifier-cleared').map((l) => ('cloudId' in l ? l.cloudId : '')).sort()).toEqual(
      [...bearers.map((k) => u[k].id), u.oldConnect.id].sort(),
    );
  });

  it('verify --scope domain after the clear: hard-match for every recovered user', async () => {
    const v = await r.run('verify', ['--output', 'json', '--scope', 'domain']);
    expect([0, 4], describeRun(v)).toContain(v.code);
    const result = JSON.parse(v.stdout) as { predictions: { cloudId?: string; reason: string }[] };
    const by = new Map(result.predictions.filter((p) => p.cloudId).map((p) => [p.cloudId!.toLowerCase(), p.reason]));
    for (const key of [...bearers, 'oldConnect'] as const) expect(by.get(u[key].id.toLowerCase()), key).toBe('HARD_MATCH');
  });
});

describe('apply --clear-object-identifier in the same run as the creates', () => {
  it('creates the user, reads it back, then clears its identifier once; verify then predicts a hard match', async () => {
    const t3 = tag();
    const fx3 = recoveryFixture(t3);
    const r3 = await taggedRig(buildTenant({ users: [fx3.users.long] }), t3);
    try {
      const planned = await r3.run('plan', ['--out', r3.dir, '--recover']);
      expect(planned.code, describeRun(planned)).toBe(0);
      const applied = await r3.run('apply', ['--plan', join(r3.dir, 'plan.json'), '--yes', '--clear-object-identifier']);
      expect(applied.code, describeRun(applied)).toBe(0);
      expect(applied.stderr).toMatch(/cleared 1, already clear 0/);
      const writes = r3.sim.state().writes ?? [];
      expect(writes.map((w) => [w.status, Object.keys(w.body)])).toEqual([[204, ['onPremisesObjectIdentifier']]]);
      const ad = (await adUsersByUpn()).get(fx3.users.long.userPrincipalName.toLowerCase());
      expect(ad?.consistencyGuid).toBe(fx3.users.long.onPremisesImmutableId);
      const v = await r3.run('verify', ['--output', 'json', '--scope', 'domain']);
      const result = JSON.parse(v.stdout) as { predictions: { cloudId?: string; reason: string }[] };
      expect(result.predictions.find((p) => p.cloudId?.toLowerCase() === fx3.users.long.id.toLowerCase())?.reason).toBe('HARD_MATCH');
    } finally {
      await deleteTree(childDn(base, 'OU', `r-${t3}`));
    }
  }, 120_000);
});

describe('apply --clear-object-identifier without User-OnPremisesSyncBehavior.ReadWrite.All', () => {
  it('stops before any write, naming the permission; the user stays recoverable', async () => {
    const t2 = tag();
    const fx2 = recoveryFixture(t2);
    const snapshot = buildTenant({ users: [fx2.users.boss], app: { applicationPermissions: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'RoleManagement.Read.Directory', 'Domain.Read.All'] } });
    const r2 = await taggedRig(snapshot, t2);
    try {
      const planned = await r2.run('plan', ['--out', r2.dir, '--recover']);
      expect(planned.code, describeRun(planned)).toBe(0);
      const applied = await r2.run('apply', ['--plan', join(r2.dir, 'plan.json'), '--yes', '--clear-object-identifier']);
      expect(applied.code, describeRun(applied)).toBe(1);
      expect(applied.stderr).toMatch(/User-OnPremisesSyncBehavior\.ReadWrite\.All/);
      expect(r2.sim.state().writes ?? []).toEqual([]);
      expect((await adUsersByUpn()).has(fx2.users.boss.userPrincipalName.toLowerCase())).toBe(false);
      expect(r2.sim.state().users.find((x) => x.id === fx2.users.boss.id)?.onPremisesObjectIdentifier).toBe(fx2.users.boss.onPremisesObjectIdentifier);
    } finally {
      await deleteTree(childDn(base, 'OU', `r-${t2}`));
    }
  }, 120_000);
});
