/**
 * Reads users one by one by id (`GET /users/{id}`, 20 per `$batch`). A read of
 * one object is not served from the separately indexed store of advanced
 * queries, whose listings "might not be up-to-date with recent changes to the
 * object" (learn.microsoft.com/graph/api/user-list, ConsistencyLevel header;
 * learn.microsoft.com/graph/aad-advanced-queries): what verify uses to check the
 * users a listing may show as they were before a write of this run.
 *
 * Items answered 429 or 5xx go again (up to `attempts` rounds, honouring
 * Retry-After); a user that still cannot be read is left out of the answer, and
 * the caller keeps what the listing said.
 */
import { MAX_BATCH_SIZE, postBatch, type BatchItemRequest } from './batch.js';
import { failureFromBody, classifyFailure } from './errors.js';
import type { Graph } from './graph-client.js';
import type { GraphUser } from '../graph/user.js';
import { sleep } from './sleep.js';

export interface UsersByIdOptions {
  select: readonly string[];
  /** Rounds for items answered 429/5xx (and whole batches that failed so); default 4. */
  attempts?: number;
  counter?: { requests: number };
}

export async function readUsersById(graph: Graph, ids: readonly string[], options: UsersByIdOptions): Promise<Map<string, GraphUser>> {
  const found = new Map<string, GraphUser>();
  let todo = [...new Set(ids)];
  const rounds = Math.max(1, options.attempts ?? 4);
  for (let round = 0; round < rounds && todo.length > 0; round++) {
    const again: string[] = [];
    let waitMs = 0;
    for (let start = 0; start < todo.length; start += MAX_BATCH_SIZE) {
      const chunk = todo.slice(start, start + MAX_BATCH_SIZE);
      const requests: BatchItemRequest[] = chunk.map((id, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${encodeURIComponent(id)}?$select=${options.select.join(',')}` }));
      let answers;
      try {
        answers = await postBatch(graph, requests, { ...(options.counter ? { counter: options.counter } : {}), context: { operation: 'GET users by id' } });
      } catch (error) {
        if (!(error instanceof Error) || !('retryable' in error) || !(error as { retryable: boolean }).retryable) throw error;
        again.push(...chunk);
        waitMs = Math.max(waitMs, (error as { retryAfterMs?: number }).retryAfterMs ?? 1000);
        continue;
      }
      chunk.forEach((id, i) => {
        const answer = answers.get(String(i + 1));
        if (answer?.status === 200 && typeof answer.body === 'object' && answer.body !== null) {
          found.set(id, answer.body as GraphUser);
          return;
        }
        if (answer === undefined) return void again.push(id);
        const failure = failureFromBody(answer.status, answer.body, answer.headers['retry-after']);
        const reason = classifyFailure(failure);
        if (reason === 'THROTTLED' || reason === 'TRANSIENT') {
          again.push(id);
          waitMs = Math.max(waitMs, failure.retryAfterMs ?? 1000);
        }
      });
    }
    todo = again;
    if (todo.length > 0 && round + 1 < rounds) await sleep(waitMs);
  }
  return found;
}
