/**
 * The simulator's faults AFTER a write is stored (afterCommit504Rate,
 * afterCommitDropRate), alone and inside $batch; the lag of advanced-query
 * listings behind writes (eventualLagMs); a duplicate immutableId answered 500
 * (duplicateImmutableIdAs500). Each checked against the stored state: the
 * write is there even though its answer is not.
 */
import { describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { raw, tokenFor, useSimulators } from '../../harness/graph.js';
import { castTenant, guid } from '../../harness/tenant.js';

const start = useSimulators(() => castTenant({ users: 6 }));

function immutableIdOf(sim: RunningSimulator, id: string): unknown {
  return sim.state().users.find((u) => u.id === id)?.onPremisesImmutableId;
}

const patchBatch = (ids: string[], value: (i: number) => string) => ({
  requests: ids.map((id, i) => ({
    id: String(i + 1),
    method: 'PATCH',
    url: `/users/${id}`,
    headers: { 'Content-Type': 'application/json' },
    body: { onPremisesImmutableId: value(i) },
  })),
});

describe('faults after the write is stored', () => {
  it('a lone PATCH answered 504 after commit: the value is stored, the write logged as effective with its answer lost', async () => {
    const sim = await start({ faults: { afterCommit504Rate: 1 } });
    const token = await tokenFor(sim);
    const res = await raw(sim, 'PATCH', `/v1.0/users/${guid(0)}`, { token, body: { onPremisesImmutableId: 'bG9zdC01MDQ=' } });
    expect(res.status).toBe(504);
    expect((res.json as { error: { code: string } }).error.code).toBe('GatewayTimeout');
    expect(immutableIdOf(sim, guid(0))).toBe('bG9zdC01MDQ=');
    const writes = sim.state().writes ?? [];
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ status: 204, changed: true, answerLost: '504', batched: false });
    expect(sim.stats()).toMatchObject({ writes: 1, lostAnswers: 1, faults: 1 });

    // The same value again is accepted and changes nothing: not an effective write.
    await raw(sim, 'PATCH', `/v1.0/users/${guid(0)}`, { token, body: { onPremisesImmutableId: 'bG9zdC01MDQ=' } });
    expect(sim.state().writes?.[1]).toMatchObject({ status: 204, changed: false });
  });

  it('a lone PATCH whose connection drops after commit: no answer, the value is stored', async () => {
    const sim = await start({ faults: { afterCommitDropRate: 1 } });
    const token = await tokenFor(sim);
    await expect(raw(sim, 'PATCH', `/v1.0/users/${guid(1)}`, { token, body: { onPremisesImmutableId: 'ZHJvcHBlZA==' } })).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|EPIPE|socket hang up/i),
    });
    expect(immutableIdOf(sim, guid(1))).toBe('ZHJvcHBlZA==');
    expect(sim.state().writes?.[0]).toMatchObject({ status: 204, changed: true, answerLost: 'drop' });
    // A refused write stored nothing, so nothing is dropped after it.
    const refused = await raw(sim, 'PATCH', `/v1.0/users/${guid(2)}`, { token, body: { onPremisesImmutableId: 'TAKEN+id==' } });
    expect(refused.status).toBe(400);
  });

  it('inside $batch: each item may be answered 504 after commit, the others 204; every value is stored', async () => {
    const sim = await start({ seed: 3, faults: { afterCommit504Rate: 0.5 } });
    const token = await tokenFor(sim);
    const ids = [0, 1, 2, 3, 4, 5].map((n) => guid(n));
    const res = await raw(sim, 'POST', '/v1.0/$batch', { token, body: patchBatch(ids, (i) => `YmF0Y2gt${i}`) });
    expect(res.status).toBe(200);
    const answers = (res.json as { responses: { id: string; status: number }[] }).responses;
    const statuses = answers.map((a) => a.status).sort();
    expect(new Set(statuses)).toEqual(new Set([204, 504]));
    ids.forEach((id, i) => expect(immutableIdOf(sim, id)).toBe(`YmF0Y2gt${i}`));
    const writes = sim.state().writes ?? [];
    expect(writes.every((w) => w.status === 204 && w.changed === true && w.batched)).toBe(true);
    expect(writes.filter((w) => w.answerLost === '504')).toHaveLength(answers.filter((a) => a.status === 504).length);
  });

  it('a $batch whose connection drops after commit loses every answer; every value is stored', async () => {
    const sim = await start({ faults: { afterCommitDropRate: 1 } });
    const token = await tokenFor(sim);
    const ids = [0, 1, 2].map((n) => guid(n));
    await expect(raw(sim, 'POST', '/v1.0/$batch', { token, body: patchBatch(ids, (i) => `d2hvbGUt${i}`) })).rejects.toBeDefined();
    ids.forEach((id, i) => expect(immutableIdOf(sim, id)).toBe(`d2hvbGUt${i}`));
    expect((sim.state().writes ?? []).map((w) => w.answerLost)).toEqual(['drop', 'drop', 'drop']);
    expect(sim.stats().lostAnswers).toBe(3);
  });

  it('repeats the same after-commit schedule for the same seed', async () => {
    const run = async (seed: number) => {
      const sim = await start({ seed, faults: { afterCommit504Rate: 0.4 } });
      const token = await tokenFor(sim);
      const out: number[] = [];
      for (let n = 0; n < 6; n++) out.push((await raw(sim, 'PATCH', `/v1.0/users/${guid(n)}`, { token, body: { onPremisesImmutableId: `c2VlZC0${n}` } })).status);
      return out;
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(new Set(a)).toEqual(new Set([204, 504]));
  });
});

