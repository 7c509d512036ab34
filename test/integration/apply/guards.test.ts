/**
 * apply's refusals and exit codes, through the built CLI on a handful of the
 * sample tenant's users (a config scope keeps each run to a few seconds):
 *  - drift: the cloud or AD changed since the plan was reviewed -> exit 2
 *    PLAN_STALE naming each user, and nothing written anywhere;
 *  - no terminal and no --yes -> exit 2 CONFIRMATION_REQUIRED, nothing written;
 *  - some users fail -> 3; all fail -> 1; all done -> 0;
 *  - the reviewed plan's password mode is the one executed;
 *  - a plan edited after review (PLAN_EDITED), or another plan in a started run folder (RUN_PLAN_MISMATCH), is refused.
 */
import { existsSync } from 'node:fs';
import { copyFile, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGraph } from '../../../src/cloud/index.js';
import { UAC_DISABLED_USER } from '../../../src/directory/index.js';
import { entryFingerprint } from '../../../src/plan/fingerprint.js';
import { acquireTargetLock } from '../../../src/journal/target-lock.js';
import { connectDirectory } from '../../harness/dc.js';
import { describeRun, runCli } from '../../harness/run-cli.js';
import { newUser } from '../../harness/users.js';
import { cloudImmutableIds, immutableIdWrites, successfulWritesByUser } from '../../harness/graph.js';
import { printedObjectGuid, searchAd, usersInOu } from '../../harness/ldapsearch.js';
import { creates, freshOu, readPasswords, readPlan, readReport, removeOu, type Rig, startRig, startSampleRig, tempDir } from '../../harness/rig.js';
import { checkBind } from './helpers.js';

const SCOPE = [
  'ava.thompson@contoso.example',
  'emma.wilson@contoso.example',
  'prince@contoso.example',
  'okafor@contoso.example',
  'tara.king@contoso.example',
  'reception@contoso.example',
];
const lower = (s: string) => s.toLowerCase();

async function setUp(planArgs: string[] = [], scope: string[] = SCOPE): Promise<{ rig: Rig; dir: string; config: string }> {
  const rig = await startSampleRig();
  const dir = await tempDir('guards');
  const config = await rig.writeConfig({ plan: { scope: { includeUpns: scope } } });
  const planned = await rig.plan(dir, ['--config', config, ...planArgs]);
  expect(planned.code, describeRun(planned)).toBe(0);
  expect(creates(await readPlan(dir)).map((e) => lower(e.userPrincipalName)).sort()).toEqual(scope.map(lower).sort());
  return { rig, dir, config };
}

/** Nothing reached AD (the target OU was not even created) or the cloud, and no run was journaled. */
async function expectNothingWritten(rig: Rig, dir: string, writesBefore: number): Promise<void> {
  expect(await searchAd(rig.ou, '(objectClass=*)', ['dn']), 'the target OU must not exist').toEqual([]);
  expect(rig.sim.state().writes?.length ?? 0).toBe(writesBefore);
  const journal = existsSync(join(dir, 'journal.jsonl')) ? await readFile(join(dir, 'journal.jsonl'), 'utf8') : '';
  expect(journal).not.toMatch(/run-start/);
  const credentials = existsSync(join(dir, 'credentials.csv')) ? await readFile(join(dir, 'credentials.csv'), 'utf8') : '';
  expect(credentials.trim().split('\n').filter((l) => l.trim() !== '').length, 'no password on file').toBeLessThanOrEqual(1);
}

function graphOf(rig: Rig) {
  return createGraph(
    { auth: 'secret', tenantId: rig.sim.tenantId, clientId: rig.sim.clientId, clientSecret: rig.sim.clientSecret, graphUrl: rig.sim.url, authorityHost: rig.sim.authorityHost, ca: rig.sim.caPem },
    { env: {} },
  );
}

