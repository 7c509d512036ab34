/**
 * kill -9 in the middle of a rollback (crash point after-rollback-clear: the
 * PATCH landed, its `cleared` record is not written), then the same command again.
 */
import { describe, expect, it } from 'vitest';
import { useAppliedRun, withDirectory } from './helpers.js';

describe('rollback killed mid-way', () => {
  const run = useAppliedRun();

  it('re-runs to the same end state, clearing each user exactly once', async () => {
    const killed = await run.rollback('delete', { ENTRA2AD_CRASH_AT: 'after-rollback-clear:3' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const afterKill = await run.journal();
    expect(afterKill.some((r) => r.kind === 'rollback-start')).toBe(true);
    expect(afterKill.some((r) => r.kind === 'rollback-end')).toBe(false);
    // The kill fell between clears that landed and their records.
    const landed = run.created.filter((u) => run.clears(u.id) === 1).length;
    const journaled = afterKill.filter((r) => r.kind === 'cleared').length;
    expect(landed).toBeGreaterThanOrEqual(3);
    expect(journaled).toBeLessThan(landed);

    const resumed = await run.rollback('delete');
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const u of run.created) {
      expect(run.clears(u.id), u.upn).toBe(1);
      expect(run.cloudUser(u.id).onPremisesImmutableId, u.upn).toBeNull();
    }
    await withDirectory(async (dir) => {
      for (const u of run.created) expect(await dir.findUserByUpn(u.upn), u.upn).toBeUndefined();
      expect(await dir.findUserByUpn(run.adopted.upn)).toBeDefined();
    });
    const report = await run.report();
    expect(report.summary['rolled-back']).toBe(run.created.length);
    // Users whose clear landed before the kill were found clear, not cleared twice.
    expect(report.users.filter((u) => u.cloud === 'already-clear').length).toBe(landed - journaled);
  });

  it('then a third run changes nothing and exits 0', async () => {
    const writes = run.sim.state().writes?.length;
    const again = await run.rollback('delete');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/nothing to do/);
    expect(run.sim.state().writes?.length).toBe(writes);
    expect((await run.report()).summary).toEqual({ 'rolled-back': 0, unchanged: run.created.length, skipped: 0, failed: 0, excluded: 1 });
  });
});
