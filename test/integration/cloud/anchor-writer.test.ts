/**
 * The anchor writer through the real Graph client + real ClientSecretCredential
 * against the HTTPS simulator: per-user outcomes for Graph's refusals and
 * conflicts, a run under injected faults and a tight throttle budget in which
 * every write lands exactly once, streaming enqueue, clearing, sign-in failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AnchorWriter, AdaptiveRateLimiter, createGraph, type AnchorWriteItem, type AnchorWriteResult } from '../../../src/cloud/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import type { SnapshotUser } from '../../../src/graph/tenant-snapshot.js';
import { graphFor } from '../../harness/graph.js';
import { buildTenant, cloudUser, guid, immutableIdOf } from '../../harness/tenant.js';
import { clearImmutableId, writeImmutableIds } from './helpers.js';
import { startProxy } from './proxy.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function cloudUsers(count: number, from = 0): SnapshotUser[] {
  return Array.from({ length: count }, (_, i) => cloudUser(guid(from + i, 'c'), `user${from + i}@contoso.example`));
}

function itemsFor(users: SnapshotUser[], offset = 0): AnchorWriteItem[] {
  return users.map((user, i) => ({ cloudId: user.id, userPrincipalName: user.userPrincipalName, immutableId: immutableIdOf(offset + i + 1) }));
}

/** Successful PATCH writes per user, from the simulator's write log. */
function landedWrites(running: RunningSimulator): Map<string, number> {
  const landed = new Map<string, number>();
  for (const write of running.state().writes ?? []) {
    if (write.status === 204 && write.userId) landed.set(write.userId, (landed.get(write.userId) ?? 0) + 1);
  }
  return landed;
}

