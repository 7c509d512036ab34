/**
 * Graph refusing `onPremisesImmutableId: null` (simulator refuseImmutableIdClear,
 * as public reports show v1.0 doing): reported per user, exit 3, AD left alone.
 */
import { describe, expect, it } from 'vitest';
import { useAppliedRun, withDirectory } from './helpers.js';

describe('rollback when Graph refuses the clear', () => {
  const run = useAppliedRun({ refuseImmutableIdClear: true });

  it('reports each refused user, exits 3, and keeps their AD objects so the anchors still point somewhere', async () => {
    const anchors = new Map(run.created.map((u) => [u.id, run.cloudUser(u.id).onPremisesImmutableId]));
    const result = await run.rollback('delete');
    expect(result.code, result.stderr).toBe(3);
    const report = await run.report();
    for (const u of run.created) {
      expect(report.users.find((x) => x.cloudId === u.id), u.upn).toMatchObject({ outcome: 'failed', reason: 'CLEAR_REFUSED', cloud: 'refused', directory: 'left' });
      expect(run.cloudUser(u.id).onPremisesImmutableId, u.upn).toBe(anchors.get(u.id));
      expect(run.clears(u.id), u.upn).toBe(1); // sent once, refused (no blind retries of a refusal)
    }
    await withDirectory(async (dir) => {
      for (const u of run.created) expect(await dir.findUserByUpn(u.upn), u.upn).toBeDefined();
    });
    const journal = await run.journal();
    expect(journal.filter((r) => r.kind === 'rollback-failed' && r.step === 'clear' && r.reason === 'CLEAR_REFUSED')).toHaveLength(run.created.length);
    expect(journal.some((r) => r.kind === 'deleted')).toBe(false);
    expect(result.stderr).toMatch(/failed .*-u0@contoso\.example: CLEAR_REFUSED/);
  });
});
