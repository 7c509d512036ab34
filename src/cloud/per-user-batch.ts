/**
 * One GET per user, 20 per `$batch` (learn.microsoft.com/graph/json-batching),
 * a few batches in flight: the loop the manager and mailbox readers share.
 *
 * Each item is answered on its own, so each is retried on its own: a 429 or 5xx
 * item goes again (after the longest delay any of them asked for) with the others
 * still pending from its batch, while the answered ones are kept. A whole batch
 * that fails is retried as one request (retry.ts). An item the batch answer left
 * out counts as a lost answer (a NetworkError), which is retried like a 5xx.
 */
import { MAX_BATCH_SIZE, postBatch, type BatchItemResponse } from './batch.js';
import { cloudErrorFrom, failureFromBody, type CloudError } from './errors.js';
import type { Graph } from './graph-client.js';
import { withPermissionNamed } from './permissions.js';
import { DEFAULT_RETRY_POLICY, retryDelay, withRetry, type RetryPolicy } from './retry.js';
import { sleep } from './sleep.js';

export interface PerUserBatchOptions {
  /** Batches in flight; default 4. */
  concurrency?: number;
  signal?: AbortSignal;
  counter?: { requests: number };
  retryPolicy?: Partial<RetryPolicy>;
}

export interface PerUserGet<T> {
  /** The item's URL below the version root, e.g. `/users/{id}/manager?$select=id` (the id encoded). */
  url: (userId: string) => string;
  /** For errors: the whole batch (`read managers`) and one item (`GET manager`). */
  operation: string;
  itemOperation: string;
  /** The value of a final answer, or `retry` when the answer's error decides (retried, or given up). */
  read: (answer: BatchItemResponse) => { value: T } | 'retry';
  /** An item whose retries ran out: its value, or throw. */
  givenUp: (error: CloudError) => T;
  /** After this answer nobody else is asked; every user not yet asked gets its value (e.g. a 403: all would be refused). */
  stopsAll?: (answer: BatchItemResponse) => boolean;
}

/** userId -> the value `get` makes of Graph's answer for that user. */
export async function readPerUser<T>(graph: Graph, userIds: Iterable<string>, get: PerUserGet<T>, options: PerUserBatchOptions = {}): Promise<Map<string, T>> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy };
  const signal = options.signal ? { signal: options.signal } : {};
  const result = new Map<string, T>();
  const queue = [...new Set(userIds)];
  let stopped: { value: T } | undefined;
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 4) }, async () => {
    while (queue.length > 0 && !stopped) await readChunk(queue.splice(0, MAX_BATCH_SIZE));
  });
  await Promise.all(workers);
  if (stopped) for (const id of queue.splice(0)) result.set(id, stopped.value);
  return result;

  async function readChunk(ids: string[]): Promise<void> {
    let pending = ids.map((id) => ({ id, attempt: 0 }));
    while (pending.length > 0) {
      const requests = pending.map((p, index) => ({ id: String(index), method: 'GET' as const, url: get.url(p.id) }));
      const answers = await withRetry(() => postBatch(graph, requests, { ...signal, ...(options.counter ? { counter: options.counter } : {}) }), {
        policy,
        ...signal,
        context: { operation: get.operation },
      });
      const again: typeof pending = [];
      let wait = 0;
      pending.forEach((p, index) => {
        const answer = answers.get(String(index));
        const attempt = p.attempt + 1;
        const read = answer ? get.read(answer) : 'retry';
        if (read !== 'retry') {
          result.set(p.id, read.value);
          if (answer && get.stopsAll?.(answer)) stopped ??= read;
          return;
        }
        const context = { user: p.id, operation: get.itemOperation };
        const error = answer
          ? cloudErrorFrom(withPermissionNamed(failureFromBody(answer.status, answer.body, answer.headers['retry-after']), 'GET', requests[index]!.url), context)
          : cloudErrorFrom({ status: 0, code: 'NetworkError', message: 'no answer for this item in the $batch response' }, context);
        const delay = retryDelay(error, attempt, policy);
        if (delay === undefined) {
          result.set(p.id, get.givenUp(error));
          return;
        }
        wait = Math.max(wait, delay);
        again.push({ id: p.id, attempt });
      });
      pending = again;
      if (pending.length > 0) await sleep(wait, options.signal);
    }
  }
}