describe('writeImmutableIds', () => {
  it('writes every user in $batch requests of 20, each exactly once', async () => {
    const users = cloudUsers(45);
    sim = await startSimulator({ tenant: buildTenant({ users: users }), throttle: false });
    const counter = { requests: 0 };
    // Flush after 1 s, not 25 ms: a loaded machine that pauses in the enqueue loop must not send a
    // short batch (the count of 3 requests below is the point); close() sends the last 5 at once.
    const results = await writeImmutableIds(graphFor(sim), itemsFor(users), { counter, flushDelayMs: 1000 });
    expect(results.map((r) => r.outcome)).toEqual(Array(45).fill('written'));
    expect(results.map((r) => r.cloudId)).toEqual(users.map((u) => u.id)); // input order
    expect(results.every((r) => r.attempts === 1)).toBe(true);
    expect(counter.requests).toBe(3);
    const state = new Map(sim.state().users.map((u) => [u.id, u.onPremisesImmutableId]));
    results.forEach((r) => expect(state.get(r.cloudId)).toBe(r.immutableId));
    const landed = landedWrites(sim);
    expect([...landed.values()].every((n) => n === 1)).toBe(true);
    expect(landed.size).toBe(45);
    expect((sim.state().writes ?? []).every((w) => w.batched)).toBe(true);
  });

  it('maps Graph\'s refusals and conflicts per user and keeps every outcome', async () => {
    const ok = cloudUser(guid(1, 'c'), 'ok@contoso.example');
    const synced = cloudUser(guid(2, 'c'), 'synced@contoso.example', { onPremisesSyncEnabled: true, onPremisesImmutableId: immutableIdOf(900) });
    const wasSynced = cloudUser(guid(3, 'c'), 'was.synced@contoso.example', { onPremisesSyncEnabled: false, onPremisesImmutableId: immutableIdOf(901) });
    const federated = cloudUser(guid(4, 'c'), 'nina@fed.contoso.example');
    const underscore = cloudUser(guid(5, 'c'), 'underscore@contoso.example');
    const duplicate = cloudUser(guid(6, 'c'), 'duplicate@contoso.example');
    const holder = cloudUser(guid(7, 'c'), 'holder@contoso.example', { onPremisesImmutableId: immutableIdOf(777) });
    const same = cloudUser(guid(8, 'c'), 'same@contoso.example', { onPremisesImmutableId: immutableIdOf(888) });
    sim = await startSimulator({ tenant: buildTenant({ users: [ok, synced, wasSynced, federated, underscore, duplicate, holder, same] }), throttle: false });
    const item = (user: SnapshotUser, immutableId: string): AnchorWriteItem => ({ cloudId: user.id, userPrincipalName: user.userPrincipalName, immutableId });
    const seen: AnchorWriteResult[] = [];
    const results = await writeImmutableIds(
      graphFor(sim),
      [
        item(ok, immutableIdOf(1)),
        item(synced, immutableIdOf(2)),
        item(wasSynced, immutableIdOf(3)),
        item(federated, immutableIdOf(4)),
        item(underscore, 'abc_def+ghijklmnopqrs=='),
        item(duplicate, immutableIdOf(777)),
        item(same, immutableIdOf(888)),
        { cloudId: guid(99, 'c'), userPrincipalName: 'ghost@contoso.example', immutableId: immutableIdOf(99) },
      ],
      { onResult: (r) => seen.push(r) },
    );
    const by = new Map(results.map((r) => [r.userPrincipalName, r]));
    expect(by.get('ok@contoso.example')).toMatchObject({ outcome: 'written', attempts: 1 });
    expect(by.get('synced@contoso.example')).toMatchObject({ outcome: 'refused', reason: 'REFUSED_SYNCED', graphCode: 'Request_BadRequest' });
    expect(by.get('was.synced@contoso.example')).toMatchObject({ outcome: 'refused', reason: 'REFUSED_SYNCED' });
    expect(by.get('nina@fed.contoso.example')).toMatchObject({ outcome: 'refused', reason: 'REFUSED_FEDERATED' });
    expect(by.get('underscore@contoso.example')).toMatchObject({ outcome: 'refused', reason: 'INVALID_VALUE' });
    expect(by.get('duplicate@contoso.example')).toMatchObject({ outcome: 'conflict', reason: 'CONFLICT', currentImmutableId: null });
    expect(by.get('duplicate@contoso.example')?.message).toMatch(/Another object with the same value/);
    expect(by.get('same@contoso.example')).toMatchObject({ outcome: 'written' }); // same value again: idempotent
    expect(by.get('ghost@contoso.example')).toMatchObject({ outcome: 'failed', reason: 'NOT_FOUND', graphCode: 'Request_ResourceNotFound' });
    for (const result of results) if (result.outcome !== 'written') expect(result.attempts).toBe(1); // permanent: no retry
    expect(seen).toHaveLength(8);
    const state = new Map(sim.state().users.map((u) => [u.id, u.onPremisesImmutableId]));
    expect(state.get(synced.id)).toBe(immutableIdOf(900));
    expect(state.get(duplicate.id)).toBeNull();
    expect(state.get(holder.id)).toBe(immutableIdOf(777));
  });

  it('under injected 429/503/504/dropped connections and a tight throttle budget, every write lands exactly once', async () => {
    const users = cloudUsers(240);
    sim = await startSimulator({ tenant: buildTenant({ users: users }), seed: 7,
      faults: { rate429: 0.04, rate503: 0.04, rate504: 0.02, dropRate: 0.03 },
      // Graph's identity budget cut down: 100 resource units per 10 s = 10 PATCHes/s (a $batch POST costs one more).
      throttle: { resourceUnitsPer10s: 100, writesPer150s: 3000 },
    });
    // Starts at 40 writes/s, four times the budget: the simulator's bucket (100 RU) runs dry after about 130 writes.
    const limiter = new AdaptiveRateLimiter({ initialRate: 40, maxRate: 40 });
    const counter = { requests: 0 };
    const started = performance.now();
    const results = await writeImmutableIds(graphFor(sim), itemsFor(users), { rateLimiter: limiter, counter, concurrency: 4 });
    const seconds = (performance.now() - started) / 1000;
    expect(results.filter((r) => r.outcome !== 'written')).toEqual([]);
    const stats = sim.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.faults).toBeGreaterThan(0);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    const state = new Map(sim.state().users.map((u) => [u.id, u.onPremisesImmutableId]));
    for (const result of results) expect(state.get(result.cloudId)).toBe(result.immutableId);
    const landed = landedWrites(sim);
    expect(landed.size).toBe(users.length);
    expect([...landed.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    console.info(
      `[measure] ${users.length} writes under faults + 10 RU/s budget: ${seconds.toFixed(1)} s = ${(users.length / seconds).toFixed(1)} writes/s, ` +
        `${counter.requests} requests, sim throttled ${stats.throttled}, faults ${stats.faults}, limiter ended at ${limiter.rate.toFixed(2)}/s after ${limiter.snapshot().decreases} decreases`,
    ); });

  it('reads back a batch whose answer was lost after Graph applied it: written, one PATCH per user, no re-send', async () => {
    const users = cloudUsers(20);
    sim = await startSimulator({ tenant: buildTenant({ users: users }), throttle: false });
    let batches = 0;
    const proxy = await startProxy(sim, { loseAnswer: (req) => req.method === 'POST' && (req.url ?? '').endsWith('/$batch') && ++batches === 1 });
    try {
      const direct = graphFor(sim);
      const graph = createGraph({ ...direct.options, graphUrl: proxy.url }, { env: {} });
      const writer = new AnchorWriter(graph, { retryPolicy: { baseDelayMs: 50 } });
      const pending = itemsFor(users).map((item) => writer.enqueue(item));
      await writer.close();
      const results = await Promise.all(pending);
      expect(proxy.answersLost).toBe(1);
      expect(results.map((r) => [r.outcome, r.attempts, r.confirmedByReadBack])).toEqual(Array(20).fill(['written', 1, true]));
      expect(writer.stats).toMatchObject({ readBack: 20, landedUnseen: 20 });
      const state = new Map(sim.state().users.map((u) => [u.id, u.onPremisesImmutableId]));
      for (const result of results) expect(state.get(result.cloudId)).toBe(result.immutableId);
      // Graph saw each PATCH once: the read-back found it landed, so nothing was sent again.
      const landed = landedWrites(sim);
      expect([...landed.values()]).toEqual(Array(20).fill(1));
    } finally {
      await proxy.close();
    }
  });

  it('under the simulator\'s post-commit faults (504 items, dropped batches): one effective write per user, each reported written', async () => {
    const users = cloudUsers(200);
    sim = await startSimulator({ tenant: buildTenant({ users: users }), seed: 5, throttle: false, faults: { afterCommit504Rate: 0.1, afterCommitDropRate: 0.15 } });
    const writer = new AnchorWriter(graphFor(sim), { retryPolicy: { baseDelayMs: 50 } });
    const pending = itemsFor(users).map((item) => writer.enqueue(item));
    await writer.close();
    const results = await Promise.all(pending);
    expect(results.filter((r) => r.outcome !== 'written')).toEqual([]);
    const stats = sim.stats();
    const writes = sim.state().writes ?? [];
    const lostItems = writes.filter((w) => w.answerLost === '504').length;
    const lostInDrops = writes.filter((w) => w.answerLost === 'drop').length;
    // Both kinds happened, alone in the run's batches.
    expect(lostItems).toBeGreaterThan(0);
    expect(lostInDrops).toBeGreaterThan(0);
    expect(stats.lostAnswers).toBe(lostItems + lostInDrops);
    // Exactly one PATCH per user reached Graph, and it was the one effective write.
    const perUser = new Map<string, number>();
    for (const w of writes) perUser.set(w.userId ?? '?', (perUser.get(w.userId ?? '?') ?? 0) + 1);
    expect(perUser.size).toBe(users.length);
    expect([...perUser.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(writes.every((w) => w.status === 204 && w.changed === true)).toBe(true);
    // The report says which ones were learned by reading back.
    expect(results.filter((r) => r.confirmedByReadBack).length).toBe(stats.lostAnswers);
    expect(writer.stats.landedUnseen).toBe(stats.lostAnswers);
    const state = new Map(sim.state().users.map((u) => [u.id, u.onPremisesImmutableId]));
    for (const result of results) expect(state.get(result.cloudId)).toBe(result.immutableId);
  });

  it('a duplicate immutableId answered 500: sent at most maxServerErrorAttempts times, then reported as a conflict naming the holder', async () => {
    const holder = cloudUser(guid(1, 'c'), 'holder@contoso.example', { onPremisesImmutableId: immutableIdOf(777) });
    const duplicate = cloudUser(guid(2, 'c'), 'duplicate@contoso.example');
    const fine = cloudUser(guid(3, 'c'), 'fine@contoso.example');
    sim = await startSimulator({ tenant: buildTenant({ users: [holder, duplicate, fine] }), throttle: false, duplicateImmutableIdAs500: true });
    const writer = new AnchorWriter(graphFor(sim), { retryPolicy: { baseDelayMs: 20 }, flushDelayMs: 0 });
    const [dup, ok] = await Promise.all([
      writer.enqueue({ cloudId: duplicate.id, userPrincipalName: duplicate.userPrincipalName, immutableId: immutableIdOf(777) }),
      writer.enqueue({ cloudId: fine.id, userPrincipalName: fine.userPrincipalName, immutableId: immutableIdOf(3) }),
      writer.close(),
    ]);
    expect(ok).toMatchObject({ outcome: 'written', attempts: 1 });
    expect(dup, dup.message).toMatchObject({ outcome: 'conflict', reason: 'CONFLICT', attempts: 3, heldBy: { id: holder.id, userPrincipalName: 'holder@contoso.example' } });
    expect(dup.message, dup.message).toMatch(/holder@contoso\.example/);
    expect(dup.message).toMatch(/500/);
    const writes = (sim.state().writes ?? []).filter((w) => w.userId === duplicate.id);
    expect(writes.map((w) => w.status)).toEqual([500, 500, 500]);
    const state = new Map(sim.state().users.map((u) => [u.id, u.onPremisesImmutableId]));
    expect(state.get(duplicate.id)).toBeNull();
    expect(state.get(holder.id)).toBe(immutableIdOf(777));
  });

  it('reports every user as failed (not thrown) when sign-in fails, without leaking the secret', async () => {
    const users = cloudUsers(3);
    sim = await startSimulator({ tenant: buildTenant({ users: users }), throttle: false });
    const results = await writeImmutableIds(graphFor(sim, { clientSecret: 'WRONG-SECRET-123' }), itemsFor(users));
    expect(results.map((r) => [r.outcome, r.reason])).toEqual(Array(3).fill(['failed', 'AUTH_FAILED']));
    expect(results[0]?.message).toMatch(/AADSTS7000215/);
    expect(JSON.stringify(results)).not.toContain('WRONG-SECRET-123');
    expect(JSON.stringify(results)).not.toContain(sim.clientSecret);
    expect(landedWrites(sim).size).toBe(0);
  });
});

describe('AnchorWriter (streaming)', () => {
  it('batches items enqueued as they arrive, flushes a partial batch after a short wait, resolves each', async () => {
    const users = cloudUsers(50);
    sim = await startSimulator({ tenant: buildTenant({ users: users }), throttle: false });
    const counter = { requests: 0 };
    const results: AnchorWriteResult[] = [];
    const writer = new AnchorWriter(graphFor(sim), { counter, flushDelayMs: 30, onResult: (r) => results.push(r) });
    const items = itemsFor(users);
    const promises: Promise<AnchorWriteResult>[] = [];
    // AD creates finish in bursts: 25 at once, then one every 2 ms.
    for (const item of items.slice(0, 25)) promises.push(writer.enqueue(item));
    for (const item of items.slice(25)) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      promises.push(writer.enqueue(item));
    }
    const first = await promises[0];
    expect(first?.outcome).toBe('written');
    await writer.close();
    const settled = await Promise.all(promises);
    expect(settled.every((r) => r.outcome === 'written')).toBe(true);
    expect(results).toHaveLength(50);
    expect(counter.requests).toBeGreaterThanOrEqual(3);
    expect(counter.requests).toBeLessThan(25); // batched, not one PATCH each
    expect(writer.stats).toMatchObject({ enqueued: 50, settled: 50, outcomes: { written: 50 } });
    expect(landedWrites(sim).size).toBe(50);
  });

  it('after an abort, queued and later items are reported ABORTED and never sent', async () => {
    const users = cloudUsers(30);
    sim = await startSimulator({ tenant: buildTenant({ users: users }), throttle: false });
    const controller = new AbortController();
    const writer = new AnchorWriter(graphFor(sim), { signal: controller.signal, flushDelayMs: 10_000, batchSize: 20 });
    const items = itemsFor(users);
    const early = items.slice(0, 5).map((item) => writer.enqueue(item)); // waits for a full batch
    controller.abort();
    const late = writer.enqueue(items[5] as AnchorWriteItem);
    await writer.close();
    const results = await Promise.all([...early, late]);
    expect(results.map((r) => r.reason)).toEqual(Array(6).fill('ABORTED'));
    expect(landedWrites(sim).size).toBe(0);
  });
});

describe('clearImmutableId (rollback)', () => {
  it('clears when Graph accepts null, and reports a refusal when it does not', async () => {
    const user = cloudUser(guid(1, 'c'), 'clear@contoso.example', { onPremisesImmutableId: immutableIdOf(5) });
    sim = await startSimulator({ tenant: buildTenant({ users: [user] }), throttle: false });
    const cleared = await clearImmutableId(graphFor(sim), { cloudId: user.id, userPrincipalName: user.userPrincipalName });
    expect(cleared).toMatchObject({ outcome: 'written', immutableId: null });
    expect(sim.state().users[0]?.onPremisesImmutableId).toBeNull();
    await sim.close();

    sim = await startSimulator({ tenant: buildTenant({ users: [user] }), throttle: false, refuseImmutableIdClear: true });
    const refused = await clearImmutableId(graphFor(sim), { cloudId: user.id, userPrincipalName: user.userPrincipalName });
    expect(refused).toMatchObject({ outcome: 'refused', reason: 'INVALID_VALUE' });
    expect(sim.state().users[0]?.onPremisesImmutableId).toBe(immutableIdOf(5));
  });
});
