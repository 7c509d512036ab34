/**
 * Managers of chosen users: `GET /users/{id}/manager?$select=id`, 20 per `$batch`.
 * A user without a manager answers 404 `Request_ResourceNotFound`: that is `null`,
 * not an error.
 *
 * Why not `$expand=manager` on the listing: see users-reader.ts. For S selected
 * users of a T-user tenant this costs ceil(S/20) requests (each item still counts
 * against the resource-unit budget), against T/100 pages for expanding the whole
 * listing: cheaper whenever fewer than a fifth of the tenant is selected, and it
 * keeps the cloud-only filter on the server.
 */
import { MAX_BATCH_SIZE, postBatch, type BatchItemResponse } from './batch.js';
import { cloudErrorFrom, failureFromBody, type CloudError } from './errors.js';
import { withPermissionNamed } from './permissions.js';
import type { Graph } from './graph-client.js';
import { DEFAULT_RETRY_POLICY, retryDelay, withRetry, type RetryPolicy } from './retry.js';
import { sleep } from './sleep.js';

export interface ReadManagersOptions {
  /** Batches in flight; default 4. */
  concurrency?: number;
  signal?: AbortSignal;
  counter?: { requests: number };
  retryPolicy?: Partial<RetryPolicy>;
}

/** userId -> manager id, or null when the user has no manager. Throws when a user cannot be read. */
export async function readManagers(graph: Graph, userIds: Iterable<string>, options: ReadManagersOptions = {}): Promise<Map<string, string | null>> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy };
  const result = new Map<string, string | null>();
  const queue = [...new Set(userIds)];
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 4) }, async () => {
    while (queue.length > 0) {
      const chunk = queue.splice(0, MAX_BATCH_SIZE);
      await readChunk(chunk);
    }
  });
  await Promise.all(workers);
  return result;

  async function readChunk(ids: string[]): Promise<void> {
    let pending = ids.map((id) => ({ id, attempt: 0 }));
    while (pending.length > 0) {
      const answers = await withRetry(
        () =>
          postBatch(
            graph,
            pending.map((p, index) => ({ id: String(index), method: 'GET' as const, url: `/users/${encodeURIComponent(p.id)}/manager?$select=id` })),
            { ...(options.signal ? { signal: options.signal } : {}), ...(options.counter ? { counter: options.counter } : {}) },
          ),
        { policy, ...(options.signal ? { signal: options.signal } : {}), context: { operation: 'read managers' } },
      );
      const again: typeof pending = [];
      let wait = 0;
      pending.forEach((p, index) => {
        const answer: BatchItemResponse | undefined = answers.get(String(index));
        const attempt = p.attempt + 1;
        if (answer && answer.status >= 200 && answer.status < 300) {
          const body = answer.body as { id?: unknown } | undefined;
          result.set(p.id, typeof body?.id === 'string' ? body.id : null);
          return;
        }
        if (answer && answer.status === 404) {
          result.set(p.id, null);
          return;
        }
        const error: CloudError = answer
          ? cloudErrorFrom(withPermissionNamed(failureFromBody(answer.status, answer.body, answer.headers['retry-after']), 'GET', `/users/${p.id}/manager`), {
              user: p.id,
              operation: 'GET manager',
            })
          : cloudErrorFrom({ status: 0, code: 'NetworkError', message: 'no answer for this item in the $batch response' }, { user: p.id, operation: 'GET manager' });
        const delay = retryDelay(error, attempt, policy);
        if (delay === undefined) throw error;
        wait = Math.max(wait, delay);
        again.push({ id: p.id, attempt });
      });
      pending = again;
      if (pending.length > 0) await sleep(wait, options.signal);
    }
  }
}
