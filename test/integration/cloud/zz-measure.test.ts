import { it } from 'vitest';
import { startSimulator } from '../../../src/sim/index.js';
import { AdaptiveRateLimiter, writeImmutableIds } from '../../../src/cloud/index.js';
import { baseTenant, cloudUser, graphFor, guidOf, immutableIdOf } from './helpers.js';

for (const [name, opts] of [['inc0.25 burst5', { increasePerSecond: 0.25 }], ['inc0.5 burst2', { burstSeconds: 2 }], ['inc0.25 burst2', { increasePerSecond: 0.25, burstSeconds: 2 }]] as const) {
it('measure ' + name, async () => {
  const users = Array.from({ length: 300 }, (_, i) => cloudUser(guidOf(i), `m${i}@contoso.example`));
  const sim = await startSimulator({ tenant: baseTenant(users), throttle: { resourceUnitsPer10s: 50, writesPer150s: 100000 } });
  const limiter = new AdaptiveRateLimiter(opts);
  const counter = { requests: 0 };
  const t = performance.now();
  const results = await writeImmutableIds(graphFor(sim), users.map((u, i) => ({ cloudId: u.id, userPrincipalName: u.userPrincipalName, immutableId: immutableIdOf(i + 1) })), { rateLimiter: limiter, counter });
  const s = (performance.now() - t) / 1000;
  console.log(`[m] ${name}: 300 writes, budget 5/s (burst 50): ${s.toFixed(1)} s, requests ${counter.requests}, sim throttled ${sim.stats().throttled}, limiter ${limiter.rate.toFixed(2)}/s decreases ${limiter.snapshot().decreases}, written ${results.filter(r=>r.outcome==='written').length}`);
  await sim.close();
}, 600_000);
}
