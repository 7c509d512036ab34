/**
 * Managers are created before their reports, and a report whose manager's AD
 * object exists gets `manager` in its add (no second-pass modify). Should that
 * object vanish between runs, the add falls back to no manager (the user itself is
 * still created), and the vanished manager fails instead of having its stale
 * journaled GUID written to the cloud.
 * `--directory-concurrency 1` makes the order deterministic.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dnEquals } from '../../../src/directory/index.js';
import type { JournalRecord } from '../../../src/journal/records.js';
import { connectDirectory } from '../../harness/dc.js';
import { describeRun } from '../../harness/run-cli.js';
import { first, usersInOu } from '../../harness/ldapsearch.js';
import { readPlan, readReport, startSampleRig, tempDir } from '../../harness/rig.js';

type ManagerSet = Extract<JournalRecord, { kind: 'manager-set' }>;

const MANAGER = 'ava.thompson@contoso.example';
const REPORTS = ['emma.wilson@contoso.example', 'conor.obrien@contoso.example'];

async function setUp() {
  const rig = await startSampleRig();
  const dir = await tempDir('managers');
  // Reports listed first: the creation order must still put the manager first.
  const config = await rig.writeConfig({ plan: { scope: { includeUpns: [...REPORTS, MANAGER] } } });
  const planned = await rig.plan(dir, ['--config', config]);
  expect(planned.code, describeRun(planned)).toBe(0);
  const plan = await readPlan(dir);
  const id = (upn: string) => plan.entries.find((e) => e.userPrincipalName === upn)!.cloudId;
  expect(REPORTS.map((upn) => plan.entries.find((e) => e.cloudId === id(upn))!.managerCloudId)).toEqual([id(MANAGER), id(MANAGER)]);
  return { rig, dir, config, id };
}

async function journal(dir: string): Promise<JournalRecord[]> {
  return (await readFile(join(dir, 'journal.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JournalRecord);
}

describe('manager links', () => {
  it('sets manager in the add: each link is journaled before that user is anchored', async () => {
    const { rig, dir, config, id } = await setUp();
    try {
      const applied = await rig.apply(['--plan', join(dir, 'plan.json'), '--config', config, '--yes', '--directory-concurrency', '1']);
      expect(applied.code, describeRun(applied)).toBe(0);
      const ad = await usersInOu(rig.ou);
      const managerDn = ad.get(MANAGER)![0]!.dn;
      const records = await journal(dir);
      for (const upn of REPORTS) {
        expect(first(ad.get(upn)![0]!, 'manager'), upn).toBe(managerDn);
        const links = records.filter((r): r is ManagerSet => r.kind === 'manager-set' && r.cloudId === id(upn));
        expect(links.map((r) => dnEquals(r.managerDn, managerDn)), `${upn}: linked once, to its manager`).toEqual([true]);
        const linked = records.indexOf(links[0]!);
        const anchored = records.findIndex((r) => r.kind === 'anchored' && r.cloudId === id(upn));
        expect(linked, `${upn}: linked in the add, before its anchor (a second pass comes after every anchor)`).toBeLessThan(anchored);
      }
    } finally {
      await rig.close();
    }
  });

  it('when the manager object vanished between runs: the manager fails, nothing stale is anchored, reports are created without it', async () => {
    const { rig, dir, config, id } = await setUp();
    try {
      const args = ['--plan', join(dir, 'plan.json'), '--config', config, '--yes', '--directory-concurrency', '1'];
      // The manager is created first and its GUID read; then the process is killed.
      expect((await rig.apply(args, { ENTRA2AD_CRASH_AT: 'after-guid:1' })).signal).toBe('SIGKILL');
      const managerDn = (await usersInOu(rig.ou)).get(MANAGER)![0]!.dn;
      const directory = await connectDirectory();
      try {
        await directory.deleteEntry(managerDn);
      } finally {
        await directory.close();
      }
      const resumed = await rig.apply(args);
      expect(resumed.code, describeRun(resumed)).toBe(3);
      const ad = await usersInOu(rig.ou);
      const report = await readReport(dir);
      // The journal said "created"; the object is gone: its old GUID must not reach the cloud.
      expect(report.users.find((u) => u.cloudId === id(MANAGER))).toMatchObject({ outcome: 'failed', reason: 'NO_SUCH_OBJECT' });
      expect(ad.get(MANAGER)).toBeUndefined();
      expect((rig.sim.state().writes ?? []).filter((w) => w.userId === id(MANAGER))).toEqual([]);
      for (const upn of REPORTS) {
        expect(ad.get(upn), `${upn} created once`).toHaveLength(1);
        expect(first(ad.get(upn)![0]!, 'manager'), `${upn} has no manager`).toBeUndefined();
        expect(report.users.find((u) => u.cloudId === id(upn)), upn).toMatchObject({ outcome: 'anchored' });
      }
    } finally {
      await rig.close();
    }
  });
});
