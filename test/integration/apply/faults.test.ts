/**
 * A bad day at Graph, for apply through the built CLI: the simulator answers a
 * share of ALL requests (reads, each $batch item) with 429 or 503; or it
 * throttles like Graph on a budget scaled down so apply reaches it. Every
 * planned user must still end anchored exactly once, with its own GUID.
 *
 * The plan is made on a healthy simulator with the same tenant (same ids):
 * under 30% faults the plan's own reads take 20-30 s of backoff, which tests
 * the readers (test/integration/cloud) rather than apply. Faults and budget are
 * separate runs: under random 429s the anchor writer's adaptive limiter slows
 * down so far that a budget big enough to finish in seconds is never reached.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../../../src/sim/index.js';
import { describeRun } from '../../harness/run-cli.js';
import { cloudImmutableIds, successfulWritesByUser } from '../../harness/graph.js';
import { printedObjectGuid, usersInOu } from '../../harness/ldapsearch.js';
import { creates, readPlan, readReport } from '../../harness/rig.js';
import { planHealthyThenStart } from './helpers.js';

/** Plans on a healthy simulator, then applies against one started with `sim` options (same tenant, same ids). */
async function planHealthyApplyUnder(sim: Omit<SimulatorOptions, 'tenant'>) {
  const { rig, dir } = await planHealthyThenStart('faults', sim);
  try {
    const plan = await readPlan(dir);
    const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
    expect(run.code, describeRun(run)).toBe(0);
    const stats = rig.sim.stats();
    const runEnd = (await readFile(join(dir, 'log.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.includes('"run-end"'))
      .map((l) => JSON.parse(l) as { anchorStats: { throttled: number; transient: number; batches: number; landedUnseen: number } })[0];
    process.stderr.write(
      `[apply faults] ${JSON.stringify(sim)}: apply ${(run.ms / 1000).toFixed(1)} s; sim ${stats.requests} requests, ${stats.faults} faults, ${stats.throttled} throttled; anchor writer ${JSON.stringify(runEnd?.anchorStats)}\n`,
    );

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
    return { stats, anchorStats: runEnd!.anchorStats, report, writes: rig.sim.state().writes ?? [] };
  } finally {
    await rig.close();
  }
}

describe('a bad day at Graph', () => {
  it('under injected 429/503 faults, every planned user ends anchored exactly once', async () => {
    const { stats, anchorStats } = await planHealthyApplyUnder({ seed: 7, faults: { rate429: 0.2, rate503: 0.1 }, throttle: { scale: 0.02, writesPer150s: 3000 } });
    // The trouble was real, on the reads and on the writes.
    expect(stats.faults).toBeGreaterThan(10);
    expect(anchorStats.throttled, 'PATCHes answered 429').toBeGreaterThan(0);
    expect(anchorStats.transient, 'PATCHes answered 503').toBeGreaterThan(0);
  });

  it('answers lost after the write landed (504 items, dropped $batch connections): one effective write per user, a correct report', async () => {
    const { stats, anchorStats, report, writes } = await planHealthyApplyUnder({ seed: 7, throttle: false, faults: { afterCommit504Rate: 0.15, afterCommitDropRate: 0.3 } });
    // Both kinds of lost answer happened.
    expect(writes.filter((w) => w.answerLost === '504').length, 'items answered 504 after commit').toBeGreaterThan(0);
    expect(writes.filter((w) => w.answerLost === 'drop').length, 'writes in $batch requests dropped after commit').toBeGreaterThan(0);
    // Every PATCH changed something: no user was written twice, not even with the same value.
    expect(writes.filter((w) => w.changed !== true)).toEqual([]);
    // Each lost answer was found landed by reading the user back, and the report says so for exactly those users.
    expect(anchorStats.landedUnseen).toBe(stats.lostAnswers);
    const readBack = report.users.filter((u) => /answer was lost; read back/.test(u.message ?? ''));
    expect(readBack.length).toBe(stats.lostAnswers);
  });

  it('throttled on a budget scaled down, every planned user ends anchored exactly once', async () => {
    // Resource units: 5,000 per 10 s for 50-500 users, x 0.01 = 50 per 10 s: apply's reads may go over.
    // Whether they do depends on the machine's speed (a loaded one spreads them out), so the PATCHes
    // get a write budget smaller than the plan's creates: 55 writes per 2.5 min against 60 PATCHes
    // refuses some however slowly the users arrive, and costs about 3 s of waiting per write over.
    const { stats, anchorStats, report } = await planHealthyApplyUnder({ seed: 7, throttle: { scale: 0.01, writesPer150s: 55 } });
    expect(report.summary.anchored, 'more PATCHes than the write budget').toBeGreaterThan(55);
    expect(stats.throttled, 'requests refused for the budget').toBeGreaterThan(0);
    expect(anchorStats.throttled, 'PATCHes refused for the budget').toBeGreaterThan(0);
  });
});
