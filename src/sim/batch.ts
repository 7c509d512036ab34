/**
 * POST /v1.0/$batch and /beta/$batch (learn.microsoft.com/graph/json-batching):
 * - body {"requests": [{id, method, url, headers?, body?, dependsOn?}]}, at most 20;
 * - ids unique (not case-sensitive), else the whole batch is 400;
 * - a malformed batch is 400; a parseable one is 200 with one answer per item,
 *   each with its own status, headers and body;
 * - answers may come back in any order: the simulator shuffles them (seeded);
 * - each item is throttled on its own: a 429 item carries its own Retry-After;
 * - an item whose dependency failed is answered 424 Failed Dependency.
 * Graph's wording for the whole-batch refusals is not documented; ours is
 * marked where guessed.
 */
import { GraphHttpError, errorBody } from './graph-error.js';
import { serveGraph } from './pipeline.js';
import { count, ok, type SimContext, type SimRequest, type SimResponse } from './request.js';
import { shuffled } from './random.js';
import { randomUUID } from 'node:crypto';

export const MAX_BATCH_REQUESTS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

function malformed(detail: string): GraphHttpError {
  return new GraphHttpError(400, 'BadRequest', `Invalid batch payload format: ${detail}`);
}

function parseItems(body: unknown): BatchItem[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformed('the body must be a JSON object.');
  const requests = (body as { requests?: unknown }).requests;
  if (!Array.isArray(requests)) throw malformed("the body must have a 'requests' array.");
  if (requests.length === 0) throw malformed("'requests' is empty.");
  if (requests.length > MAX_BATCH_REQUESTS) throw new GraphHttpError(400, 'BadRequest', 'Number of requests inside batch exceeds the limit.');
  const seen = new Set<string>();
  const items = requests.map((raw: unknown, i: number): BatchItem => {
    if (typeof raw !== 'object' || raw === null) throw malformed(`requests[${i}] must be an object.`);
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id === '') throw malformed(`requests[${i}].id must be a non-empty string.`);
    if (typeof r.method !== 'string' || r.method === '') throw malformed(`requests[${i}].method must be a string.`);
    if (typeof r.url !== 'string' || r.url === '') throw malformed(`requests[${i}].url must be a string.`);
    const key = r.id.toLowerCase();
    if (seen.has(key)) throw new GraphHttpError(400, 'BadRequest', `Batch request ids must be unique; '${r.id}' is repeated.`);
    seen.add(key);
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (typeof r.headers !== 'object' || r.headers === null) throw malformed(`requests[${i}].headers must be an object.`);
      for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = String(v);
    }
    let dependsOn: string[] = [];
    if (r.dependsOn !== undefined) {
      if (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== 'string')) throw malformed(`requests[${i}].dependsOn must be an array of ids.`);
      dependsOn = r.dependsOn as string[];
    }
    return { id: r.id, method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn };
  });
  const ids = new Set(items.map((i) => i.id.toLowerCase()));
  for (const item of items) {
    for (const dep of item.dependsOn) if (!ids.has(dep.toLowerCase())) throw malformed(`dependsOn names '${dep}', which is not in the batch.`);
  }
  return items;
}

/** Execution order honouring dependsOn; a cycle is a malformed batch. */
function executionOrder(items: BatchItem[]): BatchItem[] {
  const byId = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: BatchItem[] = [];
  const visit = (item: BatchItem) => {
    const key = item.id.toLowerCase();
    if (done.has(key)) return;
    if (visiting.has(key)) throw malformed('dependsOn forms a cycle.');
    visiting.add(key);
    for (const dep of item.dependsOn) visit(byId.get(dep.toLowerCase()) as BatchItem);
    visiting.delete(key);
    done.add(key);
    out.push(item);
  };
  items.forEach(visit);
  return out;
}

/** Splits '/users/x?$select=id' (leading '/' optional, the batch's own '/v1.0' or '/beta' tolerated) into path and query. */
function splitUrl(url: string, version: string): { path: string; query: Record<string, string> } {
  let rest = url.startsWith('/') ? url : `/${url}`;
  if (rest.toLowerCase().startsWith(`/${version}/`)) rest = rest.slice(version.length + 1);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(rest.slice(q + 1))) if (!(k in query)) query[k] = v;
  }
  return { path, query };
}

interface ItemAnswer {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function answerOf(id: string, response: SimResponse): ItemAnswer {
  const answer: ItemAnswer = { id, status: response.status, headers: response.headers };
  if (response.body !== undefined) answer.body = response.body;
  // A text answer travels base64-encoded inside a JSON batch (json-batching: "base64 URL-encoded value").
  else if (response.text !== undefined) answer.body = Buffer.from(response.text, 'utf8').toString('base64');
  return answer;
}

function errorAnswer(id: string, error: GraphHttpError, clientRequestId: string): ItemAnswer {
  return {
    id,
    status: error.status,
    headers: { 'Content-Type': 'application/json', ...error.headers },
    body: errorBody(error, { requestId: randomUUID(), clientRequestId }),
  };
}

export function runBatch(req: SimRequest, ctx: SimContext): SimResponse {
  count(ctx.stats, `POST /${req.version}/$batch`);
  if (req.bodyInvalid) throw malformed('the body is not JSON.');
  const items = executionOrder(parseItems(req.body));
  const answers = new Map<string, ItemAnswer>();
  const clientRequestId = req.headers['client-request-id'] ?? randomUUID();
  for (const item of items) {
    const failedDep = item.dependsOn.find((d) => (answers.get(d.toLowerCase())?.status ?? 0) >= 400);
    if (failedDep !== undefined) {
      answers.set(
        item.id.toLowerCase(),
        errorAnswer(item.id, new GraphHttpError(424, 'FailedDependency', `The request depends on '${failedDep}', which failed.`), clientRequestId),
      );
      continue;
    }
    answers.set(item.id.toLowerCase(), runItem(item, req, ctx, clientRequestId));
  }
  const ordered = shuffled(
    items.map((i) => answers.get(i.id.toLowerCase()) as ItemAnswer),
    ctx.batchRandom,
  );
  return ok({ responses: ordered });
}

function runItem(item: BatchItem, { version, caller }: Pick<SimRequest, 'version' | 'caller'>, ctx: SimContext, clientRequestId: string): ItemAnswer {
  try {
    if (item.body !== undefined && !item.headers['content-type']) {
      // "When a body is included with the request, the headers object must contain a value for Content-Type."
      throw new GraphHttpError(400, 'BadRequest', 'A request with a body must have a Content-Type header.');
    }
    const { path, query } = splitUrl(item.url, version);
    if (path.toLowerCase() === '/$batch') throw new GraphHttpError(400, 'BadRequest', 'A batch cannot contain another batch.');
    const fate = ctx.faults.next(false);
    if (fate.kind === 'error') {
      ctx.stats.faults++;
      throw fate.error;
    }
    let body = item.body;
    // A body may be base64 (json-batching: "a base64 URL-encoded value").
    if (typeof body === 'string') {
      try {
        body = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
      } catch {
        /* leave it: the handler refuses it */
      }
    }
    const sim: SimRequest = { method: item.method, version, path, query, headers: item.headers, body, bodyInvalid: false, batched: true, caller };
    return answerOf(item.id, serveGraph(sim, ctx));
  } catch (error) {
    if (error instanceof GraphHttpError) return errorAnswer(item.id, error, clientRequestId);
    throw error;
  }
}
