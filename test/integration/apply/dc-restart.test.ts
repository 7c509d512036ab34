/**
 * The DC goes away in the middle of the creates. A DC of this file's own
 * (test/harness/dc.ts startOwnDc) is stopped while the built CLI applies a
 * 300-user plan, and started again on the same address:
 *  - back within the outage limit: the run pauses, reconnects, carries on and
 *    ends with 0 failed users, every planned user exactly once in AD, exactly
 *    one successful immutableId write per user, a report and exit 0;
 *  - away longer than --dc-outage-limit: the run stops cleanly with exit 5
 *    (DC_UNAVAILABLE), a report and a message saying how to resume; the same
 *    command run again once the DC is back finishes the rest, still one object
 *    and one write per user.
 * AD is read back with a separate ldapts client, the cloud from the simulator's
 * recorded writes.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SambaDc } from '../../../src/lab/index.js';
import type { Plan } from '../../../src/plan/types.js';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { dcInfoOfSamba } from '../../harness/dc-info.js';
import { ownDcUnavailable, startOwnDc } from '../../harness/dc.js';
import { successfulWritesByUser } from '../../harness/graph.js';
import { readPlan, readReport, startRig, type Rig } from '../../harness/rig.js';
import { describeRun } from '../../harness/run-cli.js';
import { plainTenant } from '../../harness/tenant.js';
import { upnCounts, whenCreated } from './own-dc.js';

const USERS = 300;
const skipReason = ownDcUnavailable();

/** Every planned user exactly once in AD, and exactly one successful immutableId write each. */
async function expectEveryUserOnce(dc: SambaDc, sim: RunningSimulator, plan: Plan): Promise<void> {
  const creates = plan.entries.filter((e) => e.action === 'create');
  const counts = await upnCounts(dc);
  const wrong = creates.filter((e) => counts.get(e.userPrincipalName.toLowerCase()) !== 1).map((e) => `${e.userPrincipalName}: ${counts.get(e.userPrincipalName.toLowerCase()) ?? 0}`);
  expect(wrong, 'users not exactly once in AD').toEqual([]);
  const writes = successfulWritesByUser(sim);
  const notOnce = creates.filter((e) => writes.get(e.cloudId)?.length !== 1).map((e) => `${e.userPrincipalName}: ${writes.get(e.cloudId)?.length ?? 0}`);
  expect(notOnce, 'users without exactly one successful immutableId write').toEqual([]);
}

describe.skipIf(skipReason !== undefined)(`apply while the DC restarts${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dc: SambaDc;
  beforeAll(async () => {
    dc = await startOwnDc();
  });
  afterAll(async () => {
    await dc?.stop();
  });

  async function planned(seed: number): Promise<{ rig: Rig; plan: Plan }> {
    const domain = `restart${seed}.example`;
    const rig = await startRig({ tenant: plainTenant(USERS, seed, domain), sim: { seed }, dc: dcInfoOfSamba(dc), ou: `OU=restart-${seed},${dc.baseDn}`, label: 'dc-restart' });
    const made = await rig.plan(rig.dir, ['--upn-domain', domain]);
    expect(made.code, describeRun(made)).toBe(0);
    const plan = await readPlan(rig.dir);
    expect(plan.entries.filter((e) => e.action === 'create').length).toBeGreaterThan(USERS * 0.8);
    return { rig, plan };
  }

  it('pauses while the DC is away for 4 s, reconnects and finishes: 0 failed, every user once, exit 0', async () => {
    const { rig, plan } = await planned(14);
    const runDir = rig.dir;
    try {
      const run = rig.apply(['--plan', join(runDir, 'plan.json'), '--yes']);
      await whenCreated(runDir, 40, run);
      await dc.restart({ downMs: 4_000 });
      const result = await run;
      console.log(`apply with a DC restart: ${Math.round(result.ms)} ms`);
      expect(result.code, describeRun(result)).toBe(0);
      expect(result.stderr).toMatch(/lost the connection to the DC/);
      expect(result.stderr).toMatch(/is back after/);
      const report = await readReport(runDir);
      expect(report.summary.failed, describeRun(result)).toBe(0);
      expect(report.summary.anchored).toBe(plan.entries.filter((e) => e.action === 'create').length);
      await expectEveryUserOnce(dc, rig.sim, plan);
    } finally {
      await rig.close();
    }
  });

  it('stops cleanly past --dc-outage-limit (exit 5, report, how to resume); the same command finishes the rest', async () => {
    const { rig, plan } = await planned(15);
    const runDir = rig.dir;
    const args = ['--plan', join(runDir, 'plan.json'), '--yes', '--dc-outage-limit', '3'];
    try {
      const run = rig.apply(args);
      await whenCreated(runDir, 40, run);
      await dc.stopProcess();
      const stopped = await run;
      expect(stopped.code, describeRun(stopped)).toBe(5);
      expect(stopped.stderr).toMatch(/DC_UNAVAILABLE/);
      expect(stopped.stderr).toMatch(/run the same command again to resume/);
      const partial = await readReport(runDir);
      expect(partial.summary.failed).toBeGreaterThan(0);
      expect(partial.users.filter((u) => u.outcome === 'failed').every((u) => u.reason === 'DC_UNAVAILABLE')).toBe(true);
      expect(partial.summary.anchored).toBeGreaterThan(0);

      await dc.resumeProcess();
      const resumed = await rig.apply(args);
      expect(resumed.code, describeRun(resumed)).toBe(0);
      const report = await readReport(runDir);
      expect(report.summary.failed).toBe(0);
      expect(report.summary.anchored + report.summary.unchanged).toBe(plan.entries.filter((e) => e.action === 'create').length);
      await expectEveryUserOnce(dc, rig.sim, plan);
    } finally {
      await rig.close();
    }
  });
});
