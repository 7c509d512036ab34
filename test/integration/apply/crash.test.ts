/**
 * kill -9 in the middle of apply, then the same command again: the run must
 * converge to the end state of an uninterrupted run. The process kills itself
 * with SIGKILL at an exact step (ENTRA2AD_CRASH_AT=NAME:N, src/journal/crash-point.ts):
 *  - after-create: the AD user exists (password set, enabled) but the journal
 *    only says create-start: "between add and GUID read";
 *  - after-guid: the GUID is journaled, the Graph write not started;
 *  - after-anchor-write: Graph answered the PATCH inside a $batch, the journal
 *    does not know it yet.
 * Checked from the outside: ldapsearch (each planned user once, nothing else),
 * the simulator's writes (one value per user, and exactly one successful PATCH:
 * a resumed run reads the cloud first, so a write that landed before the crash
 * is recorded as done, not sent again), credentials.csv (every password works: a bind succeeds,
 * the plan says password.mustChange false so the DC lets the user in).
 *
 * Only contoso.example is planned (--upn-domain): users in the federated
 * fabrikam.example are refused by Graph and would fail in every run.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Client } from 'ldapts';
import type { Plan, PlanEntry } from '../../../src/plan/types.js';
import { childDn, rdnValue } from '../../../src/directory/index.js';
import { dcInfo, plainLdapClient, uniqueSuffix } from '../../harness/dc.js';
import { describeRun } from '../../harness/run-cli.js';
import { cloudImmutableIds, immutableIdWrites, successfulWritesByUser, writesTo } from '../../harness/graph.js';
import { countUpnsInDomain, first, printedObjectGuid, usersInOu, values } from '../../harness/ldapsearch.js';
import { creates, readPasswords, readPlan, readReport, type Rig, startSampleRig, tempDir } from '../../harness/rig.js';
import { checkBind } from './helpers.js';

const lower = (s: string) => s.toLowerCase();

interface JournalLine {
  kind: string;
  cloudId?: string;
  adopted?: boolean;
  outcome?: string;
}

async function journal(dir: string): Promise<JournalLine[]> {
  const text = await readFile(join(dir, 'journal.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as JournalLine];
      } catch {
        return []; // a torn last line
      }
    });
}

/** cloudIds with a record of `kind` and none of `unless`. */
function startedNotDone(lines: JournalLine[], kind: string, unless: string): string[] {
  const done = new Set(lines.filter((l) => l.kind === unless).map((l) => l.cloudId));
  return [...new Set(lines.filter((l) => l.kind === kind && !done.has(l.cloudId)).map((l) => l.cloudId!))];
}

interface Scenario {
  point: 'after-create' | 'after-guid' | 'after-anchor-write';
  count: number;
  extra?: string[];
  label: string;
}

const SCENARIOS: Scenario[] = [
  { point: 'after-create', count: 10, label: 'between the AD add and the GUID read' },
  { point: 'after-create', count: 10, extra: ['--create-mode', 'portable'], label: 'between add and GUID read, portable create (add disabled, password, enable)' },
  { point: 'after-guid', count: 10, label: 'after the GUID is journaled, before the Graph write' },
  { point: 'after-anchor-write', count: 10, label: 'inside a $batch: Graph answered, the journal does not know' },
];

async function setUp(): Promise<{ rig: Rig; dir: string; plan: Plan }> {
  const rig = await startSampleRig();
  const dir = await tempDir('crash');
  const config = await rig.writeConfig({ plan: { password: { mustChange: false } } });
  const planned = await rig.plan(dir, ['--config', config, '--upn-domain', 'contoso.example']);
  expect(planned.code, describeRun(planned)).toBe(0);
  return { rig, dir, plan: await readPlan(dir) };
}