describe('drift since the plan was reviewed', () => {
  it('refuses with exit 2 PLAN_STALE naming each changed cloud user, and writes nothing', async () => {
    const { rig, dir } = await setUp();
    try {
      const plan = await readPlan(dir);
      const tara = plan.entries.find((e) => e.userPrincipalName === 'tara.king@contoso.example')!;
      const emma = plan.entries.find((e) => e.userPrincipalName === 'emma.wilson@contoso.example')!;
      // Someone renames Tara and anchors Emma to something else, after the review.
      const graph = graphOf(rig);
      await graph.client.api(`/users/${tara.cloudId}`).patch({ userPrincipalName: 'tara.king-renamed@contoso.example' });
      await graph.client.api(`/users/${emma.cloudId}`).patch({ onPremisesImmutableId: Buffer.alloc(16, 7).toString('base64') });
      const writesBefore = rig.sim.state().writes?.length ?? 0;

      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/PLAN_STALE/);
      expect(run.stderr).toMatch(/tara\.king@contoso\.example: UPN_CHANGED/);
      expect(run.stderr).toMatch(/emma\.wilson@contoso\.example: IMMUTABLE_ID_CHANGED/);
      expect(run.stderr).toMatch(/2 user\(s\) changed/);
      await expectNothingWritten(rig, dir, writesBefore);
    } finally {
      await rig.close();
    }
  });

  it('refuses when a planned UPN was taken in AD after the review', async () => {
    const { rig, dir } = await setUp();
    const squat = freshOu('squat');
    try {
      await using directory = await connectDirectory();
      await directory.ensureOu(squat);
      const intruder = newUser(squat, { userAccountControl: UAC_DISABLED_USER, attributes: { userPrincipalName: 'prince@contoso.example' } });
      await directory.createUser(intruder, undefined);
      const writesBefore = rig.sim.state().writes?.length ?? 0;

      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/PLAN_STALE/);
      expect(run.stderr).toMatch(/prince@contoso\.example: NAME_TAKEN: userPrincipalName is now on/);
      await expectNothingWritten(rig, dir, writesBefore);
    } finally {
      await removeOu(squat);
      await rig.close();
    }
  });
});

describe('the run folder', () => {
  it.each(['credentials.csv', 'journal.jsonl'])('a symlinked %s is refused: exit 2 RUN_FILE_UNSAFE, the link target unchanged, nothing written', async (name) => {
    const { rig, dir } = await setUp([], ['tara.king@contoso.example']);
    const elsewhere = await tempDir('victim');
    try {
      const target = join(elsewhere, 'other-users-file');
      await writeFile(target, 'not yours\n', { mode: 0o644 });
      await symlink(target, join(dir, name));
      const writesBefore = rig.sim.state().writes?.length ?? 0;
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`RUN_FILE_UNSAFE.*${name.replace('.', '\\.')} is a symbolic link`));
      expect(await readFile(target, 'utf8')).toBe('not yours\n');
      expect((await stat(target)).mode & 0o777).toBe(0o644);
      expect(await searchAd(rig.ou, '(objectClass=*)', ['dn']), 'the target OU must not exist').toEqual([]);
      expect(rig.sim.state().writes?.length ?? 0).toBe(writesBefore);
    } finally {
      await rig.close();
    }
  });

  it('a pre-seeded credentials.csv password is never set: exit 2 CREDENTIALS_UNTRUSTED, nothing written, a bind with it fails', async () => {
    const { rig, dir } = await setUp([], ['tara.king@contoso.example']);
    try {
      const plan = await readPlan(dir);
      const tara = plan.entries.find((e) => e.userPrincipalName === 'tara.king@contoso.example')!;
      const KNOWN = 'Seeded-8331#Qtxw';
      await writeFile(join(dir, 'credentials.csv'), `userPrincipalName,sAMAccountName,password\r\ntara.king@contoso.example,${tara.sAMAccountName},${KNOWN}\r\n`, { mode: 0o600 });
      const writesBefore = rig.sim.state().writes?.length ?? 0;
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/CREDENTIALS_UNTRUSTED.*tara\.king@contoso\.example/);
      expect(run.stderr).not.toContain(KNOWN);
      expect(await searchAd(rig.ou, '(objectClass=*)', ['dn']), 'the target OU must not exist').toEqual([]);
      expect(rig.sim.state().writes?.length ?? 0).toBe(writesBefore);
      expect(await readFile(join(dir, 'journal.jsonl'), 'utf8')).not.toMatch(/run-start|create-start/);
      expect(await checkBind('tara.king@contoso.example', KNOWN)).not.toMatch(/^(ok|must-change)$/);
    } finally {
      await rig.close();
    }
  });

  it('plan --out refuses a system directory and a folder that holds a run (exit 2), before reading the tenant, and leaves them as they were', async () => {
    const { rig, dir, config } = await setUp([], ['tara.king@contoso.example']);
    try {
      const name = `/etc/entra2ad-${process.pid}`;
      const system = await rig.plan(name, ['--config', config]);
      expect(system.code, describeRun(system)).toBe(2);
      expect(system.stderr).toMatch(/RUN_FOLDER_UNSAFE.*system directory \/etc/);
      expect(existsSync(name)).toBe(false);
      // --out naming an existing file: a clear exit 2, the file untouched.
      const file = join(dir, 'not-a-folder.txt');
      await writeFile(file, 'mine\n');
      const onFile = await rig.plan(file, ['--config', config]);
      expect(onFile.code, describeRun(onFile)).toBe(2);
      expect(onFile.stderr).toMatch(/RUN_FOLDER_UNSAFE.*is not a directory/);
      expect(onFile.stderr).not.toMatch(/\n\s+at /);
      expect(await readFile(file, 'utf8')).toBe('mine\n');

      const applied = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(applied.code, describeRun(applied)).toBe(0);
      const reviewed = await readFile(join(dir, 'plan.json'), 'utf8');
      const again = await rig.plan(dir, ['--config', config]);
      expect(again.code, describeRun(again)).toBe(2);
      expect(again.stderr).toMatch(/RUN_FOLDER_HAS_RUN/);
      expect(again.stderr).not.toMatch(/cloud: \d+ user/);
      expect(await readFile(join(dir, 'plan.json'), 'utf8')).toBe(reviewed);
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      expect((await stat(join(dir, 'plan.json'))).mode & 0o777).toBe(0o600);
    } finally {
      await rig.close();
    }
  });
});

