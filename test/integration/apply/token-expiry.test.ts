/**
 * A run that outlives its access tokens. The simulator issues tokens valid for
 * a few seconds (SimulatorOptions.tokenLifetimeSeconds; `entra2ad sim
 * --token-lifetime-seconds`) and refuses an expired one with Graph's 401
 * InvalidAuthenticationToken "Lifetime validation failed, the token is
 * expired." (src/sim/auth.ts). A 400-user apply that spans several lifetimes
 * must end with no failed user and exactly one immutableId write per user in
 * the simulator's write log (a write refused for its token and sent again would
 * show as a second entry).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun } from '../../harness/run-cli.js';
import { immutableIdWrites } from '../../harness/graph.js';
import { readPlan, readReport, startRig, tempDir } from '../../harness/rig.js';
import { plainTenant } from '../../harness/tenant.js';

// 3 s tokens and 400 users: on a quiet 2-core machine the apply takes about 15 s, five lifetimes
// (with 4 s and 300 users it took 11.5 s there, under the three lifetimes the test needs).
const LIFETIME_SECONDS = 3;
const USERS = 400;
const TOKEN_PATH = 'POST /{tenant}/oauth2/v2.0/token';

describe('apply with access tokens shorter than the run', () => {
  it('renews them as they expire: no failed user, one immutableId write per user', async () => {
    const domain = 'tokens.example';
    const rig = await startRig({ tenant: plainTenant(USERS, 21, domain), sim: { tokenLifetimeSeconds: LIFETIME_SECONDS } });
    try {
      const dir = await tempDir('tokens');
      const planned = await rig.plan(dir, ['--upn-domain', domain]);
      expect(planned.code, describeRun(planned)).toBe(0);
      const creates = (await readPlan(dir)).entries.filter((e) => e.action === 'create');
      expect(creates.length).toBeGreaterThan(USERS * 0.8);
      const tokensBefore = rig.sim.stats().perPath[TOKEN_PATH] ?? 0;

      const run = await rig.apply(['--plan', join(dir, 'plan.json'), '--yes']);
      expect(run.code, describeRun(run)).toBe(0);
      // The run really outlived several tokens: otherwise this test proves nothing.
      expect(run.ms, 'the apply must last several token lifetimes').toBeGreaterThan(3 * LIFETIME_SECONDS * 1000);
      const stats = rig.sim.stats();
      const tokens = (stats.perPath[TOKEN_PATH] ?? 0) - tokensBefore;
      expect(tokens, 'new tokens fetched during the apply').toBeGreaterThanOrEqual(3);
      console.log(
        `token expiry: apply ${Math.round(run.ms)} ms, ${tokens} tokens of ${LIFETIME_SECONDS} s, ` +
          `${stats.perPath['expired token refused (401)'] ?? 0} requests refused for an expired token`,
      );

      const report = await readReport(dir);
      expect(report.summary.failed, describeRun(run)).toBe(0);
      expect(report.summary.anchored).toBe(creates.length);
      const writes = immutableIdWrites(rig.sim);
      const perUser = new Map<string, number>();
      for (const w of writes) if (w.userId !== null) perUser.set(w.userId, (perUser.get(w.userId) ?? 0) + 1);
      const notOnce = creates.filter((e) => perUser.get(e.cloudId) !== 1).map((e) => `${e.userPrincipalName}: ${perUser.get(e.cloudId) ?? 0}`);
      expect(notOnce, 'users without exactly one immutableId write').toEqual([]);
      expect(writes.filter((w) => w.status < 200 || w.status >= 300)).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});