/** The end state every run of this plan must reach, crash or not. */
async function expectConverged(rig: Rig, dir: string, plan: Plan, options: { maxSendsPerUser: number }): Promise<void> {
  const planned = creates(plan);
  expect(planned.length).toBeGreaterThan(40);

  // AD: every planned user once, at its DN; nothing else in the OU; no copy anywhere in the domain.
  const ad = await usersInOu(rig.ou);
  expect([...ad.keys()].sort()).toEqual(planned.map((e) => lower(e.userPrincipalName)).sort());
  for (const [upn, objects] of ad) expect(objects, `${upn} exists ${objects.length} times`).toHaveLength(1);
  const counts = await countUpnsInDomain(planned.map((e) => e.userPrincipalName));
  for (const [upn, count] of counts) expect(count, upn).toBe(1);

  // Cloud: each anchored with ITS OWN GUID; every write to it carried that one value.
  const ids = cloudImmutableIds(rig.sim);
  const successful = successfulWritesByUser(rig.sim);
  const valuesWritten = new Map<string, Set<unknown>>();
  for (const write of immutableIdWrites(rig.sim)) {
    if (write.userId === null) continue;
    valuesWritten.set(write.userId, (valuesWritten.get(write.userId) ?? new Set()).add(write.body.onPremisesImmutableId));
  }
  for (const entry of planned) {
    const object = ad.get(lower(entry.userPrincipalName))![0]!;
    const guid = printedObjectGuid(object);
    expect(ids.get(entry.cloudId), entry.userPrincipalName).toBe(guid);
    expect([...(valuesWritten.get(entry.cloudId) ?? [])], `${entry.userPrincipalName}: values written`).toEqual([guid]);
    const sends = successful.get(entry.cloudId)?.length ?? 0;
    expect(sends, `${entry.userPrincipalName}: successful writes`).toBeGreaterThanOrEqual(1);
    expect(sends, `${entry.userPrincipalName}: successful writes`).toBeLessThanOrEqual(options.maxSendsPerUser);
    // Attributes survive the resume (portable create enables only in its last step).
    expect(first(object, 'userAccountControl'), `${entry.userPrincipalName} userAccountControl`).toBe(String(entry.userAccountControl));
    expect(first(object, 'pwdLastSet'), `${entry.userPrincipalName} pwdLastSet`).not.toBe('0');
  }
  // No write to anyone outside the plan.
  const plannedIds = new Set(planned.map((e) => e.cloudId));
  expect(immutableIdWrites(rig.sim).filter((w) => !plannedIds.has(w.userId ?? '')).map((w) => w.path)).toEqual([]);

  // Managers linked once both ends exist.
  const byId = new Map(plan.entries.map((e) => [e.cloudId, e]));
  for (const entry of planned) {
    const manager = entry.managerCloudId ? byId.get(entry.managerCloudId) : undefined;
    const object = ad.get(lower(entry.userPrincipalName))![0]!;
    expect(values(object, 'manager').map(lower), `${entry.userPrincipalName} manager`).toEqual(manager ? [lower(manager.dn!)] : []);
  }

  // Passwords: one per created user, and each one works on the DC.
  const passwords = await readPasswords(dir);
  for (const entry of planned) {
    const password = passwords.get(lower(entry.userPrincipalName));
    expect(password, `${entry.userPrincipalName} in credentials.csv`).toBeDefined();
    const enabled = ((entry.userAccountControl ?? 2) & 2) === 0;
    const result = await checkBind(entry.userPrincipalName, password!);
    // A disabled account answers 533 whatever the password; an enabled one must let the user in.
    if (enabled) expect(result, `${entry.userPrincipalName} binds with the password on file`).toBe('ok');
    else expect(result, entry.userPrincipalName).not.toBe('wrong-password');
  }

  const report = await readReport(dir);
  for (const entry of planned) {
    const outcome = report.users.find((u) => u.cloudId === entry.cloudId);
    expect(['anchored', 'unchanged'], `${entry.userPrincipalName}: ${outcome?.reason} ${outcome?.message}`).toContain(outcome?.outcome);
  }
}

describe('uninterrupted reference run', () => {
  it('reaches the end state with exactly one write per user', async () => {
    const { rig, dir, plan } = await setUp();
    try {
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(run.code, describeRun(run)).toBe(0);
      await expectConverged(rig, dir, plan, { maxSendsPerUser: 1 });
    } finally {
      await rig.close();
    }
  });
});