describe('--insecure-skip-tls-verify', () => {
  it('is warned about on stderr, in the confirmation, in log.jsonl and in the report', async () => {
    const { rig, dir } = await setUp([], ['tara.king@contoso.example']);
    try {
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes', '--insecure-skip-tls-verify']);
      expect(run.code, describeRun(run)).toBe(0);
      expect(run.stderr).toMatch(/^warning WARN_INSECURE_TLS: /m);
      // The confirmation (printed with --yes) carries it, before the next apply line.
      expect(run.stderr).toMatch(/apply: 1 user\(s\) to create or adopt in (?:(?!\napply: )[\s\S])*\nWARN_INSECURE_TLS: /);
      const log = (await readFile(join(dir, 'log.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event?: string; code?: string });
      expect(log.filter((l) => l.event === 'insecure-tls').map((l) => l.code)).toEqual(['WARN_INSECURE_TLS']);
      expect((await readReport(dir)).warnings).toEqual([expect.stringMatching(/^WARN_INSECURE_TLS: /)]);
      expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('WARN_INSECURE_TLS');
      // Without the flag: no warning anywhere.
      const plain = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(plain.stderr).not.toMatch(/WARN_INSECURE_TLS/);
    } finally {
      await rig.close();
    }
  });
});

describe('plan connects to the DC first', () => {
  it('a wrong --ldap-url fails before the tenant is listed (no Graph request at all)', async () => {
    const rig = await startRig();
    try {
      const dir = await tempDir('wrong-dc');
      const requestsBefore = rig.sim.stats().requests;
      const flags = rig.flags.map((f, i, all) => (all[i - 1] === '--ldap-url' ? 'ldaps://127.0.0.1:1' : f));
      const run = await runCli(['plan', ...flags, '--target-ou', rig.ou, '--out', dir], { env: rig.env });
      expect(run.code, describeRun(run)).not.toBe(0);
      expect(run.stderr).toMatch(/UNREACHABLE/);
      expect(run.stderr).not.toMatch(/cloud: \d+ user/);
      expect(rig.sim.stats().requests).toBe(requestsBefore);
    } finally {
      await rig.close();
    }
  });
});

describe('one run per target', () => {
  it('two run folders with one plan do not both run: the second is exit 2 TARGET_IN_USE, nothing written', async () => {
    const { rig, dir } = await setUp([], ['tara.king@contoso.example']);
    const lockBase = await tempDir('locks');
    const second = await tempDir('second-folder');
    try {
      await copyFile(join(dir, 'plan.json'), join(second, 'plan.json'));
      const plan = await readPlan(dir);
      // The first run holds the target (this test process stands in for it: a live pid on this host).
      const first = await acquireTargetLock({ tenantId: plan.tenantId, targetOu: plan.targetOu, runDir: dir, base: lockBase });
      const writesBefore = rig.sim.state().writes?.length ?? 0;
      const run = await rig.apply(['--plan', join(second, 'plan.json'), '--yes'], { ENTRA2AD_LOCK_DIR: lockBase });
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`TARGET_IN_USE.*apply --out ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      await expectNothingWritten(rig, second, writesBefore);
      await first.release();
      const after = await rig.apply(['--plan', join(second, 'plan.json'), '--yes'], { ENTRA2AD_LOCK_DIR: lockBase });
      expect(after.code, describeRun(after)).toBe(0);
    } finally {
      await rig.close();
    }
  });
});

describe('confirmation', () => {
  it('without a terminal, needs --yes: exit 2 CONFIRMATION_REQUIRED and nothing written', async () => {
    const { rig, dir } = await setUp();
    try {
      const writesBefore = rig.sim.state().writes?.length ?? 0;
      const run = await rig.apply(['--plan', join(dir, 'plan.json')]);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/CONFIRMATION_REQUIRED/);
      await expectNothingWritten(rig, dir, writesBefore);
    } finally {
      await rig.close();
    }
  });
});

describe('exit codes', () => {
  // AD refuses a password that contains a 3+ character part of the display name; apply checks a fixed one per user.
  const BAD_FOR_OKAFOR = 'Okafor-Qv7#tz29Lw';
  const GOOD = 'Brv-8331#Qtxw-Hjp';

  it('3 when some users fail, then 0 once the failure is fixed and the same apply runs again', async () => {
    const { rig, dir } = await setUp(['--password-mode', 'fixed']);
    try {
      const args = ['--plan', join(dir, 'plan.json'), '--yes', '--password-mode', 'fixed'];
      const partial = await rig.apply(args, { ENTRA2AD_INITIAL_PASSWORD: BAD_FOR_OKAFOR });
      expect(partial.code, describeRun(partial)).toBe(3);
      expect(partial.stderr).toMatch(/failed okafor@contoso\.example: PASSWORD_COMPLEXITY/);
      const report = await readReport(dir);
      expect(report.summary).toMatchObject({ anchored: SCOPE.length - 1, failed: 1 });
      const plan = await readPlan(dir);
      const okafor = plan.entries.find((e) => e.userPrincipalName === 'okafor@contoso.example')!;
      // The failed user: nothing in AD, nothing in the cloud. The others: done.
      expect((await usersInOu(rig.ou)).has('okafor@contoso.example')).toBe(false);
      expect(successfulWritesByUser(rig.sim).has(okafor.cloudId)).toBe(false);
      expect((await usersInOu(rig.ou)).size).toBe(SCOPE.length - 1);

      const fixed = await rig.apply(args, { ENTRA2AD_INITIAL_PASSWORD: GOOD });
      expect(fixed.code, describeRun(fixed)).toBe(0);
      expect(fixed.stderr).toMatch(/anchored 1, unchanged 5, failed 0/);
      const ad = await usersInOu(rig.ou);
      expect(ad.size).toBe(SCOPE.length);
      const ids = cloudImmutableIds(rig.sim);
      for (const entry of creates(plan)) {
        expect(ids.get(entry.cloudId), entry.userPrincipalName).toBe(printedObjectGuid(ad.get(lower(entry.userPrincipalName))![0]!));
        expect(successfulWritesByUser(rig.sim).get(entry.cloudId), entry.userPrincipalName).toHaveLength(1);
      }
      const passwords = await readPasswords(dir);
      expect(passwords.get('okafor@contoso.example')).toBe(GOOD);
      expect(passwords.get('tara.king@contoso.example')).toBe(BAD_FOR_OKAFOR);
      expect(await checkBind('okafor@contoso.example', GOOD)).toBe('must-change');
    } finally {
      await rig.close();
    }
  });

  it('1 when there was work and none of it could be done', async () => {
    const { rig, dir } = await setUp(['--password-mode', 'fixed'], ['okafor@contoso.example']);
    try {
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes', '--password-mode', 'fixed'], { ENTRA2AD_INITIAL_PASSWORD: BAD_FOR_OKAFOR });
      expect(run.code, describeRun(run)).toBe(1);
      expect(run.stderr).toMatch(/anchored 0, unchanged 0, failed 1/);
      expect(immutableIdWrites(rig.sim)).toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('2 PASSWORD_MISSING, before anything is written, when the plan says fixed and no password is given', async () => {
    const { rig, dir } = await setUp(['--password-mode', 'fixed']);
    try {
      const writesBefore = rig.sim.state().writes?.length ?? 0;
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes', '--password-mode', 'fixed']);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/PASSWORD_MISSING/);
      await expectNothingWritten(rig, dir, writesBefore);
    } finally {
      await rig.close();
    }
  });
});

describe('the reviewed plan is what runs', () => {
  it('uses the plan\'s password mode (fixed) even when apply is not told again', async () => {
    const { rig, dir } = await setUp(['--password-mode', 'fixed'], ['tara.king@contoso.example', 'emma.wilson@contoso.example']);
    try {
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes'], { ENTRA2AD_INITIAL_PASSWORD: 'Brv-8331#Qtxw-Hjp' });
      expect(run.code, describeRun(run)).toBe(0);
      const passwords = await readPasswords(dir);
      expect([...passwords.values()]).toEqual(['Brv-8331#Qtxw-Hjp', 'Brv-8331#Qtxw-Hjp']);
      expect(await checkBind('tara.king@contoso.example', 'Brv-8331#Qtxw-Hjp')).toBe('must-change');
    } finally {
      await rig.close();
    }
  });

  it('refuses an explicit --password-mode that contradicts the plan: exit 2, nothing written', async () => {
    const { rig, dir } = await setUp(['--password-mode', 'fixed'], ['tara.king@contoso.example']);
    try {
      const writesBefore = rig.sim.state().writes?.length ?? 0;
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes', '--password-mode', 'random'], { ENTRA2AD_INITIAL_PASSWORD: 'Brv-8331#Qtxw-Hjp' });
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/PASSWORD_MODE_MISMATCH/);
      await expectNothingWritten(rig, dir, writesBefore);
    } finally {
      await rig.close();
    }
  });

  it('uses the plan\'s password mode (none): no password is set or filed, the accounts stay disabled', async () => {
    const { rig, dir } = await setUp(['--password-mode', 'none'], ['tara.king@contoso.example', 'emma.wilson@contoso.example']);
    try {
      const plan = await readPlan(dir);
      for (const entry of creates(plan)) expect(entry.userAccountControl, 'planned disabled').toBe(514);
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(run.code, describeRun(run)).toBe(0);
      expect((await readPasswords(dir)).size).toBe(0);
      const ad = await usersInOu(rig.ou);
      expect(ad.size).toBe(2);
      for (const [upn, [object]] of ad) {
        expect(object!.attributes.get('useraccountcontrol')?.[0]?.text, upn).toBe('514');
      }
    } finally {
      await rig.close();
    }
  });
});

describe('a plan edited after review', () => {
  it('is refused with exit 2 PLAN_EDITED naming each edited user, before anything is written (the create-mode probe included)', async () => {
    const { rig, dir, config } = await setUp([], ['tara.king@contoso.example', 'emma.wilson@contoso.example', 'prince@contoso.example']);
    try {
      const file = join(dir, 'plan.json');
      const plan = await readPlan(dir);
      const tara = plan.entries.findIndex((e) => e.userPrincipalName === 'tara.king@contoso.example');
      const prince = plan.entries.findIndex((e) => e.userPrincipalName === 'prince@contoso.example');
      // After the review: Tara's account made "password never expires", Prince given adminCount.
      plan.entries[tara]!.userAccountControl = 66048;
      plan.entries[prince]!.attributes = { ...plan.entries[prince]!.attributes, adminCount: '1' };
      await writeFile(file, `${JSON.stringify(plan, null, 2)}\n`);
      const writesBefore = rig.sim.state().writes?.length ?? 0;

      const run = await rig.apply(['--plan', file, '--config', config, '--yes', '--create-mode', 'auto']);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/PLAN_EDITED/);
      expect(run.stderr).toContain(`entries.${tara} (tara.king@contoso.example): fingerprint no longer matches`);
      expect(run.stderr).toContain(`entries.${prince} (prince@contoso.example): fingerprint no longer matches`);
      expect(run.stderr).not.toMatch(/emma\.wilson/);
      await expectNothingWritten(rig, dir, writesBefore);
      expect(existsSync(join(dir, 'journal.jsonl')), 'refused before the run folder is even locked').toBe(false);
    } finally {
      await rig.close();
    }
  });

  it('is refused with exit 2 PLAN_INVALID naming user and field when the editor recomputed the fingerprints, nothing written', async () => {
    const { rig, dir, config } = await setUp([], ['tara.king@contoso.example', 'emma.wilson@contoso.example']);
    try {
      const file = join(dir, 'plan.json');
      const plan = await readPlan(dir);
      const tara = plan.entries.find((e) => e.userPrincipalName === 'tara.king@contoso.example')!;
      const emma = plan.entries.find((e) => e.userPrincipalName === 'emma.wilson@contoso.example')!;
      // Tara moved out of the target OU and given an SPN; Emma listed twice; fingerprints recomputed.
      tara.dn = `CN=${tara.cn},CN=Users,${rig.ou.split(',').slice(1).join(',')}`;
      tara.attributes = { ...tara.attributes, servicePrincipalName: 'HTTP/tara.contoso.example' };
      tara.fingerprint = entryFingerprint(tara);
      plan.entries.push(structuredClone(emma));
      plan.summary.total++;
      await writeFile(file, `${JSON.stringify(plan, null, 2)}\n`);
      const writesBefore = rig.sim.state().writes?.length ?? 0;

      const run = await rig.apply(['--plan', file, '--config', config, '--yes', '--create-mode', 'auto']);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/PLAN_INVALID/);
      expect(run.stderr).toMatch(/\(tara\.king@contoso\.example\) dn: is not directly under the target OU/);
      expect(run.stderr).toMatch(/\(tara\.king@contoso\.example\) attributes\.servicePrincipalName/);
      expect(run.stderr).toMatch(new RegExp(`entries\\.${plan.entries.length - 1} \\(emma\\.wilson@contoso\\.example\\) cloudId: duplicates`));
      await expectNothingWritten(rig, dir, writesBefore);
      expect(await searchAd(rig.ou.split(',').slice(1).join(','), `(userPrincipalName=tara.king@contoso.example)`, ['dn']), 'nowhere in the domain').toEqual([]);
      expect(existsSync(join(dir, 'journal.jsonl')), 'refused before the run folder is even locked').toBe(false);
    } finally {
      await rig.close();
    }
  });

  it('a run folder is resumed with the plan it started with only: another one is RUN_PLAN_MISMATCH, exit 2, nothing written', async () => {
    const scope = ['tara.king@contoso.example', 'emma.wilson@contoso.example'];
    const { rig, dir, config } = await setUp([], scope);
    try {
      const first = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(first.code, describeRun(first)).toBe(0);
      // A second plan of the same users (now adopts: they are in AD), pointed at the first run's folder.
      const other = await tempDir('other-plan');
      const planned = await rig.plan(other, ['--config', config]);
      expect(planned.code, describeRun(planned)).toBe(0);
      const writesBefore = rig.sim.state().writes?.length ?? 0;
      const journalBefore = await readFile(join(dir, 'journal.jsonl'), 'utf8');

      const run = await rig.apply(['--plan', join(other, 'plan.json'), '--out', dir, '--yes']);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/RUN_PLAN_MISMATCH/);
      expect(rig.sim.state().writes?.length ?? 0).toBe(writesBefore);
      expect(await readFile(join(dir, 'journal.jsonl'), 'utf8')).toBe(journalBefore);
      // The plan it started with still resumes (nothing left to do).
      const again = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(again.code, describeRun(again)).toBe(0);
    } finally {
      await rig.close();
    }
  });
});
