/**
 * A protected AD account (here: a member of Domain Admins through a nested group,
 * outside the target OU) holding a cloud user's UPN is never adopted: plan blocks it
 * (BLOCKED_PROTECTED_ACCOUNT) and apply writes no anchor for it; an account that
 * becomes protected after the review is refused at apply (PLAN_STALE), nothing written.
 */
import { join } from 'node:path';
import { Change, Client, Attribute } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { UAC_DISABLED_USER } from '../../../src/directory/index.js';
import { connectDirectory, dcInfo, plainLdapClient } from '../../harness/dc.js';
import { describeRun } from '../../harness/run-cli.js';
import { newUser } from '../../harness/users.js';
import { cloudImmutableIds, immutableIdWrites, successfulWritesByUser } from '../../harness/graph.js';
import { freshOu, readPlan, removeOu, startSampleRig, tempDir } from '../../harness/rig.js';

const UPN = 'prince@contoso.example';
const SCOPE = [UPN, 'tara.king@contoso.example'];

/** An LDAP connection as the harness's admin, for what entra2ad never does (groups, memberships). */
async function asAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const dc = dcInfo();
  const client = plainLdapClient(dc);
  try {
    await client.bind(dc.bindDn, dc.bindPassword);
    return await fn(client);
  } finally {
    await client.unbind();
  }
}

/** A user with `UPN` in its own OU, and a group there holding it; returns their DNs. */
async function holderOfUpn(ou: string): Promise<{ user: string; group: string }> {
  await using directory = await connectDirectory();
  await directory.ensureOu(ou);
  const entry = newUser(ou, { userAccountControl: UAC_DISABLED_USER, attributes: { userPrincipalName: UPN } });
  await directory.createUser(entry, undefined);
  const group = `CN=ops-admins,${ou}`;
  await asAdmin(async (client) => {
    await client.add(group, { objectClass: ['top', 'group'], sAMAccountName: `opsadm-${ou.slice(3, 15).replace(/[^a-z0-9]/gi, '')}`.slice(0, 20) });
    await client.modify(group, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [entry.dn] }) }));
  });
  return { user: entry.dn, group };
}

/** The group nested into Domain Admins (found by name in CN=Users: the harness DC is not localised). */
async function nestIntoDomainAdmins(group: string): Promise<void> {
  await asAdmin((client) =>
    client.modify(`CN=Domain Admins,CN=Users,${dcInfo().baseDn}`, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [group] }) })),
  );
}

describe('a protected AD account with a cloud user\'s UPN', () => {
  it('is BLOCKED_PROTECTED_ACCOUNT in the plan (nested Domain Admins), and apply writes no anchor for it', async () => {
    const rig = await startSampleRig();
    const squat = freshOu('da');
    try {
      const { group } = await holderOfUpn(squat);
      await nestIntoDomainAdmins(group);
      const dir = await tempDir('protected');
      const config = await rig.writeConfig({ plan: { scope: { includeUpns: SCOPE } } });
      const planned = await rig.plan(dir, ['--config', config]);
      expect(planned.code, describeRun(planned)).toBe(0);
      const entry = (await readPlan(dir)).entries.find((e) => e.userPrincipalName === UPN)!;
      expect(entry).toMatchObject({ action: 'blocked', reason: 'BLOCKED_PROTECTED_ACCOUNT' });
      expect(entry.message).toMatch(/member of CN=Domain Admins,CN=Users/i);
      expect(entry.message).toContain('plan.adoptProtectedUpns');

      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(run.code, describeRun(run)).toBe(0);
      const princeId = rig.tenant.users.find((u) => u.userPrincipalName === UPN)!.id;
      expect(immutableIdWrites(rig.sim).filter((w) => w.userId === princeId)).toEqual([]);
      expect(cloudImmutableIds(rig.sim).get(princeId)).toBeNull();
      // The rest of the plan went ahead: tara was created and anchored.
      expect(successfulWritesByUser(rig.sim).size).toBe(1);
    } finally {
      await removeOu(squat);
      await rig.close();
    }
  });

  it('that became protected after the review is refused at apply: exit 2 PLAN_STALE BLOCKED_PROTECTED_ACCOUNT, nothing written', async () => {
    const rig = await startSampleRig();
    const squat = freshOu('da');
    try {
      const { group } = await holderOfUpn(squat);
      const dir = await tempDir('protected');
      const config = await rig.writeConfig({ plan: { scope: { includeUpns: SCOPE } } });
      const planned = await rig.plan(dir, ['--config', config]);
      expect(planned.code, describeRun(planned)).toBe(0);
      expect((await readPlan(dir)).entries.find((e) => e.userPrincipalName === UPN)).toMatchObject({ action: 'adopt', reason: 'ADOPT_EXISTING_UPN' });

      await nestIntoDomainAdmins(group);
      const writesBefore = rig.sim.state().writes?.length ?? 0;
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--config', config, '--yes']);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/PLAN_STALE/);
      expect(run.stderr).toMatch(/prince@contoso\.example: BLOCKED_PROTECTED_ACCOUNT: .*member of CN=Domain Admins/i);
      expect(rig.sim.state().writes?.length ?? 0).toBe(writesBefore);
    } finally {
      await removeOu(squat);
      await rig.close();
    }
  });
});
