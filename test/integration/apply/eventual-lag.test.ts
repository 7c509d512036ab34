/**
 * verify right after apply, while listings still show the users as they were
 * before their anchors were written (simulator `eventualLagMs`; with
 * `eventualLagAllListings` even the plain listing verify reads lags, the worst
 * case): no false soft match, duplicate or miss, because the users a stale
 * listing could mislead about are read again by id (src/verify/read-again.ts).
 * A run without the lag reads nobody again.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun } from '../../harness/run-cli.js';
import { creates, readPlan } from '../../harness/rig.js';
import { planHealthyThenStart } from './helpers.js';

interface VerifyOut {
  summary: Record<string, number>;
  predictions: { kind: string; cloudId?: string; userPrincipalName: string }[];
}

describe('verify right after apply, listings lagging behind the writes', () => {
  it('apply\'s own verify and an immediate entra2ad verify predict a hard match for every user, after reading the stale ones by id', async () => {
    const { rig, dir } = await planHealthyThenStart('lag', { throttle: false, eventualLagMs: 600_000, eventualLagAllListings: true });
    try {
      const plan = await readPlan(dir);
      const made = creates(plan).length;
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(run.code, describeRun(run)).toBe(0);
      // The listing at the end of apply still showed every new anchor missing; each was read again and found.
      expect(run.stderr).toContain(`verify: ${made} user(s) read again by id (listings can lag recent writes): ${made} differed from the listing`);
      expect(run.stderr).toMatch(new RegExp(`hard-match ${made}, soft-match 0, duplicate 0, blocked 0, not-in-scope 0`));

      const verify = await rig.run('verify', ['--target-ou', rig.ou, '--output', 'json']);
      expect(verify.code, describeRun(verify)).toBe(0);
      const out = JSON.parse(verify.stdout) as VerifyOut;
      const ours = new Set(creates(plan).map((e) => e.cloudId));
      const predictions = out.predictions.filter((p) => p.cloudId && ours.has(p.cloudId));
      expect(predictions).toHaveLength(made);
      expect(predictions.filter((p) => p.kind !== 'hard-match')).toEqual([]);
      expect(out.summary.duplicate).toBe(0);
      expect(verify.stderr).toMatch(/read again by id \(listings can lag recent writes\): \d+ differed/);
    } finally {
      await rig.close();
    }
  });
});
