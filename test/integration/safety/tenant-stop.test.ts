/**
 * The tenant flag blockCloudObjectTakeoverThroughHardMatchEnabled: Entra ID then
 * refuses every hard match of a cloud-managed user (InvalidHardMatch), so entra2ad
 * must stop BEFORE writing anything: preflight exits 1, plan still writes its files
 * but marks the plan `tenantStop`, apply exits 1 with the setting and the way to
 * turn it off, and the target OU stays empty (not even created).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPlan, type Rig, taggedRig } from '../../harness/rig.js';
import { describeRun } from '../../harness/run-cli.js';
import { taggedUser, tag, buildTenant } from '../../harness/tenant.js';
import { entriesUnder } from '../../harness/dc.js';

const t = tag();
const ann = taggedUser('ann', t);
const bob = taggedUser('bob', t);
let r: Rig;

beforeAll(async () => {
  r = await taggedRig(buildTenant({ users: [ann, bob], features: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } }), t);
});

async function expectNothingWritten(dir: string): Promise<void> {
  expect(await entriesUnder(r.ou), 'no object in (or as) the target OU').toHaveLength(0);
  expect(r.sim.state().writes ?? []).toEqual([]);
  const journal = existsSync(join(dir, 'journal.jsonl')) ? await readFile(join(dir, 'journal.jsonl'), 'utf8') : '';
  expect(journal).not.toMatch(/run-start/);
}

describe('hard-match takeover blocked for the tenant', () => {
  it('preflight: exit 1, naming the setting and how to turn it off', async () => {
    const pre = await r.run('preflight');
    expect(pre.code, describeRun(pre)).toBe(1);
    expect(pre.stdout).toMatch(/^STOP STOP_HARD_MATCH_TAKEOVER_BLOCKED: .*blockCloudObjectTakeoverThroughHardMatchEnabled = true/m);
    expect(pre.stdout).toMatch(/Update-MgDirectoryOnPremiseSynchronization -OnPremisesDirectorySynchronizationId sync-0001/);
    expect(pre.stdout).toMatch(/PATCH \/directory\/onPremisesSynchronization\/sync-0001/);
  });

  it('plan: writes the files, marks the plan tenantStop, keeps the entries reviewable', async () => {
    const planned = await r.run('plan', ['--out', r.dir]);
    expect(planned.code, describeRun(planned)).toBe(0);
    expect(planned.stderr).toMatch(/TENANT STOP \(STOP_HARD_MATCH_TAKEOVER_BLOCKED\)/);
    const plan = await readPlan(r.dir);
    expect(plan.tenantStop?.code).toBe('STOP_HARD_MATCH_TAKEOVER_BLOCKED');
    expect(plan.entries.map((e) => e.reason)).toEqual(['CREATE_NEW', 'CREATE_NEW']);
    for (const f of ['plan.csv', 'plan.ldif']) expect(existsSync(join(r.dir, f))).toBe(true);
    await expectNothingWritten(r.dir);
  });

  it('apply --plan: exit 1 before any directory or cloud write', async () => {
    const applied = await r.run('apply', ['--plan', join(r.dir, 'plan.json'), '--yes']);
    expect(applied.code, describeRun(applied)).toBe(1);
    expect(applied.stderr).toMatch(/STOP_HARD_MATCH_TAKEOVER_BLOCKED: nothing was written to AD or the cloud/);
    expect(applied.stderr).toMatch(/blockCloudObjectTakeoverThroughHardMatchEnabled/);
    expect(applied.stderr).toMatch(/Update-MgDirectoryOnPremiseSynchronization/);
    await expectNothingWritten(r.dir);
  });

  it('apply without a reviewed plan: the plan it makes is written, then the same stop', async () => {
    const dir = join(r.dir, 'direct');
    await mkdir(dir); // apply --out needs an existing folder (its journal is opened first)
    const applied = await r.run('apply', ['--out', dir, '--yes']);
    expect(applied.code, describeRun(applied)).toBe(1);
    expect(applied.stderr).toMatch(/STOP_HARD_MATCH_TAKEOVER_BLOCKED: nothing was written/);
    expect((await readPlan(dir)).tenantStop?.code).toBe('STOP_HARD_MATCH_TAKEOVER_BLOCKED');
    await expectNothingWritten(dir);
  });
});
