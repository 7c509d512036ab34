import { it } from 'vitest';
import { startSimulator } from '../../../src/sim/index.js';
import { AdaptiveRateLimiter, listUsers, writeImmutableIds, readManagers } from '../../../src/cloud/index.js';
import { generateTenant } from '../../../src/samples/index.js';
import { baseTenant, cloudUser, graphFor, guidOf, immutableIdOf } from './helpers.js';

it('measure listing 100k', async () => {
  let t = performance.now();
  const tenant = generateTenant({ users: 100_000, seed: 1 });
  console.log(`[m] generate 100k: ${(performance.now() - t).toFixed(0)} ms`);
  const sim = await startSimulator({ tenant, throttle: false });
  const graph = graphFor(sim);
  const counter = { requests: 0 };
  t = performance.now();
  let n = 0; let peak = 0;
  const before = process.memoryUsage().heapUsed;
  for await (const page of listUsers(graph, { cloudOnly: true, counter })) { n += page.length; peak = Math.max(peak, process.memoryUsage().heapUsed - before); }
  console.log(`[m] list 100k cloud-only server filter: ${n} users, ${counter.requests} req, ${(performance.now() - t).toFixed(0)} ms, peak heap delta ${(peak/1e6).toFixed(0)} MB`);
  const c2 = { requests: 0 };
  t = performance.now(); n = 0;
  for await (const page of listUsers(graph, { cloudOnly: true, expandManager: true, counter: c2 })) n += page.length;
  console.log(`[m] list 100k with $expand=manager: ${n} users, ${c2.requests} req, ${(performance.now() - t).toFixed(0)} ms`);
  const ids = sim.state().users.filter(u => u.onPremisesSyncEnabled !== true).slice(0, 2000).map(u => u.id);
  const c3 = { requests: 0 };
  t = performance.now();
  await readManagers(graph, ids, { counter: c3 });
  console.log(`[m] readManagers 2000 selected: ${c3.requests} req, ${(performance.now() - t).toFixed(0)} ms`);
  await sim.close();
}, 600_000);

it('measure write rate under budget 5 RU/s', async () => {
  const users = Array.from({ length: 300 }, (_, i) => cloudUser(guidOf(i), `m${i}@contoso.example`));
  const sim = await startSimulator({ tenant: baseTenant(users), throttle: { resourceUnitsPer10s: 50, writesPer150s: 100000 } });
  const limiter = new AdaptiveRateLimiter({});
  const counter = { requests: 0 };
  const t = performance.now();
  const results = await writeImmutableIds(graphFor(sim), users.map((u, i) => ({ cloudId: u.id, userPrincipalName: u.userPrincipalName, immutableId: immutableIdOf(i + 1) })), { rateLimiter: limiter, counter });
  const s = (performance.now() - t) / 1000;
  console.log(`[m] 300 writes, budget 5/s (burst 50): ${s.toFixed(1)} s, ${(300 / s).toFixed(2)} w/s, ideal ${( (300-50)/5 ).toFixed(0)} s, requests ${counter.requests}, sim throttled ${sim.stats().throttled}, limiter ${limiter.rate.toFixed(2)}/s decreases ${limiter.snapshot().decreases}, written ${results.filter(r=>r.outcome==='written').length}`);
  await sim.close();
}, 600_000);

it('measure write rate under writes budget 300/150s (2/s)', async () => {
  const users = Array.from({ length: 400 }, (_, i) => cloudUser(guidOf(i), `w${i}@contoso.example`));
  const sim = await startSimulator({ tenant: baseTenant(users), throttle: { writesPer150s: 300, resourceUnitsPer10s: 100000 } });
  const limiter = new AdaptiveRateLimiter({});
  const counter = { requests: 0 };
  const t = performance.now();
  const results = await writeImmutableIds(graphFor(sim), users.map((u, i) => ({ cloudId: u.id, userPrincipalName: u.userPrincipalName, immutableId: immutableIdOf(i + 1) })), { rateLimiter: limiter, counter });
  const s = (performance.now() - t) / 1000;
  console.log(`[m] 400 writes, write budget 2/s (burst 300): ${s.toFixed(1)} s, ideal ${((400-300)/2).toFixed(0)} s, requests ${counter.requests}, sim throttled ${sim.stats().throttled}, limiter ${limiter.rate.toFixed(2)}/s decreases ${limiter.snapshot().decreases}, written ${results.filter(r=>r.outcome==='written').length}`);
  await sim.close();
}, 600_000);
