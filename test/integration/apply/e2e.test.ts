/**
 * plan -> apply through the BUILT CLI (child processes) against the Graph
 * simulator on the sample tenant and the harness Samba DC, checked from the
 * outside: `ldapsearch` for what is in AD, the simulator's recorded writes for
 * what reached the cloud. Expectations come from plan.json (what was reviewed),
 * never from apply's own report.
 *
 * Robust to the preflight guards landing (federated-domain and privileged users
 * becoming `blocked` at plan time): users are counted from the plan's `create`
 * entries, and a `create` in a federated domain is expected to fail at the
 * anchor step with REFUSED_FEDERATED (what Graph does) until then.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan, PlanEntry } from '../../../src/plan/types.js';
import type { RunReport } from '../../../src/report/run-report.js';
import type { TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { describeRun, type CliResult } from '../../harness/run-cli.js';
import { cloudImmutableIds, immutableIdWrites, successfulWritesByUser } from '../../harness/graph.js';
import { countUpnsInDomain, first, printedObjectGuid, usersInOu, values, type LdifEntry } from '../../harness/ldapsearch.js';
import { creates, readPasswords, readPlan, readReport, type Rig, startSampleRig, tempDir } from '../../harness/rig.js';
import { checkBind, federatedUpns } from './helpers.js';

const lower = (s: string) => s.toLowerCase();
const asArray = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

describe('plan then apply, the whole sample tenant', () => {
  let tenant: TenantSnapshot;
  let rig: Rig;
  let dir: string;
  let plan: Plan;
  let planRun: CliResult;
  let applyRun: CliResult;
  let report: RunReport;
  let federated: Set<string>;
  let ad: Map<string, LdifEntry[]>;

  beforeAll(async () => {
    const sample = await startSampleRig();
    rig = sample;
    tenant = sample.tenant;
    federated = federatedUpns(tenant);
    dir = await tempDir('e2e');
    planRun = await rig.plan(dir);
    expect(planRun.code, describeRun(planRun)).toBe(0);
    plan = await readPlan(dir);
    applyRun = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
    report = await readReport(dir);
    ad = await usersInOu(rig.ou);
    const n = creates(plan).length;
    process.stderr.write(`[apply e2e] apply of ${n} planned creates: ${(applyRun.ms / 1000).toFixed(2)} s wall, ${(n / (applyRun.ms / 1000)).toFixed(1)} users/s (process start to exit)\n`);
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('plans the sample tenant with creates and non-creates', () => {
    // The sample has guests, users already anchored, and so on: both kinds must be there for the checks below to mean anything.
    expect(creates(plan).length).toBeGreaterThan(50);
    expect(plan.entries.length).toBeGreaterThan(creates(plan).length);
  });

  it('exits 0, or 3 exactly when a planned user is in a federated domain (REFUSED_FEDERATED at the anchor)', () => {
    const federatedCreates = creates(plan).filter((e) => federated.has(lower(e.userPrincipalName)));
    expect(applyRun.code, describeRun(applyRun)).toBe(federatedCreates.length > 0 ? 3 : 0);
    const outcomes = new Map(report.users.map((u) => [u.cloudId, u]));
    for (const entry of creates(plan)) {
      const outcome = outcomes.get(entry.cloudId);
      if (federated.has(lower(entry.userPrincipalName))) {
        expect(outcome, entry.userPrincipalName).toMatchObject({ outcome: 'failed', reason: 'REFUSED_FEDERATED' });
      } else {
        expect(outcome?.outcome, `${entry.userPrincipalName}: ${outcome?.reason} ${outcome?.message}`).toBe('anchored');
      }
    }
  });

  it('creates every planned user exactly once, at its planned DN, and nothing else', async () => {
    const planned = new Set(creates(plan).map((e) => lower(e.userPrincipalName)));
    expect(new Set(ad.keys())).toEqual(planned);
    for (const [upn, objects] of ad) expect(objects, upn).toHaveLength(1);
    for (const entry of creates(plan)) {
      expect(lower(ad.get(lower(entry.userPrincipalName))![0]!.dn), entry.userPrincipalName).toBe(lower(entry.dn!));
    }
    // In the whole domain, not only the OU: created once, and the others never.
    const counts = await countUpnsInDomain(tenant.users.map((u) => u.userPrincipalName));
    for (const [upn, count] of counts) expect(count, upn).toBe(planned.has(upn) ? 1 : 0);
  });

  it('writes the planned attributes, account state and must-change flag', () => {
    let spotChecked = 0;
    for (const entry of creates(plan)) {
      const object = ad.get(lower(entry.userPrincipalName))![0]!;
      const who = entry.userPrincipalName;
      // The names the plan decided, not ones the DC made up.
      expect(first(object, 'sAMAccountName'), `${who} sAMAccountName`).toBe(entry.sAMAccountName);
      expect(first(object, 'cn'), `${who} cn`).toBe(entry.cn);
      for (const [attribute, planned] of Object.entries(entry.attributes ?? {})) {
        expect([...values(object, attribute)].sort(), `${who} ${attribute}`).toEqual(asArray(planned).slice().sort());
      }
      for (const attribute of ['givenName', 'sn', 'displayName', 'mail', 'proxyAddresses', 'title', 'department']) {
        if (entry.attributes?.[attribute] !== undefined) spotChecked++;
      }
      expect(first(object, 'userAccountControl'), `${who} userAccountControl`).toBe(String(entry.userAccountControl));
      if (entry.mustChangePassword) expect(first(object, 'pwdLastSet'), `${who} pwdLastSet`).toBe('0');
      else expect(first(object, 'pwdLastSet'), `${who} pwdLastSet`).not.toBe('0');
    }
    // The sample fills these for most users: the loop above must have compared plenty of them.
    expect(spotChecked).toBeGreaterThan(creates(plan).length * 4);
    const disabled = creates(plan).filter((e) => ((e.userAccountControl ?? 0) & 2) !== 0);
    expect(disabled.length, 'the sample has disabled cloud users, planned disabled').toBeGreaterThan(0);
  });

  it('anchors each user with base64(objectGUID) as ldapsearch prints it, written once', () => {
    const ids = cloudImmutableIds(rig.sim);
    const writes = successfulWritesByUser(rig.sim);
    const outcomes = new Map(report.users.map((u) => [u.cloudId, u]));
    let anchored = 0;
    for (const entry of creates(plan)) {
      const object = ad.get(lower(entry.userPrincipalName))![0]!;
      const guid = printedObjectGuid(object);
      if (federated.has(lower(entry.userPrincipalName))) {
        expect(ids.get(entry.cloudId), entry.userPrincipalName).toBe(entry.currentImmutableId);
        expect(writes.get(entry.cloudId), entry.userPrincipalName).toBeUndefined();
        continue;
      }
      anchored++;
      expect(ids.get(entry.cloudId), entry.userPrincipalName).toBe(guid);
      expect(writes.get(entry.cloudId)?.map((w) => w.body.onPremisesImmutableId), entry.userPrincipalName).toEqual([guid]);
      expect(outcomes.get(entry.cloudId)?.immutableId, `${entry.userPrincipalName} in report.json`).toBe(guid);
    }
    expect(anchored).toBeGreaterThan(50);
    // Every GUID is a different one.
    expect(new Set(creates(plan).map((e) => printedObjectGuid(ad.get(lower(e.userPrincipalName))![0]!))).size).toBe(creates(plan).length);
  });

  it('leaves users it did not select untouched on both sides', () => {
    const selected = new Set(creates(plan).map((e) => e.cloudId));
    const untouched = tenant.users.filter((u) => !selected.has(u.id));
    expect(untouched.length).toBeGreaterThan(0);
    const ids = cloudImmutableIds(rig.sim);
    const written = new Set(immutableIdWrites(rig.sim).map((w) => w.userId));
    const allWrites = new Set((rig.sim.state().writes ?? []).map((w) => w.userId));
    for (const user of untouched) {
      expect(allWrites.has(user.id) || written.has(user.id), `${user.userPrincipalName} was written to`).toBe(false);
      expect(ids.get(user.id), user.userPrincipalName).toBe(user.onPremisesImmutableId ?? null);
    }
  });

  it('links managers to the manager\'s DN where the plan says so', () => {
    const byId = new Map(plan.entries.map((e) => [e.cloudId, e]));
    const outcomes = new Map(report.users.map((u) => [u.cloudId, u]));
    let linked = 0;
    for (const entry of creates(plan)) {
      const object = ad.get(lower(entry.userPrincipalName))![0]!;
      const manager = entry.managerCloudId ? byId.get(entry.managerCloudId) : undefined;
      const bothDone = outcomes.get(entry.cloudId)?.outcome === 'anchored' && outcomes.get(manager?.cloudId ?? '')?.outcome === 'anchored';
      if (manager && bothDone) {
        linked++;
        expect(values(object, 'manager').map(lower), entry.userPrincipalName).toEqual([lower(manager.dn!)]);
        // And the DN is a real object: the manager's own, found under its UPN.
        expect(lower(ad.get(lower(manager.userPrincipalName))![0]!.dn)).toBe(lower(manager.dn!));
      } else if (!manager) {
        expect(values(object, 'manager'), entry.userPrincipalName).toEqual([]);
      }
    }
    expect(linked, 'the sample has an org chart').toBeGreaterThan(10);
  });

  it('gives each created user the password on file: the DC accepts it (must change at first logon), and refuses another', async () => {
    const passwords = await readPasswords(dir);
    const enabledMustChange = creates(plan).filter((e) => e.mustChangePassword && ((e.userAccountControl ?? 2) & 2) === 0);
    expect(enabledMustChange.length).toBeGreaterThan(2);
    for (const entry of enabledMustChange.slice(0, 3)) {
      const password = passwords.get(lower(entry.userPrincipalName));
      expect(password, entry.userPrincipalName).toBeDefined();
      expect(await checkBind(entry.userPrincipalName, password!), entry.userPrincipalName).toBe('must-change');
      expect(await checkBind(entry.userPrincipalName, `${password!}x`), entry.userPrincipalName).toBe('wrong-password');
    }
  });

  it('keeps passwords in credentials.csv (0600) only: never in output, log, journal, report or plan', async () => {
    const credentials = join(dir, 'credentials.csv');
    expect((await stat(credentials)).mode & 0o777).toBe(0o600);
    const passwords = await readPasswords(dir);
    for (const entry of creates(plan)) expect(passwords.get(lower(entry.userPrincipalName)), entry.userPrincipalName).toMatch(/.{12,}/);
    expect(new Set(passwords.values()).size, 'every password is its own').toBe(passwords.size);

    const files = (await readdir(dir)).filter((f) => f !== 'credentials.csv');
    for (const expected of ['log.jsonl', 'report.json', 'report.csv', 'report.html', 'journal.jsonl', 'plan.json', 'plan.csv', 'plan.ldif', 'plan.html']) expect(files).toContain(expected);
    // apply wrote report.html again once verify had predicted the next sync.
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('"key":"next-hard-match"');
    const texts: [string, string][] = [
      ['plan stdout', planRun.stdout],
      ['plan stderr', planRun.stderr],
      ['apply stdout', applyRun.stdout],
      ['apply stderr', applyRun.stderr],
      ...(await Promise.all(files.map(async (f): Promise<[string, string]> => [f, await readFile(join(dir, f), 'utf8')]))),
    ];
    for (const [upn, password] of passwords) {
      for (const [name, text] of texts) {
        if (text.includes(password)) expect.fail(`the password of ${upn} appears in ${name}`);
      }
    }
  });

  it('reports every plan entry once, with the plan\'s action', () => {
    expect(report.users.map((u) => u.cloudId).sort()).toEqual(plan.entries.map((e: PlanEntry) => e.cloudId).sort());
    const actions = new Map(plan.entries.map((e) => [e.cloudId, e.action]));
    for (const user of report.users) {
      expect(user.action).toBe(actions.get(user.cloudId));
      if (user.action === 'skip') expect(user.outcome).toBe('skipped');
      if (user.action === 'blocked') expect(user.outcome).toBe('blocked');
    }
  });
});

describe('a second complete run', () => {
  it('changes nothing, says so, and reads nothing from the cloud', async () => {
    const rig = await startSampleRig();
    try {
      const dir = await tempDir('rerun');
      // One domain only: the fabrikam.example users are refused by Graph (federated), and would be retried.
      expect((await rig.plan(dir, ['--upn-domain', 'contoso.example'])).code).toBe(0);
      const plan = await readPlan(dir);
      const initial = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(initial.code, describeRun(initial)).toBe(0);
      expect(creates(plan).length).toBeGreaterThan(40);

      const before = await usersInOu(rig.ou);
      const writesBefore = rig.sim.state().writes?.length ?? 0;
      const requestsBefore = rig.sim.stats().requests;
      const journalBefore = await readFile(join(dir, 'journal.jsonl'), 'utf8');

      const second = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(second.code, describeRun(second)).toBe(0);
      expect(second.stderr).toMatch(/nothing to do/);
      expect(second.stderr).toMatch(/anchored 0, unchanged \d+, failed 0/);
      // No Graph write; the journal knows it is all done, so not even a read is needed (a verify step may add reads later).
      expect(rig.sim.state().writes?.length ?? 0).toBe(writesBefore);
      // Not a time limit (that belongs in the benchmark and flaked on a loaded machine): the work itself.
      expect(rig.sim.stats().requests - requestsBefore, 'a finished run must not read the cloud again').toBe(0);

      const after = await usersInOu(rig.ou);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [upn, [object]] of after) {
        const [was] = before.get(upn)!;
        expect(first(object!, 'uSNChanged'), upn).toBe(first(was!, 'uSNChanged'));
        expect(first(object!, 'whenChanged'), upn).toBe(first(was!, 'whenChanged'));
      }
      const report = await readReport(dir);
      expect(report.summary).toMatchObject({ anchored: 0, failed: 0, unchanged: creates(plan).length });
      // A no-op run appends nothing to the journal.
      expect(await readFile(join(dir, 'journal.jsonl'), 'utf8')).toBe(journalBefore);
      process.stderr.write(`[apply e2e] nothing-to-do re-run: ${Math.round(second.ms)} ms, ${rig.sim.stats().requests - requestsBefore} Graph request(s)\n`);

      // apply --out DIR (no --plan) finds the plan in its folder and stops there too.
      const third = await rig.apply(['--out', dir, '--yes']);
      expect(third.code, describeRun(third)).toBe(0);
      expect(third.stderr).toMatch(/nothing to do/);
      expect(rig.sim.state().writes?.length ?? 0).toBe(writesBefore);
    } finally {
      await rig.close();
    }
  });
});
