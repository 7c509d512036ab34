/**
 * JSON batching: one `POST /$batch` carrying up to 20 requests, each answered
 * separately with its own status, headers and body, possibly out of order
 * (learn.microsoft.com/graph/json-batching). A 429 or 5xx on one item says
 * nothing about the others, and the SDK does not retry items: callers do.
 *
 * This sends exactly one POST (no retry here): whether a re-send is safe is the
 * caller's decision.
 */
import { NO_LIBRARY_RETRY, type Graph } from './graph-client.js';
import { translateGraphError, type CloudErrorContext } from './errors.js';

export const MAX_BATCH_SIZE = 20;

export interface BatchItemRequest {
  /** Unique within the batch. */
  id: string;
  method: 'GET' | 'PATCH' | 'POST' | 'DELETE';
  /** Relative to the version root, e.g. `/users/{id}`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface PostBatchOptions {
  /** Graph version of the batch endpoint (and so of every item); default v1.0. */
  version?: 'v1.0' | 'beta';
  signal?: AbortSignal;
  counter?: { requests: number };
  context?: CloudErrorContext;
}

/** Sends one batch; returns the answers by item id. Throws a CloudError when the batch as a whole fails. */
export async function postBatch(graph: Graph, requests: readonly BatchItemRequest[], options: PostBatchOptions = {}): Promise<Map<string, BatchItemResponse>> {
  if (requests.length === 0) return new Map();
  if (requests.length > MAX_BATCH_SIZE) throw new RangeError(`a $batch holds at most ${MAX_BATCH_SIZE} requests`);
  const payload = {
    requests: requests.map((request) => ({
      id: request.id,
      method: request.method,
      url: request.url,
      ...(request.body !== undefined ? { body: request.body, headers: { 'Content-Type': 'application/json', ...request.headers } } : request.headers ? { headers: request.headers } : {}),
    })),
  };
  let answer: unknown;
  try {
    let call = graph.client.api('/$batch').version(options.version ?? 'v1.0').middlewareOptions([NO_LIBRARY_RETRY]).header('Content-Type', 'application/json');
    if (options.signal) call = call.option('signal', options.signal);
    if (options.counter) options.counter.requests++;
    answer = await call.post(payload);
  } catch (error) {
    throw translateGraphError(error, { operation: 'POST $batch', ...options.context });
  }
  const responses = new Map<string, BatchItemResponse>();
  const list = isRecord(answer) && Array.isArray(answer.responses) ? answer.responses : [];
  for (const raw of list) {
    if (!isRecord(raw) || typeof raw.id !== 'string' || typeof raw.status !== 'number') continue;
    const headers: Record<string, string> = {};
    if (isRecord(raw.headers)) {
      for (const [name, value] of Object.entries(raw.headers)) headers[name.toLowerCase()] = String(value);
    }
    responses.set(raw.id, { id: raw.id, status: raw.status, headers, ...(raw.body !== undefined ? { body: raw.body } : {}) });
  }
  return responses;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