describe.each(SCENARIOS)('kill -9 at $point:$count ($label), then the same apply again', (scenario) => {
  it('converges to the uninterrupted end state', async () => {
    const { rig, dir, plan } = await setUp();
    try {
      const args = ['--plan', join(dir, 'plan.json'), '--yes', ...(scenario.extra ?? [])];
      const crashed = await rig.apply(args, { ENTRA2AD_CRASH_AT: `${scenario.point}:${scenario.count}` });
      expect(crashed.signal, describeRun(crashed)).toBe('SIGKILL');

      // It really died mid-run, at the step it names.
      const lines = await journal(dir);
      const anchoredBefore = new Set(lines.filter((l) => l.kind === 'anchored').map((l) => l.cloudId));
      expect(anchoredBefore.size, 'the crash left work to do').toBeLessThan(creates(plan).length);
      expect(lines.some((l) => l.kind === 'run-end')).toBe(false);
      const inAd = await usersInOu(rig.ou);
      expect(inAd.size).toBeGreaterThanOrEqual(scenario.count);
      expect(inAd.size).toBeLessThan(creates(plan).length);
      // What the N-th pass of the crash point guarantees (src/apply/user.ts): each journal record before it is
      // awaited, so it is durable; the records after it are written only by the users that passed it before.
      const before = scenario.count - 1;
      switch (scenario.point) {
        case 'after-create': {
          // The add of the N-th user landed, its `created` never came: in AD once, journaled create-start only.
          const unjournaled = startedNotDone(lines, 'create-start', 'created')
            .map((cloudId) => lower(plan.entries.find((e) => e.cloudId === cloudId)!.userPrincipalName))
            .filter((upn) => inAd.has(upn));
          expect(unjournaled.length, 'added to AD, killed before the journal said so').toBeGreaterThan(0);
          for (const upn of unjournaled) expect(inAd.get(upn), upn).toHaveLength(1);
          const created = lines.filter((l) => l.kind === 'created' && !l.adopted).length;
          expect(created, 'created records: at most those that passed the crash point before').toBeLessThanOrEqual(before);
          break;
        }
        case 'after-guid': {
          // The N-th guid record was durable before the kill; no GUID journaled then can have been written yet.
          expect(lines.filter((l) => l.kind === 'guid').length, 'guid records').toBeGreaterThanOrEqual(scenario.count);
          expect(startedNotDone(lines, 'guid', 'anchored').length, 'GUIDs journaled, not anchored').toBeGreaterThan(0);
          break;
        }
        case 'after-anchor-write': {
          // N writes had Graph's answer before the kill; at most N - 1 of them got their `anchored` record.
          const written = [...successfulWritesByUser(rig.sim).keys()];
          expect(written.length, 'users Graph accepted a write for').toBeGreaterThanOrEqual(scenario.count);
          expect(lines.filter((l) => l.kind === 'anchored' && l.outcome === 'written').length, 'anchored (written) records').toBeLessThanOrEqual(before);
          const writtenNotJournaled = startedNotDone(lines, 'anchor-start', 'anchored').filter((id) => written.includes(id));
          expect(writtenNotJournaled.length, 'Graph accepted writes the journal does not know').toBeGreaterThan(0);
          break;
        }
        default:
          // A new crash point needs its own guarantee above.
          throw new Error(`no mid-run check for ${scenario.point satisfies never}`);
      }

      // The killed process could not release its lock: the next one must take it over.
      expect(existsSync(join(dir, 'run.lock')), 'a stale run.lock').toBe(true);
      const resumed = await rig.apply(args);
      expect(resumed.code, describeRun(resumed)).toBe(0);
      expect(existsSync(join(dir, 'run.lock'))).toBe(false);
      await expectConverged(rig, dir, plan, { maxSendsPerUser: 1 });

      // And then it is finished: nothing to do.
      const writes = rig.sim.state().writes?.length ?? 0;
      const again = await rig.apply(args);
      expect(again.code, describeRun(again)).toBe(0);
      expect(again.stderr).toMatch(/nothing to do/);
      expect(rig.sim.state().writes?.length ?? 0).toBe(writes);
    } finally {
      await rig.close();
    }
  });
});

