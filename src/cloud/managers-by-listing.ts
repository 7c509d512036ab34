/**
 * Managers of a whole tenant from `$expand=manager($select=id)` listings, for
 * large plans. Graph charges a per-user manager read 1 resource unit, so 100,000
 * of them need at least 125 s of an 8,000 RU / 10 s budget; a listing page with
 * `$expand` costs 2 RU for 100 users (learn.microsoft.com/graph/throttling-limits
 * #identity-and-access-service-limits). One page chain is sequential (1,000 pages
 * for 100,000 users, latency-bound), so the listing is split into shards by the
 * first character of the UPN, a `startsWith` filter Graph supports without
 * advanced query parameters (learn.microsoft.com/graph/aad-advanced-queries), and
 * the shards run in parallel. Users no shard covered (a UPN starting with another
 * character) are simply absent from the result: the caller reads those one by one.
 */
import pLimit from 'p-limit';
import type { Graph } from './graph-client.js';
import { listUsers } from './users-reader.js';

/** Characters a UPN prefix usually starts with; anything else falls back to per-user reads. */
export const UPN_SHARDS = [...'abcdefghijklmnopqrstuvwxyz0123456789'];

export interface ManagersByListingOptions {
  /** Shards listed at once; default 6. */
  concurrency?: number;
  signal?: AbortSignal;
}

export async function readManagersByListing(graph: Graph, options: ManagersByListingOptions = {}): Promise<Map<string, string | null>> {
  const managers = new Map<string, string | null>();
  const limit = pLimit(options.concurrency ?? 6);
  await Promise.all(
    UPN_SHARDS.map((first) =>
      limit(async () => {
        const pages = listUsers(graph, {
          cloudOnly: false,
          expandManager: true,
          select: ['id', 'userPrincipalName'],
          filter: `startswith(userPrincipalName,'${first}')`,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        for await (const page of pages) {
          for (const user of page) managers.set(user.id, user.manager?.id ?? null);
        }
      }),
    ),
  );
  return managers;
}
