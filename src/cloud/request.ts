/**
 * One Graph request through the real client, with entra2ad's retry policy
 * instead of the library's (see graph-client.ts), translated errors, and an
 * optional request counter for measurements.
 */
import { NO_LIBRARY_RETRY, type Graph } from './graph-client.js';
import { withRetry, type RetryOptions } from './retry.js';
import { CloudError } from './errors.js';
import { namePermission } from './permissions.js';

export interface RequestOptions extends RetryOptions {
  headers?: Record<string, string>;
  /** Incremented once per HTTP request sent (retries included). */
  counter?: { requests: number };
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

export async function graphRequest<T>(graph: Graph, method: HttpMethod, pathOrUrl: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  try {
    return await sendWithRetry<T>(graph, method, pathOrUrl, body, options);
  } catch (error) {
    // A 403 names the permission to grant (src/cloud/permissions.ts).
    throw error instanceof CloudError ? namePermission(error, method, pathOrUrl) : error;
  }
}

function sendWithRetry<T>(graph: Graph, method: HttpMethod, pathOrUrl: string, body: unknown, options: RequestOptions): Promise<T> {
  return withRetry(async () => {
    let request = graph.client.api(pathOrUrl).middlewareOptions([NO_LIBRARY_RETRY]);
    if (options.headers) request = request.headers(options.headers);
    if (options.signal) request = request.option('signal', options.signal);
    if (options.counter) options.counter.requests++;
    switch (method) {
      case 'GET':
        return (await request.get()) as T;
      case 'POST':
        return (await request.post(body)) as T;
      case 'PATCH':
        return (await request.patch(body)) as T;
    }
  }, options);
}

export const graphGet = <T>(graph: Graph, pathOrUrl: string, options: RequestOptions = {}): Promise<T> =>
  graphRequest<T>(graph, 'GET', pathOrUrl, undefined, options);

/** A Graph collection page. */
export interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

/**
 * Every item of a (small) collection, following `@odata.nextLink` until it is
 * absent. For large collections use a page-by-page reader (users-reader.ts).
 */
export async function graphGetAll<T>(graph: Graph, path: string, options: RequestOptions = {}): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const page: GraphPage<T> = await graphGet<GraphPage<T>>(graph, next, options);
    items.push(...(page.value ?? []));
    next = page['@odata.nextLink'] ?? undefined;
  }
  return items;
}