describe('apply without a reviewed plan (--out NEW_FOLDER plans on the spot)', () => {
  it('plans, is killed, and the same command resumes from the plan it wrote', async () => {
    const rig = await startSampleRig();
    try {
      const dir = join(await tempDir('onthespot'), 'run folder');
      const config = await rig.writeConfig({ plan: { password: { mustChange: false } } });
      const args = ['--out', dir, '--target-ou', rig.ou, '--config', config, '--upn-domain', 'contoso.example', '--yes'];
      const crashed = await rig.apply(args, { ENTRA2AD_CRASH_AT: 'after-guid:15' });
      expect(crashed.signal, describeRun(crashed)).toBe('SIGKILL');
      const plan = await readPlan(dir);
      const resumed = await rig.apply(args);
      expect(resumed.code, describeRun(resumed)).toBe(0);
      expect(await readPlan(dir), 'the resume executes the plan the first run wrote').toEqual(plan);
      await expectConverged(rig, dir, plan, { maxSendsPerUser: 1 });
    } finally {
      await rig.close();
    }
  });
});

describe('two applies on one run folder at once', () => {
  it('one runs, the other is refused (exit 2 RUN_IN_PROGRESS): every password on file is the account\'s', async () => {
    const { rig, dir, plan } = await setUp();
    try {
      const args = ['--plan', join(dir, 'plan.json'), '--yes'];
      const runs = await Promise.all([rig.apply(args), rig.apply(args)]);
      expect(runs.map((r) => r.code).sort(), runs.map(describeRun).join('\n\n')).toEqual([0, 2]);
      expect(runs.find((r) => r.code === 2)!.stderr).toMatch(/RUN_IN_PROGRESS/);
      expect(existsSync(join(dir, 'run.lock')), 'the lock is released').toBe(false);
      await expectConverged(rig, dir, plan, { maxSendsPerUser: 1 });
    } finally {
      await rig.close();
    }
  });
});

describe('killed twice', () => {
  it('converges after a crash during the resume of a crash', async () => {
    const { rig, dir, plan } = await setUp();
    try {
      const args = ['--plan', join(dir, 'plan.json'), '--yes'];
      expect((await rig.apply(args, { ENTRA2AD_CRASH_AT: 'after-create:5' })).signal).toBe('SIGKILL');
      expect((await rig.apply(args, { ENTRA2AD_CRASH_AT: 'after-anchor-write:3' })).signal).toBe('SIGKILL');
      expect((await rig.apply(args, { ENTRA2AD_CRASH_AT: 'after-guid:20' })).signal).toBe('SIGKILL');
      const resumed = await rig.apply(args);
      expect(resumed.code, describeRun(resumed)).toBe(0);
      await expectConverged(rig, dir, plan, { maxSendsPerUser: 1 });
    } finally {
      await rig.close();
    }
  });
});

