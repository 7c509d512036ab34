/**
 * The per-user `$batch` GET loop the manager and mailbox readers share, against
 * a scripted Graph (no network): items retried on their own, a stop for all, a
 * give-up per reader.
 */
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../../src/cloud/graph-client.js';
import { readPerUser, type PerUserGet } from '../../../src/cloud/per-user-batch.js';

interface BatchRequest {
  requests: { id: string; method: string; url: string }[];
}
type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

/** A Graph whose `POST /$batch` answers each item with `answer(url, call)` (undefined: left out of the answer). */
function scriptedGraph(answer: (url: string, call: number) => Answer, calls: string[][] = []): Graph {
  const request = {
    version: () => request,
    middlewareOptions: () => request,
    header: () => request,
    option: () => request,
    post: async (payload: BatchRequest) => {
      calls.push(payload.requests.map((r) => r.url));
      const call = calls.length;
      const responses = payload.requests.flatMap((r) => {
        const scripted = answer(r.url, call);
        return scripted ? [{ id: r.id, headers: {}, ...scripted }] : [];
      });
      return { responses };
    },
  };
  return { client: { api: () => request } } as unknown as Graph;
}

const idOf = (url: string) => url.split('/')[2]!;
const get: PerUserGet<string> = {
  url: (id) => `/users/${id}/thing`,
  operation: 'read things',
  itemOperation: 'GET thing',
  read: (answer) => (answer.status === 200 ? { value: String((answer.body as { v: string }).v) } : 'retry'),
  givenUp: (error) => `gave up: ${error.reason}`,
};
const fast = { retryPolicy: { baseDelayMs: 1, maxDelayMs: 2, maxTransientAttempts: 3, maxThrottledAttempts: 3 } };

describe('readPerUser', () => {
  it('sends 20 per $batch, each user once, and keeps each answer', async () => {
    const calls: string[][] = [];
    const ids = Array.from({ length: 45 }, (_, i) => `u${i}`);
    const result = await readPerUser(scriptedGraph((url) => ({ status: 200, body: { v: idOf(url) } }), calls), [...ids, 'u0'], get, { concurrency: 1 });
    expect(calls.map((c) => c.length)).toEqual([20, 20, 5]);
    expect([...result.entries()]).toEqual(ids.map((id) => [id, id]));
  });

  it('retries only the items answered 429/503 or left out, with the answered ones kept', async () => {
    const calls: string[][] = [];
    const graph = scriptedGraph((url, call) => {
      const id = idOf(url);
      if (call === 1 && id === 'a') return { status: 429, headers: { 'Retry-After': '0.001' } };
      if (call === 1 && id === 'b') return { status: 503 };
      if (call === 1 && id === 'c') return undefined;
      return { status: 200, body: { v: `${id}@${call}` } };
    }, calls);
    const result = await readPerUser(graph, ['a', 'b', 'c', 'd'], get, fast);
    expect(calls).toEqual([['/users/a/thing', '/users/b/thing', '/users/c/thing', '/users/d/thing'], ['/users/a/thing', '/users/b/thing', '/users/c/thing']]);
    expect(Object.fromEntries(result)).toEqual({ a: 'a@2', b: 'b@2', c: 'c@2', d: 'd@1' });
  });

  it("gives an item up after the policy's attempts and lets the reader say what that means", async () => {
    const result = await readPerUser(scriptedGraph(() => ({ status: 503 })), ['a'], get, fast);
    expect(result.get('a')).toBe('gave up: TRANSIENT');
    const refused = scriptedGraph(() => ({ status: 403, body: { error: { code: 'Authorization_RequestDenied' } } }));
    const throwing: PerUserGet<string> = {
      ...get,
      givenUp: (error) => {
        throw error;
      },
    };
    await expect(readPerUser(refused, ['a'], throwing, fast)).rejects.toMatchObject({ reason: 'FORBIDDEN' });
  });

  it('after an answer that stops all, nobody else is asked and every user left gets its value', async () => {
    const calls: string[][] = [];
    const stopping: PerUserGet<string> = { ...get, read: (a) => ({ value: a.status === 403 ? 'refused' : 'ok' }), stopsAll: (a) => a.status === 403 };
    const ids = Array.from({ length: 50 }, (_, i) => `u${i}`);
    const result = await readPerUser(scriptedGraph(() => ({ status: 403 }), calls), ids, stopping, { concurrency: 1 });
    expect(calls).toHaveLength(1);
    expect(result.size).toBe(50);
    expect(new Set(result.values())).toEqual(new Set(['refused']));
  });
});
