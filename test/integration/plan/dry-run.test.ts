/**
 * The dry run against the simulator and the Samba DC, end to end through the CLI:
 * it reads both sides and writes NOTHING to either (the DC's highestCommittedUSN,
 * raised by any write, is unchanged; the simulator logged no PATCH); and the
 * plan.ldif it writes is accepted by OpenLDAP's ldapadd and really creates the
 * planned users, with the planned names, in the DC.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dcInfo } from '../../harness/dc.js';
import { first, ldapsearch, ldifValues, usersInOu } from '../../harness/ldapsearch.js';
import { describeRun } from '../../harness/run-cli.js';
import { creates, readPlan, startSampleRig, tempDir } from '../../harness/rig.js';

async function highestCommittedUsn(): Promise<number> {
  const { stdout } = await ldapsearch('', 'base', ['highestCommittedUSN']);
  return Number(ldifValues(stdout, 'highestCommittedUSN')[0]?.value);
}

/** `ldapadd -f FILE` against the harness DC, the password in a 0600 file. */
async function ldapadd(file: string): Promise<void> {
  const dc = dcInfo();
  const dir = await mkdtemp(join(tmpdir(), 'e2a-ldapadd-'));
  try {
    const pwFile = join(dir, 'pw');
    await writeFile(pwFile, dc.bindPassword, { mode: 0o600 });
    const env: NodeJS.ProcessEnv = { ...process.env, LDAPTLS_REQCERT: dc.urlHostVerifiable ? 'demand' : 'allow' };
    if (dc.caPem !== undefined) {
      const caFile = dc.caFile ?? join(dir, 'ca.pem');
      if (dc.caFile === undefined) await writeFile(caFile, dc.caPem);
      env.LDAPTLS_CACERT = caFile;
    }
    await new Promise<void>((resolve, reject) => {
      execFile('ldapadd', ['-H', dc.url, '-x', '-D', dc.bindDn, '-y', pwFile, '-f', file], { env, timeout: 120_000 }, (error, _out, err) => {
        if (error) reject(new Error(`ldapadd failed (${error.code}): ${err.trim()}`));
        else resolve();
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('plan (the dry run) against the simulator and the DC', () => {
  it('writes nothing to either side, and its plan.ldif creates the planned users with ldapadd', async () => {
    const rig = await startSampleRig();
    try {
      const dir = await tempDir('dry-run');
      const usnBefore = await highestCommittedUsn();
      const planned = await rig.plan(dir, []);
      expect(planned.code, describeRun(planned)).toBe(0);
      expect(planned.stderr).toMatch(/directory checked/);
      expect(await highestCommittedUsn(), 'no write of any kind reached the DC').toBe(usnBefore);
      expect(rig.sim.state().writes ?? [], 'no write reached the cloud').toEqual([]);
      expect((await usersInOu(rig.ou)).size).toBe(0);

      const plan = await readPlan(dir);
      expect(plan.directoryChecked).toBe(true);
      expect(plan.targetOuExists, 'a fresh OU: plan.ldif creates it first').toBe(false);
      await ldapadd(join(dir, 'plan.ldif'));
      const ad = await usersInOu(rig.ou);
      expect(ad.size).toBe(creates(plan).length);
      for (const entry of creates(plan)) {
        const object = ad.get(entry.userPrincipalName.toLowerCase())?.[0];
        expect(object, entry.userPrincipalName).toBeDefined();
        expect(first(object!, 'sAMAccountName'), entry.userPrincipalName).toBe(entry.sAMAccountName);
        expect(first(object!, 'cn'), entry.userPrincipalName).toBe(entry.cn);
        expect(first(object!, 'userAccountControl'), 'created disabled: no password in the LDIF').toBe('514');
      }
    } finally {
      await rig.close();
    }
  });
});