describe('kill -9 between an add and its journal record, then another account where the add went', () => {
  /**
   * Killed after an add landed (create-start journaled, created not); then the run's object is deleted and
   * `plant` makes other accounts (a plain ldapts client, as an admin would). Returns the crashed user with the rig.
   */
  async function crashThenPlant(plant: (client: Client, victim: PlanEntry, rig: Rig) => Promise<void>) {
    const { rig, dir, plan } = await setUp();
    const args = ['--plan', join(dir, 'plan.json'), '--yes'];
    expect((await rig.apply(args, { ENTRA2AD_CRASH_AT: 'after-create:5' })).signal).toBe('SIGKILL');
    const inAd = await usersInOu(rig.ou);
    const victim = startedNotDone(await journal(dir), 'create-start', 'created')
      .map((cloudId) => plan.entries.find((e) => e.cloudId === cloudId)!)
      .find((e) => inAd.has(lower(e.userPrincipalName)));
    if (!victim) throw new Error('no add landed without its created record');
    const dc = dcInfo();
    const client = plainLdapClient(dc);
    try {
      await client.bind(dc.bindDn, dc.bindPassword);
      await client.del(victim.dn!);
      await plant(client, victim, rig);
    } finally {
      await client.unbind().catch(() => undefined);
    }
    return { rig, dir, plan, args, victim };
  }

  const account = (upn: string, sAMAccountName = `pl-${uniqueSuffix(4)}`) => ({ objectClass: ['top', 'person', 'organizationalPerson', 'user'], sAMAccountName, userPrincipalName: upn });
  /** DN -> uSNChanged of every user in the OU: any write to one (a password, an enable, a ConsistencyGuid) moves it. */
  const usns = async (ou: string) => new Map([...(await usersInOu(ou)).values()].flat().map((o) => [o.dn, first(o, 'uSNChanged')]));

  /**
   * The resume: exit 3, the user failed with `reason`, its message naming each of `mentions`; the `planted` accounts
   * not written to, no second add, nothing sent to Graph for the user, everyone else done.
   */
  async function expectRefused(rig: Rig, dir: string, plan: Plan, args: string[], victim: PlanEntry, reason: string, planted: string[], mentions: string[]) {
    const before = await usns(rig.ou);
    for (const dn of planted) expect(before.has(dn), `${dn} planted`).toBe(true);
    const resumed = await rig.apply(args);
    expect(resumed.code, describeRun(resumed)).toBe(3);
    const report = await readReport(dir);
    const outcome = report.users.find((u) => u.cloudId === victim.cloudId);
    expect(outcome, describeRun(resumed)).toMatchObject({ outcome: 'failed', reason });
    for (const text of mentions) expect(outcome!.message).toContain(text);
    const after = await usns(rig.ou);
    for (const dn of planted) expect(after.get(dn), `${dn} untouched`).toBe(before.get(dn));
    expect((await countUpnsInDomain([victim.userPrincipalName])).get(lower(victim.userPrincipalName)), 'no second add').toBe(1);
    expect(writesTo(rig.sim, victim.cloudId), `no Graph write to ${victim.userPrincipalName}`).toEqual([]);
    for (const entry of creates(plan).filter((e) => e.cloudId !== victim.cloudId)) {
      const other = report.users.find((u) => u.cloudId === entry.cloudId);
      expect(['anchored', 'unchanged'], `${entry.userPrincipalName}: ${other?.reason} ${other?.message}`).toContain(other?.outcome);
    }
  }

  // Before the fix the resume set the password on the account at the planned DN, enabled it and wrote its GUID to the cloud user.
  it('another account at the DN (another UPN), the UPN on a third elsewhere: NAME_TAKEN, neither touched', async () => {
    let planted = '';
    const { rig, dir, plan, args, victim } = await crashThenPlant(async (client, victim, rig) => {
      planted = childDn(rig.ou, 'CN', `${rdnValue(victim.dn!)} planted ${uniqueSuffix(2)}`);
      await client.add(victim.dn!, account(`someone-${uniqueSuffix(4)}@${victim.userPrincipalName.split('@')[1]}`));
      await client.add(planted, account(victim.userPrincipalName));
    });
    try {
      await expectRefused(rig, dir, plan, args, victim, 'NAME_TAKEN', [victim.dn!, planted], [planted, victim.dn!]);
    } finally {
      await rig.close();
    }
  });

  it('another account at the DN with the UPN but another sAMAccountName: AD_OBJECT_REPLACED, not touched', async () => {
    const { rig, dir, plan, args, victim } = await crashThenPlant(async (client, victim) => {
      await client.add(victim.dn!, account(victim.userPrincipalName));
    });
    try {
      await expectRefused(rig, dir, plan, args, victim, 'AD_OBJECT_REPLACED', [victim.dn!], [victim.dn!, victim.sAMAccountName!]);
    } finally {
      await rig.close();
    }
  });
});