describe('eventualLagMs', () => {
  it('keeps a write out of ConsistencyLevel: eventual listings for the lag; reads by id and plain listings see it at once', async () => {
    const sim = await start({ eventualLagMs: 1500 });
    const token = await tokenFor(sim);
    const patched = await raw(sim, 'PATCH', `/v1.0/users/${guid(3)}`, { token, body: { onPremisesImmutableId: 'bGFnZ2Vk' } });
    expect(patched.status).toBe(204);
    const eventual = () =>
      raw(sim, 'GET', `/v1.0/users?$filter=onPremisesSyncEnabled ne true&$count=true&$select=id,onPremisesImmutableId`.replace(/ /g, '%20'), {
        token,
        headers: { ConsistencyLevel: 'eventual' },
      });
    const valueIn = (res: { json: unknown }) => (res.json as { value: { id: string; onPremisesImmutableId: string | null }[] }).value.find((u) => u.id === guid(3))?.onPremisesImmutableId;
    expect(valueIn(await eventual())).toBeNull();
    // $filter on the new value through the lagging index finds nobody yet.
    const byValue = await raw(sim, 'GET', `/v1.0/users?$filter=onPremisesImmutableId%20eq%20'bGFnZ2Vk'&$count=true`, { token, headers: { ConsistencyLevel: 'eventual' } });
    expect((byValue.json as { value: unknown[] }).value).toHaveLength(0);
    expect(valueIn(await raw(sim, 'GET', '/v1.0/users?$select=id,onPremisesImmutableId', { token }))).toBe('bGFnZ2Vk');
    const byId = await raw(sim, 'GET', `/v1.0/users/${guid(3)}?$select=id,onPremisesImmutableId`, { token });
    expect((byId.json as { onPremisesImmutableId: string }).onPremisesImmutableId).toBe('bGFnZ2Vk');
    await new Promise((r) => setTimeout(r, 1600));
    expect(valueIn(await eventual())).toBe('bGFnZ2Vk');
  });

  it('with eventualLagAllListings, plain listings lag too; reads by id still do not', async () => {
    const sim = await start({ eventualLagMs: 60_000, eventualLagAllListings: true });
    const token = await tokenFor(sim);
    await raw(sim, 'PATCH', `/v1.0/users/${guid(4)}`, { token, body: { onPremisesImmutableId: 'YWxs' } });
    const list = await raw(sim, 'GET', '/v1.0/users?$select=id,onPremisesImmutableId', { token });
    expect((list.json as { value: { id: string; onPremisesImmutableId: string | null }[] }).value.find((u) => u.id === guid(4))?.onPremisesImmutableId).toBeNull();
    const byId = await raw(sim, 'GET', `/v1.0/users/${guid(4)}?$select=id,onPremisesImmutableId`, { token });
    expect((byId.json as { onPremisesImmutableId: string }).onPremisesImmutableId).toBe('YWxs');
  });
});

describe('duplicateImmutableIdAs500', () => {
  it('answers a duplicate onPremisesImmutableId with 500, stores nothing, and logs the refusal', async () => {
    const sim = await start({ duplicateImmutableIdAs500: true });
    const token = await tokenFor(sim);
    const res = await raw(sim, 'PATCH', `/v1.0/users/${guid(0)}`, { token, body: { onPremisesImmutableId: 'TAKEN+id==' } });
    expect(res.status).toBe(500);
    expect((res.json as { error: { message: string } }).error.message).toBe('The given key was not present in the dictionary.');
    expect(immutableIdOf(sim, guid(0))).toBeNull();
    expect(sim.state().writes?.[0]).toMatchObject({ status: 500, errorCode: 'InternalServerError' });
    // Without the knob: Graph's documented 400 ObjectConflict.
    const plain = await start({});
    const res400 = await raw(plain, 'PATCH', `/v1.0/users/${guid(0)}`, { token: await tokenFor(plain), body: { onPremisesImmutableId: 'TAKEN+id==' } });
    expect(res400.status).toBe(400);
  });
});
