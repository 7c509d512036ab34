/**
 * A bad day at Graph: the simulator answers a share of ALL requests (reads,
 * $batch items) with 429 or 503, and throttles like Graph on a budget scaled
 * down so it is reached within the run. plan and apply go through it with the
 * built CLI; every user must still end anchored exactly once, with its own GUID.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun } from '../../harness/run-cli.js';
import {
  assertUpnsFree,
  cloudImmutableIds,
  creates,
  loadSampleTenant,
  printedObjectGuid,
  readPlan,
  readReport,
  startRig,
  successfulWritesByUser,
  tempDir,
  useApplyCleanup,
  usersInOu,
} from './helpers.js';

useApplyCleanup();

describe('under injected 429/503 faults and tight throttling', () => {
  it('anchors every planned user exactly once', async () => {
    const tenant = await loadSampleTenant();
    await assertUpnsFree(tenant);
    // The plan is made on a healthy copy of the tenant (same ids); apply meets the bad day.
    const healthy = await startRig({ tenant });
    const dir = await tempDir('faults');
    try {
      const planned = await healthy.plan(dir, ['--upn-domain', 'contoso.example']);
      expect(planned.code, describeRun(planned)).toBe(0);
    } finally {
      await healthy.close();
    }
    // Resource units: 5,000 per 10 s for this tenant size, x SCALE; writes kept at Graph's budget (x 0.01 would be 30 per 2.5 min).
    const rig = await startRig({ tenant, ou: healthy.ou, sim: { seed: 7, faults: { rate429: 0.2, rate503: 0.1 }, throttle: { scale: Number(process.env.SCALE ?? 0.01), writesPer150s: 3000 } } });
    try {
      const plan = await readPlan(dir);
      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(run.code, describeRun(run)).toBe(0);

      const stats = rig.sim.stats();
      process.stderr.write(`[apply faults] ${stats.requests} requests, ${stats.faults} faults injected, ${stats.throttled} throttled; apply ${(run.ms / 1000).toFixed(1)} s\n`);
      // The conditions were real: both kinds of trouble happened, on the writes too.
      expect(stats.faults).toBeGreaterThan(10);
      expect(stats.throttled).toBeGreaterThan(0);
      const runEnd = (await readFile(join(dir, 'log.jsonl'), 'utf8'))
        .split('\n')
        .filter((l) => l.includes('"run-end"'))
        .map((l) => JSON.parse(l) as { anchorStats: { throttled: number; transient: number; batches: number } })[0];
      process.stderr.write(`[apply faults] anchor writer: ${JSON.stringify(runEnd?.anchorStats)}\n`);
      expect(runEnd?.anchorStats.throttled, 'PATCHes answered 429').toBeGreaterThan(0);
      expect(runEnd?.anchorStats.transient, 'PATCHes answered 503').toBeGreaterThan(0);

      const ad = await usersInOu(rig.ou);
      const ids = cloudImmutableIds(rig.sim);
      const successful = successfulWritesByUser(rig.sim);
      expect(ad.size).toBe(creates(plan).length);
      for (const entry of creates(plan)) {
        const objects = ad.get(entry.userPrincipalName.toLowerCase());
        expect(objects, entry.userPrincipalName).toHaveLength(1);
        const guid = printedObjectGuid(objects![0]!);
        expect(ids.get(entry.cloudId), entry.userPrincipalName).toBe(guid);
        expect(successful.get(entry.cloudId)?.map((w) => w.body.onPremisesImmutableId), `${entry.userPrincipalName}: successful writes`).toEqual([guid]);
      }
      const report = await readReport(dir);
      expect(report.summary).toMatchObject({ anchored: creates(plan).length, failed: 0 });
    } finally {
      await rig.close();
    }
  });
});
